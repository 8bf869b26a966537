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

  # The runtime data: not compiled from the 1.52.0 sources, but the data every published Piper
  # voice was trained with (rhasspy's espeak-ng fork, as piper-phonemize builds it), taken from the
  # pinned npm package @diffusionstudio/piper-wasm@1.0.0 and checked by sha256
  # (scripts/training_espeak_data.mjs). The 1.52.0 engine reads it as is; the fork's dictionaries
  # differ from 1.52.0's in vowels Piper voices learned ("four" fˈoːɹ, not fˈɔːɹ): issue #16.
  set(ESPEAK_DATA_ROOT "${CMAKE_BINARY_DIR}/espeak-data")
  set(ESPEAK_DATA_DIR "${ESPEAK_DATA_ROOT}/espeak-ng-data")
  file(MAKE_DIRECTORY "${ESPEAK_DATA_ROOT}")
  find_program(AV_NODE node REQUIRED)
  set(AV_TRAINING_DATA_PACKAGE "${PROJECT_SOURCE_DIR}/node_modules/@diffusionstudio/piper-wasm/build"
      CACHE PATH "The build/ folder of @diffusionstudio/piper-wasm@1.0.0 (npm ci installs it)")

  # Other languages, shipped as separate data packs that a page loads on demand
  # (AvatarVoice.loadLanguage; loadVoice loads the one a voice needs). This is the one list of
  # them: scripts/build.sh packs what language-packs.txt names, and the package learns it from
  # web/generated/core_tables.ts (core_tables_ts, CMakeLists.txt).
  # Every espeak-ng dictionary a published Piper voice names (rhasspy/piper VOICES.md, OHF-Voice/piper1-gpl
  # docs): Norwegian voices name the espeak voice "nb", whose dictionary is "no"; zh_CN voices "cmn".
  set(AV_ESPEAK_EXTRA_LANGUAGES "ar;ca;cmn;cs;cy;da;de;el;es;fa;fi;fr;hi;hu;id;is;it;ka;kk;lb;lv;ml;ne;nl;no;pl;pt;ro;ru;sk;sl;sr;sv;sw;te;tr;uk;vi")
  list(JOIN AV_ESPEAK_EXTRA_LANGUAGES "\n" _av_pack_lines)
  file(CONFIGURE OUTPUT "${ESPEAK_DATA_ROOT}/language-packs.txt" CONTENT "${_av_pack_lines}\n")
  set(_extra_dicts "")
  foreach(_lang IN LISTS AV_ESPEAK_EXTRA_LANGUAGES)
    list(APPEND _extra_dicts "${ESPEAK_DATA_DIR}/${_lang}_dict")
  endforeach()
  add_custom_command(
    OUTPUT "${ESPEAK_DATA_DIR}/phondata" "${ESPEAK_DATA_DIR}/phontab" "${ESPEAK_DATA_DIR}/phonindex"
           "${ESPEAK_DATA_DIR}/intonations" "${ESPEAK_DATA_DIR}/en_dict" ${_extra_dicts}
    COMMAND ${CMAKE_COMMAND} -E rm -rf "${ESPEAK_DATA_DIR}"
    COMMAND ${AV_NODE} "${PROJECT_SOURCE_DIR}/scripts/training_espeak_data.mjs" "${AV_TRAINING_DATA_PACKAGE}"
            "${ESPEAK_DATA_DIR}" en ${AV_ESPEAK_EXTRA_LANGUAGES}
    DEPENDS "${AV_TRAINING_DATA_PACKAGE}/piper_phonemize.data" "${AV_TRAINING_DATA_PACKAGE}/piper_phonemize.js"
            "${PROJECT_SOURCE_DIR}/scripts/training_espeak_data.mjs"
    COMMENT "Extracting the espeak-ng data Piper voices were trained with (piper-phonemize's)"
    VERBATIM)
  add_custom_target(espeak_data_en ALL DEPENDS "${ESPEAK_DATA_DIR}/en_dict")
  add_custom_target(espeak_data_languages ALL DEPENDS ${_extra_dicts})
  # One command writes both: ordering the targets keeps make from running it twice at once (-j).
  add_dependencies(espeak_data_languages espeak_data_en)
endif()
