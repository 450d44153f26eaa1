# libpng: static, against our zlib; no tests or tools.
needs=(zlib)
patches=(libpng-wasm-sse2-filters.patch)

build_recipe() {
  # Hardware optimisations are x86/ARM/MIPS/PowerPC intrinsics: on for native, and for the shipped wasm module,
  # whose clang build takes the SSE2 row filters through Emscripten's SSE compatibility headers (our patch lets
  # libpng's CMake offer them to wasm32). The Emscripten preset, kept portable, stays on the C filters.
  local hardware=OFF
  [ "$preset" = wasm-emscripten ] || hardware=ON
  if [ "$preset" = wasm ]; then
    CFLAGS=$(sse_as_simd128_cflags)
    export CFLAGS
  fi
  # No stdio in any preset (memory I/O only, errors through our handlers): it keeps fprintf(stderr) and
  # FILE* code, and the WASI imports they need, out of the module, and gives every preset the same API.
  echo 'option STDIO off' >"$build/no-stdio.dfa"
  # -Os in the modules, as aom, libde265 and lcms2 (the Worker's gzipped size has a hard cap): the hot parts of a
  # PNG decode are zlib's inflate (not built for size) and the row filters, which are intrinsics either way.
  local size=()
  [ "$preset" = native ] || size=(-DCMAKE_C_FLAGS_RELEASE="-Os -DNDEBUG")
  cmake_configure "${size[@]}" -DPNG_SHARED=OFF -DPNG_STATIC=ON -DPNG_TESTS=OFF -DPNG_EXECUTABLES=OFF \
    -DPNG_HARDWARE_OPTIMIZATIONS="$hardware" -DDFA_XTRA="$build/no-stdio.dfa" \
    -DZLIB_INCLUDE_DIR="$(dep_dir zlib)/include" -DZLIB_LIBRARY="$(dep_dir zlib)/lib/libz.a"
  cmake_build_targets png_static
  install_built_lib libpng16.a
  # With hardware optimisations the SSE2 filters must really be in (the file compiles to nothing without them).
  [ "$hardware" = OFF ] || grep -q png_read_filter_row_paeth4_sse2 "$out/lib/libpng16.a"
  install_files include "$src/png.h" "$src/pngconf.h" "$build/pnglibconf.h"
}
