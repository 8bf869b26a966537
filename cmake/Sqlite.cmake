# SQLite 3.53.2 amalgamation (scripts/setup.sh extracts it, pinned by sha256).
set(SQLITE_SOURCE_DIR "${PROJECT_SOURCE_DIR}/third_party/sqlite" CACHE PATH "SQLite amalgamation")
if(NOT EXISTS "${SQLITE_SOURCE_DIR}/sqlite3.c")
  message(FATAL_ERROR "SQLite amalgamation not found in ${SQLITE_SOURCE_DIR}: run `bash scripts/setup.sh`")
endif()
add_library(sqlite3_amalgamation STATIC "${SQLITE_SOURCE_DIR}/sqlite3.c")
target_include_directories(sqlite3_amalgamation SYSTEM PUBLIC "${SQLITE_SOURCE_DIR}")
# One connection per worker, no threads; foreign keys on by default; no extension loading
# (nothing may load code from a page); no double-quoted string literals (catches SQL typos);
# the dbstat table, so stats() can say which table holds the bytes.
target_compile_definitions(sqlite3_amalgamation PUBLIC
  SQLITE_THREADSAFE=0 SQLITE_DEFAULT_FOREIGN_KEYS=1 SQLITE_DQS=0 SQLITE_OMIT_LOAD_EXTENSION
  SQLITE_DEFAULT_MEMSTATUS=0 SQLITE_OMIT_DEPRECATED SQLITE_ENABLE_DESERIALIZE
  SQLITE_ENABLE_DBSTAT_VTAB)
target_compile_options(sqlite3_amalgamation PRIVATE -w)
if(EMSCRIPTEN)
  # Our OPFS VFS is registered from wasm/; SQLite's default unix VFS is still compiled for MEMFS.
  target_compile_options(sqlite3_amalgamation PRIVATE -Oz)
else()
  target_compile_options(sqlite3_amalgamation PRIVATE -O2)
endif()
