# libwebp: libwebp, libwebpdemux and libwebpmux, static, single-threaded (the module runs one thread).
needs=()

build_recipe() {
  local tool
  local no_tools=()
  for tool in ANIM_UTILS CWEBP DWEBP GIF2WEBP IMG2WEBP VWEBP WEBPINFO WEBPMUX EXTRAS; do
    no_tools+=("-DWEBP_BUILD_$tool=OFF")
  done
  cmake_configure -DWEBP_USE_THREAD=OFF -DWEBP_BUILD_LIBWEBPMUX=ON "${no_tools[@]}"
  cmake_build_targets webp webpdemux libwebpmux
  install_built_lib libwebp.a
  install_built_lib libwebpdemux.a
  install_built_lib libwebpmux.a
  install_files include/webp "$src"/src/webp/{decode,encode,demux,mux,mux_types,types}.h
}
