# xxHash (Debian libxxhash-dev), used header-only (XXH_INLINE_ALL) for the cached voice parts'
# integrity digest (src/voice/part_digest.h). As with nlohmann, emcc must not search /usr/include,
# so xxhash.h alone is copied into the build tree and used from there by both builds.
find_path(XXHASH_ROOT xxhash.h PATHS /usr/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT XXHASH_ROOT)
  message(FATAL_ERROR "xxhash.h not found: run `bash scripts/setup.sh` (libxxhash-dev)")
endif()
file(COPY "${XXHASH_ROOT}/xxhash.h" DESTINATION "${CMAKE_BINARY_DIR}/xxhash-include")
add_library(xxhash_headers INTERFACE)
target_include_directories(xxhash_headers SYSTEM INTERFACE "${CMAKE_BINARY_DIR}/xxhash-include")
