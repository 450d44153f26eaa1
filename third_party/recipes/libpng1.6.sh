# libpng: static, against our zlib; no tests or tools.
needs=(zlib)

build_recipe() {
  # Hardware optimisations are x86/ARM/MIPS/PowerPC intrinsics: on for native, nothing to use on wasm.
  local hardware=OFF
  [ "$preset" != native ] || hardware=ON
  # No stdio in any preset (memory I/O only, errors through our handlers): it keeps fprintf(stderr) and
  # FILE* code, and the WASI imports they need, out of the module, and gives every preset the same API.
  echo 'option STDIO off' >"$build/no-stdio.dfa"
  cmake_configure -DPNG_SHARED=OFF -DPNG_STATIC=ON -DPNG_TESTS=OFF -DPNG_EXECUTABLES=OFF \
    -DPNG_HARDWARE_OPTIMIZATIONS="$hardware" -DDFA_XTRA="$build/no-stdio.dfa" \
    -DZLIB_INCLUDE_DIR="$(dep_dir zlib)/include" -DZLIB_LIBRARY="$(dep_dir zlib)/lib/libz.a"
  cmake_build_targets png_static
  install_built_lib libpng16.a
  install_files include "$src/png.h" "$src/pngconf.h" "$build/pnglibconf.h"
}
