# libwebp: libwebp, libwebpdemux and libwebpmux, static, single-threaded (the module runs one thread).
needs=()
patches=(libwebp-wasm-simd128.patch)

# libwebp's SSE2/SSE4.1 code compiles to wasm SIMD128 through Emscripten's SSE compatibility headers; upstream
# supports that for Emscripten (WEBP_ENABLE_SIMD, -msse2 -msimd128). Decoded pixels match the native build byte
# for byte; lossy decoding runs 1.5-2.7x faster than the plain C build in Node. Our patch replaces the few spots
# where that translation was slow in wasm (see its description); outputs stay the same in every preset.
build_recipe() {
  local tool
  local no_tools=()
  for tool in ANIM_UTILS CWEBP DWEBP GIF2WEBP IMG2WEBP VWEBP WEBPINFO WEBPMUX EXTRAS; do
    no_tools+=("-DWEBP_BUILD_$tool=OFF")
  done
  if [ "$preset" = wasm ]; then
    # What emcc's -msse4.1 says (common.sh), and EMSCRIPTEN, which only src/dsp/cpu.c reads to report those SSE
    # levels as present (wasm has no CPU detection). CFLAGS adds to the toolchain's flags and reaches the checks.
    CFLAGS="$(sse_as_simd128_cflags) -DEMSCRIPTEN"
    export CFLAGS
  fi
  cmake_configure -DWEBP_USE_THREAD=OFF -DWEBP_ENABLE_SIMD=ON -DWEBP_BUILD_LIBWEBPMUX=ON "${no_tools[@]}"
  grep -q '^WEBP_HAVE_FLAG_SSE41:INTERNAL=1' "$build/CMakeCache.txt"  # the SIMD paths must really be on
  cmake_build_targets webp webpdemux libwebpmux
  install_built_lib libwebp.a
  install_built_lib libwebpdemux.a
  install_built_lib libwebpmux.a
  install_files include/webp "$src"/src/webp/{decode,encode,demux,mux,mux_types,types}.h
}
