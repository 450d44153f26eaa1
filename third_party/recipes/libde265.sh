# libde265: the HEVC decoder, as libde265.a, for HEIC input (HEVC stills in HEIF; heif.h is the container).
# Decoder only: a few-line CMake project over its decoder sources (upstream's also builds the encoder, dec265 and
# needs a threads library). We open it with no worker threads.
# native: its SSE4.1 kernels (x86/), chosen at run time. wasm presets: portable C; on wasm32-wasi, which has no
# <pthread.h>, our single-thread stand-ins (compat/wasi/pthread.h), and its libc++ no <mutex> (our patch);
# Emscripten has both.
needs=()
patches=(libde265-wasm-no-threads.patch)
ours=(compat/wasi/pthread.h)

build_recipe() {
  local sources="alloc_pool bitstream cabac configparam contextmodel de265 deblock decctx dpb fallback-dct
    fallback-motion fallback image intrapred md5 motion nal-parser nal pps quality refpic sao scan sei slice sps
    threads transform util visualize vps vui" x86=""
  [ "$preset" != native ] || x86="x86/sse.cc x86/sse-motion.cc x86/sse-dct.cc"
  cat >"$src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(libde265 C CXX)
set(CMAKE_CXX_STANDARD 11)
set(NUMERIC_VERSION 0x01001100)
set(PACKAGE_VERSION 1.0.11)
configure_file(libde265/de265-version.h.in libde265/de265-version.h)
add_library(de265 STATIC)
foreach(name $sources)
  target_sources(de265 PRIVATE libde265/\${name}.cc)
endforeach()
target_sources(de265 PRIVATE $(for f in $x86; do echo "libde265/$f"; done))
target_include_directories(de265 PRIVATE . libde265 \${CMAKE_BINARY_DIR})
target_compile_definitions(de265 PRIVATE LIBDE265_STATIC_BUILD HAVE_POSIX_MEMALIGN)
CMAKE
  if [ "$preset" = native ]; then
    echo 'target_compile_definitions(de265 PRIVATE HAVE_SSE4_1)' >>"$src/CMakeLists.txt"
    echo 'set_source_files_properties(libde265/x86/sse-motion.cc libde265/x86/sse-dct.cc PROPERTIES COMPILE_OPTIONS -msse4.1)' >>"$src/CMakeLists.txt"
  elif [ "$preset" = wasm ]; then
    echo "target_include_directories(de265 SYSTEM PRIVATE \"$ours_dir/compat/wasi\")" >>"$src/CMakeLists.txt"
    # motion.cc and slice.cc include <signal.h> but call nothing from it: the declarations are enough, and no
    # signal emulation is linked.
    echo 'target_compile_definitions(de265 PRIVATE _WASI_EMULATED_SIGNAL)' >>"$src/CMakeLists.txt"
  fi
  cat "$src/CMakeLists.txt"
  wasm_without_files de265
  local options=()
  # -Os in the modules, as aom: the Worker's gzipped size is a target (README.md, "HEIC", has the measurement).
  [ "$preset" = native ] || options+=(-DCMAKE_C_FLAGS_RELEASE="-Os -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-Os -DNDEBUG")
  cmake_configure "${options[@]}"
  cmake_build_targets de265
  install_built_lib libde265.a
  install_files include/libde265 "$src/libde265/de265.h" "$build/libde265/de265-version.h"
}
