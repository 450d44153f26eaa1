# aom (libaom): the AV1 encoder only, as libaom.a, for AVIF output; dav1d decodes.
# The slim configuration in every preset, so all presets encode with the same code paths: 8-bit only (no high
# bit depth), no denoiser/noise model (film-grain estimation), no libyuv, no WebM, single-threaded. Good-quality,
# all-intra and real-time usages all stay available (CONFIG_REALTIME_ONLY would drop the first two).
needs=()

build_recipe() {
  local options=(
    -DCONFIG_AV1_ENCODER=1 -DCONFIG_AV1_DECODER=0
    -DCONFIG_AV1_HIGHBITDEPTH=0 -DCONFIG_DENOISE=0 -DCONFIG_LIBYUV=0 -DCONFIG_WEBM_IO=0
    -DCONFIG_MULTITHREAD=0
    -DENABLE_EXAMPLES=0 -DENABLE_TESTS=0 -DENABLE_TOOLS=0 -DENABLE_DOCS=0 -DENABLE_TESTDATA=0
  )
  if [ "$preset" = native ]; then
    # x86-64 SIMD up to AVX2, chosen at run time; nasm assembles the .asm parts.
    options+=(-DENABLE_NASM=1)
  else
    # Portable C: wasm has no CPU detection, and aom has no wasm SIMD code.
    options+=(-DAOM_TARGET_CPU=generic -DCONFIG_RUNTIME_CPU_DETECT=0)
    # -Os rather than -O2 for the wasm encoder: it is most of the module's code (see README.md for the numbers).
    options+=(-DCMAKE_C_FLAGS_RELEASE="-Os -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-Os -DNDEBUG")
  fi
  wasm_without_files aom  # its debug dumps and film-grain/partition files: no file-system imports on wasm
  cmake_configure "${options[@]}"
  cmake_build_targets aom
  install_built_lib libaom.a
  install_files include/aom "$src"/aom/{aom,aom_codec,aom_frame_buffer,aom_image,aom_integer}.h \
    "$src"/aom/{aomcx,aom_encoder,aom_external_partition}.h
}
