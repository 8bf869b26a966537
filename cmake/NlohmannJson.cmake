# nlohmann-json (Debian nlohmann-json3-dev), header-only. emcc does not search /usr/include (and
# must not: glibc headers would shadow Emscripten's libc), so the nlohmann/ folder alone is copied
# into the build tree and used from there by both builds.
find_path(NLOHMANN_JSON_ROOT nlohmann/json.hpp PATHS /usr/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT NLOHMANN_JSON_ROOT)
  message(FATAL_ERROR "nlohmann/json.hpp not found: run `bash scripts/setup.sh` (nlohmann-json3-dev)")
endif()
file(COPY "${NLOHMANN_JSON_ROOT}/nlohmann" DESTINATION "${CMAKE_BINARY_DIR}/nlohmann-include")
add_library(nlohmann_json_headers INTERFACE)
target_include_directories(nlohmann_json_headers SYSTEM INTERFACE "${CMAKE_BINARY_DIR}/nlohmann-include")
