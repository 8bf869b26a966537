# espeak-ng 1.52.0 built from the verified Debian source (scripts/setup.sh unpacks it).
#
# We define the targets ourselves instead of add_subdirectory() on espeak's tree: its top level
# FetchContent-clones sonic from the network, registers its own CTest suite and a `data ALL`
# target that compiles ~100 dictionaries. We need only the library (both builds), the CLI and the
# English data (native build).
#
# Targets: espeak_ng (static lib, PUBLIC headers), espeak_ng_internal (private include dirs for the
# one shim that calls espeak internals), espeak_ng_cli + espeak_data_en (native only).
set(ESPEAK_SOURCE_DIR "${PROJECT_SOURCE_DIR}/third_party/espeak-ng-1.52.0" CACHE PATH
    "Unpacked espeak-ng 1.52.0 source (scripts/setup.sh)")
if(NOT EXISTS "${ESPEAK_SOURCE_DIR}/src/libespeak-ng/speech.c")
  message(FATAL_ERROR "espeak-ng source not found in ${ESPEAK_SOURCE_DIR}: run `bash scripts/setup.sh`")
endif()
set(_es "${ESPEAK_SOURCE_DIR}/src")

# Same switches TOOLCHAIN.md verified: no audio output, no alternative synthesizers, no threads.
set(HAVE_MKSTEMP 1)
set(USE_ASYNC 0)
set(USE_KLATT 0)
set(USE_LIBPCAUDIO 0)
set(USE_LIBSONIC 0)
set(USE_MBROLA 0)
set(USE_SPEECHPLAYER 0)
set(PROJECT_VERSION_SAVED "${PROJECT_VERSION}")
set(PROJECT_VERSION "1.52.0")
configure_file("${_es}/libespeak-ng/config.h.in" "${CMAKE_BINARY_DIR}/espeak-config/config.h")
set(PROJECT_VERSION "${PROJECT_VERSION_SAVED}")

add_library(espeak_ucd STATIC
  ${_es}/ucd-tools/src/case.c ${_es}/ucd-tools/src/categories.c ${_es}/ucd-tools/src/ctype.c
  ${_es}/ucd-tools/src/proplist.c ${_es}/ucd-tools/src/scripts.c ${_es}/ucd-tools/src/tostring.c)
target_include_directories(espeak_ucd PUBLIC ${_es}/ucd-tools/src/include)

set(_espeak_files common mnemonics error ieee80 compiledata compiledict dictionary encoding
    intonation langopts numbers phoneme phonemelist readclause setlengths soundicon spect ssml
    synthdata synthesize tr_languages translate translateword voices wavegen speech espeak_api)
list(TRANSFORM _espeak_files PREPEND "${_es}/libespeak-ng/")
list(TRANSFORM _espeak_files APPEND ".c")
add_library(espeak_ng STATIC ${_espeak_files})
target_include_directories(espeak_ng PUBLIC ${_es}/include PRIVATE ${_es}/include/compat
                           "${CMAKE_BINARY_DIR}/espeak-config")
target_compile_definitions(espeak_ng PUBLIC LIBESPEAK_NG_EXPORT=1)
target_compile_options(espeak_ng PRIVATE -fwrapv -w)  # third-party code: its warnings are not ours
target_link_libraries(espeak_ng PRIVATE espeak_ucd)
if(NOT EMSCRIPTEN)
  target_link_libraries(espeak_ng PRIVATE m)
endif()
set_target_properties(espeak_ng espeak_ucd PROPERTIES POSITION_INDEPENDENT_CODE ON)

# Internal headers, for the shim that restores Piper's clause terminators (see src/phonemize/).
add_library(espeak_ng_internal INTERFACE)
target_include_directories(espeak_ng_internal INTERFACE ${_es}/libespeak-ng ${_es}/include/compat
                           "${CMAKE_BINARY_DIR}/espeak-config")

if(NOT EMSCRIPTEN)
  add_executable(espeak_ng_cli ${_es}/espeak-ng.c)
  set_target_properties(espeak_ng_cli PROPERTIES OUTPUT_NAME espeak-ng)
  target_include_directories(espeak_ng_cli PRIVATE "${CMAKE_BINARY_DIR}/espeak-config")
  target_compile_options(espeak_ng_cli PRIVATE -w)
  target_link_libraries(espeak_ng_cli PRIVATE espeak_ng espeak_ucd)

  # English runtime data compiled by the CLI from the same source (TOOLCHAIN.md: < 0.2 s).
  set(ESPEAK_DATA_ROOT "${CMAKE_BINARY_DIR}/espeak-data")
  set(ESPEAK_DATA_DIR "${ESPEAK_DATA_ROOT}/espeak-ng-data")
  set(_dict_tmp "${CMAKE_BINARY_DIR}/espeak-dictsource")
  file(MAKE_DIRECTORY "${ESPEAK_DATA_ROOT}")
  set(_run ${CMAKE_COMMAND} -E env "ESPEAK_DATA_PATH=${ESPEAK_DATA_ROOT}" $<TARGET_FILE:espeak_ng_cli>)
  set(_src_data "${ESPEAK_SOURCE_DIR}/espeak-ng-data")
  add_custom_command(
    OUTPUT "${ESPEAK_DATA_DIR}/phondata" "${ESPEAK_DATA_DIR}/phontab" "${ESPEAK_DATA_DIR}/phonindex"
           "${ESPEAK_DATA_DIR}/intonations" "${ESPEAK_DATA_DIR}/en_dict"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${ESPEAK_DATA_DIR}/lang" "${_dict_tmp}"
    COMMAND ${CMAKE_COMMAND} -E copy_directory "${_src_data}/lang" "${ESPEAK_DATA_DIR}/lang"
    # The compiler reads its sources from <data path>/../phsource.
    COMMAND ${CMAKE_COMMAND} -E copy_directory "${ESPEAK_SOURCE_DIR}/phsource" "${ESPEAK_DATA_ROOT}/phsource"
    COMMAND ${_run} --compile-intonations
    COMMAND ${_run} --compile-phonemes
    COMMAND ${CMAKE_COMMAND} -E copy "${ESPEAK_SOURCE_DIR}/dictsource/en_rules"
            "${ESPEAK_SOURCE_DIR}/dictsource/en_list" "${ESPEAK_SOURCE_DIR}/dictsource/en_emoji" "${_dict_tmp}/"
    COMMAND ${CMAKE_COMMAND} -E chdir "${_dict_tmp}" ${_run} --compile=en
    WORKING_DIRECTORY "${ESPEAK_DATA_ROOT}"
    DEPENDS espeak_ng_cli
    COMMENT "Compiling espeak-ng 1.52 phoneme data and the English dictionary"
    VERBATIM)
  add_custom_target(espeak_data_en ALL DEPENDS "${ESPEAK_DATA_DIR}/en_dict")

  # Other languages, shipped as separate data packs that a page loads on demand
  # (AvatarVoice.loadLanguage; loadVoice loads the one a voice needs). Same compiler, same 1.52
  # source. This is the one list of them: scripts/build.sh packs what language-packs.txt names,
  # and the package learns it from web/generated/core_tables.ts (core_tables_ts, CMakeLists.txt).
  set(AV_ESPEAK_EXTRA_LANGUAGES "de;es;fr;it;pt" CACHE STRING "espeak-ng dictionaries packed besides English")
  list(JOIN AV_ESPEAK_EXTRA_LANGUAGES "\n" _av_pack_lines)
  file(CONFIGURE OUTPUT "${ESPEAK_DATA_ROOT}/language-packs.txt" CONTENT "${_av_pack_lines}\n")
  set(_extra_dicts "")
  foreach(_lang IN LISTS AV_ESPEAK_EXTRA_LANGUAGES)
    set(_sources "")
    foreach(_part rules list listx emoji)
      if(EXISTS "${ESPEAK_SOURCE_DIR}/dictsource/${_lang}_${_part}")
        list(APPEND _sources "${ESPEAK_SOURCE_DIR}/dictsource/${_lang}_${_part}")
      endif()
    endforeach()
    add_custom_command(
      OUTPUT "${ESPEAK_DATA_DIR}/${_lang}_dict"
      COMMAND ${CMAKE_COMMAND} -E copy ${_sources} "${_dict_tmp}/"
      COMMAND ${CMAKE_COMMAND} -E chdir "${_dict_tmp}" ${_run} --compile=${_lang}
      DEPENDS "${ESPEAK_DATA_DIR}/en_dict" ${_sources}
      COMMENT "Compiling the espeak-ng ${_lang} dictionary"
      VERBATIM)
    list(APPEND _extra_dicts "${ESPEAK_DATA_DIR}/${_lang}_dict")
  endforeach()
  add_custom_target(espeak_data_languages ALL DEPENDS ${_extra_dicts})
  # The phoneme data is built by espeak_data_en; ordering the targets keeps make from running
  # that rule twice at once (-j) when both need it.
  add_dependencies(espeak_data_languages espeak_data_en)
endif()
