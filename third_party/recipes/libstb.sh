# stb: header-only; edgepix uses stb_image.h to decode the first frame of GIFs.
needs=()

build_recipe() {
  install_files include "$src/stb_image.h"
}
