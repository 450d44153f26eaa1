# Preset `wasm-emscripten`: Debian's Emscripten 3.1.6 building the same sources into a standalone module (no JS
# glue), kept green beside the wasi build. scripts/deps builds the third-party libraries with this same file;
# keep every preset-wide flag here.
#
# For our own CMakeLists this file also defines (same names as cmake/toolchain-wasi.cmake):
#   EDGEPIX_PLATFORM_SOURCES          sources the wasm module needs from src/platform
#   EDGEPIX_WASM_MODULE_LINK_OPTIONS  link options that make an executable target a standalone reactor module
set(EDGEPIX_PRESET wasm-emscripten)

get_filename_component(_edgepix_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

# Emscripten.cmake defaults the processor to x86, which would switch on x86 code paths in the libraries.
set(EMSCRIPTEN_SYSTEM_PROCESSOR wasm32)
# Configure checks run test programs (emscripten's CheckTypeSize returns sizeof as the exit code) under Node.
# 3.1.6's JS glue loads the .wasm with fetch() whenever it exists, which Node 20 has and which fails on a file
# path: every check would "return" 7 (Node's exit code for that). Without fetch the glue reads the file.
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/node --no-experimental-fetch)
include(/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake)

# Debian's emcc needs its npm modules (acorn, for the JS optimiser run at link time) from /usr/share/nodejs.
set(ENV{NODE_PATH} /usr/share/nodejs)
set(CMAKE_C_LINKER_LAUNCHER env NODE_PATH=/usr/share/nodejs)
set(CMAKE_CXX_LINKER_LAUNCHER env NODE_PATH=/usr/share/nodejs)

# -msimd128: as the wasi preset.
# -sSUPPORT_LONGJMP=wasm: setjmp/longjmp through wasm exception handling (emcc adds -wasm-enable-sjlj) instead
#   of emscripten's default, which calls out to JS. -mexception-handling: the runtime throws the wasm tag itself.
set(_edgepix_wasm_flags "-msimd128 -mexception-handling -sSUPPORT_LONGJMP=wasm")
set(CMAKE_C_FLAGS_INIT "${_edgepix_wasm_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_edgepix_wasm_flags} -fno-exceptions")
set(CMAKE_C_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C flags for Release builds")
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C++ flags for Release builds")

# Emscripten 3.1.6's own sjlj runtime (libcompiler_rt-wasm-sjlj) imports getTempRet0/setTempRet0 from JS in a
# standalone module; ours defines them in wasm, and its saveSetjmp/testSetjmp/__wasm_longjmp take precedence.
# memory_growth.c: the same for the memory-growth notification.
set(EDGEPIX_PLATFORM_SOURCES
  "${_edgepix_root}/src/platform/wasi/sjlj_runtime.c"
  "${_edgepix_root}/src/platform/emscripten/memory_growth.c")
# STANDALONE_WASM: WASI imports only, no JS. --no-entry: a reactor (exports _initialize, no main).
set(EDGEPIX_WASM_MODULE_LINK_OPTIONS -sSTANDALONE_WASM --no-entry -sSUPPORT_LONGJMP=wasm -sALLOW_MEMORY_GROWTH=1)

# Emscripten.cmake searches only its own sysroot; also search the prefixes we are given (scripts/deps' prefix in
# CMAKE_PREFIX_PATH), still never the host's /usr.
list(APPEND CMAKE_FIND_ROOT_PATH ${CMAKE_PREFIX_PATH})
