# lcms2 (Little CMS): liblcms2.a for ICC profile transforms (embedded profiles to sRGB).
# Upstream builds with autotools or meson; a few-line CMake project over its sources uses the preset's toolchain
# file like every other recipe.
needs=()

build_recipe() {
  # The wasm module runs one thread and has no pthreads: lcms2's context/plugin mutexes become no-ops there.
  # Native keeps them (glibc's pthreads live in libc), so a multi-threaded host can share the library.
  local threads=1
  [ "$preset" = native ] || threads=0
  cat >"$src/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.25)
project(lcms2 C)
file(GLOB sources "\${CMAKE_SOURCE_DIR}/src/*.c")
add_library(lcms2 STATIC \${sources})
target_include_directories(lcms2 PRIVATE include)
# HasTHREADS=0 defines CMS_NO_PTHREADS; HAVE_GMTIME_R: wasi-libc, glibc and Emscripten all have it.
target_compile_definitions(lcms2 PRIVATE HasTHREADS=$threads HAVE_GMTIME_R=1)
EOF
  wasm_without_files lcms2  # cmsOpenProfileFromFile and friends fail on wasm (profiles come from memory)
  # -Os in the modules, as aom and libde265: the Worker's gzipped size has a hard cap (README.md, "Size"). lcms2's
  # pixel loops run only for CMYK and LUT profiles; matrix/curve profiles take our own kernel (src/codec/icc.cpp).
  local options=()
  [ "$preset" = native ] || options+=(-DCMAKE_C_FLAGS_RELEASE="-Os -DNDEBUG")
  cmake_configure "${options[@]}"
  cmake_build_targets lcms2
  install_built_lib liblcms2.a
  install_files include "$src/include/lcms2.h" "$src/include/lcms2_plugin.h"
}
