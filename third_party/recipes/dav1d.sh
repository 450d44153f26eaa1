# dav1d: the AV1 decoder, as libdav1d.a, for AVIF input (8-, 10- and 12-bit).
# Built with meson (its only build system) from the preset's toolchain flags (meson_setup in common.sh).
# On wasm: portable C (no asm), no threads (our patch: skip dependency('threads'), single-thread pthread stubs
# for wasi): open the decoder with n_threads = 1 and max_frame_delay = 1.
needs=()
patches=(dav1d-wasm-single-thread.patch)

build_recipe() {
  local options=(-Denable_tools=false -Denable_tests=false -Denable_examples=false -Denable_docs=false
    '-Dbitdepths=8,16')
  if [ "$preset" = native ]; then
    options+=(-Denable_asm=true)  # x86-64 SSSE3/AVX2/AVX-512 through nasm, chosen at run time
  else
    # No log messages: the default logger's vfprintf(stderr) would add printf and WASI fd imports to the module;
    # errors still come back as return codes.
    options+=(-Denable_asm=false -Dlogging=false)
  fi
  meson_setup "${options[@]}"
  meson_build
  install_built_lib libdav1d.a
  install_files include/dav1d "$src"/include/dav1d/{common,data,dav1d,headers,picture}.h \
    "$build/include/dav1d/version.h"
}
