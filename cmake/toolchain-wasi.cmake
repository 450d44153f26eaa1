# Preset `wasm`: clang-14 --target=wasm32-wasi against a private sysroot, for the shipped reactor module.
# scripts/deps builds the third-party libraries with this same file; keep every preset-wide flag here.
#
# For our own CMakeLists this file also defines:
#   EDGEPIX_PLATFORM_SOURCES          sources the wasm module needs from src/platform (setjmp/longjmp runtime)
#   EDGEPIX_WASM_MODULE_LINK_OPTIONS  link options that make an executable target a reactor module
set(EDGEPIX_PRESET wasm)

# CMake 3.25 has no WASI platform module; Generic gives plain static libraries and no host assumptions.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

get_filename_component(_edgepix_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

# The sysroot (scripts/wasi-sysroot): resolved once, then handed to try_compile projects as a variable.
if(NOT EDGEPIX_WASI_SYSROOT)
  if(DEFINED ENV{EDGEPIX_WASI_SYSROOT})
    set(EDGEPIX_WASI_SYSROOT "$ENV{EDGEPIX_WASI_SYSROOT}")
  else()
    execute_process(COMMAND "${_edgepix_root}/scripts/wasi-sysroot"
      OUTPUT_VARIABLE EDGEPIX_WASI_SYSROOT OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _edgepix_rc)
    if(NOT _edgepix_rc EQUAL 0)
      message(FATAL_ERROR "scripts/wasi-sysroot failed (${_edgepix_rc})")
    endif()
  endif()
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EDGEPIX_WASI_SYSROOT)

set(CMAKE_C_COMPILER clang-14)
set(CMAKE_CXX_COMPILER clang++-14)
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_CXX_COMPILER_TARGET wasm32-wasi)
set(CMAKE_SYSROOT "${EDGEPIX_WASI_SYSROOT}")
find_program(CMAKE_AR llvm-ar-14 REQUIRED)
find_program(CMAKE_RANLIB llvm-ranlib-14 REQUIRED)
# clang drives the link; name lld 14's wasm-ld rather than whatever `wasm-ld` comes first on PATH.
find_program(EDGEPIX_WASM_LD wasm-ld-14 REQUIRED)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=${EDGEPIX_WASM_LD}")
set(CMAKE_EXECUTABLE_SUFFIX .wasm)

# -msimd128: Workers and Node 20 run 128-bit SIMD; clang auto-vectorises with it.
# -mexception-handling -mllvm -wasm-enable-sjlj: setjmp/longjmp via wasm exception handling (src/platform/wasi);
#   every object that may call them (libjpeg, libpng, our error paths) must be built this way.
set(_edgepix_wasm_flags "-msimd128 -mexception-handling -mllvm -wasm-enable-sjlj")
set(CMAKE_C_FLAGS_INIT "${_edgepix_wasm_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_edgepix_wasm_flags} -fno-exceptions")
set(CMAKE_C_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C flags for Release builds")
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C++ flags for Release builds")

set(EDGEPIX_PLATFORM_SOURCES "${_edgepix_root}/src/platform/wasi/sjlj_runtime.c")
# --strip-debug: Debian's wasm32 libc and libc++ archives carry DWARF, which would otherwise make up most of the
# module (a small C++ module: 246 KB with it, 20 KB without); the name section stays for readable stack traces.
# --stack-first: a stack overflow then traps instead of silently overwriting static data below the stack;
# 1 MiB of stack rather than wasm-ld's 64 KiB leaves room for the codecs' larger frames.
set(EDGEPIX_WASM_MODULE_LINK_OPTIONS
  -mexec-model=reactor -Wl,--strip-debug -Wl,--stack-first -Wl,-z,stack-size=1048576)

# Look for libraries and headers only in the sysroot and in the prefixes we are given (scripts/deps' prefix in
# CMAKE_PREFIX_PATH), never in the host's /usr.
list(APPEND CMAKE_FIND_ROOT_PATH "${EDGEPIX_WASI_SYSROOT}" ${CMAKE_PREFIX_PATH})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
