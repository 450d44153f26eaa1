# libjpeg-turbo: the libjpeg (v6b) API as a static library; no TurboJPEG API, no tools.
needs=()
patches=(libjpeg-turbo-wasm-64bit-bit-buffer.patch libjpeg-turbo-fast-ac-lookup.patch
  libjpeg-turbo-null-convert-hook.patch)
ours=(simd/jsimd_wasm.c)

build_recipe() {
  # native is our speed reference: its x86-64 SIMD (assembled by nasm) is required there. The wasm presets have
  # no SIMD in libjpeg-turbo's tree: our SIMD128 hooks (third_party/simd/jsimd_wasm.c) take the place of its
  # jsimd_none.c, and WITH_SIMD gives the 16-bit DCT work areas they expect.
  local simd=0
  [ "$preset" != native ] || simd=1
  if [ "$preset" != native ]; then
    cp "$ours_dir/simd/jsimd_wasm.c" "$src/jsimd_none.c"
    # JSIMD_NULL_CONVERT: the decoder hook our patch adds, which jsimd_wasm.c provides.
    project_include 'add_compile_definitions(WITH_SIMD=1 JSIMD_NULL_CONVERT)'
  fi
  # No JPEGMEM environment variable: the module has no environment worth asking (and needs no environ_get).
  # NO_PUTENV too: jinclude.h only includes <errno.h>, which its putenv helper needs, when getenv is on.
  project_include 'add_compile_definitions(NO_GETENV NO_PUTENV)'
  # wasm has a count-leading-zeros instruction: the Huffman encoders use it (as on ARM) instead of a 64 KB
  # bit-length table, smaller and no slower.
  [ "$preset" = native ] || project_include 'add_compile_definitions(USE_CLZ_INTRINSIC)'
  cmake_configure -DENABLE_SHARED=0 -DENABLE_STATIC=1 -DWITH_TURBOJPEG=0 -DWITH_JAVA=0 \
    -DWITH_SIMD="$simd" -DREQUIRE_SIMD="$simd"
  cmake_build_targets jpeg-static
  install_built_lib libjpeg.a
  install_files include "$src/jpeglib.h" "$src/jerror.h" "$src/jmorecfg.h" "$build/jconfig.h"
}
