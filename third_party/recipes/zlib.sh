# zlib: the static library only (its CMake project always adds a shared library and example programs).
needs=()

build_recipe() {
  # Debian's dfsg tarball drops win32/, but CMakeLists.txt lists win32/zlib1.rc for the shared library (which
  # we never build) and refuses to configure without it.
  mkdir -p "$src/win32"
  : >"$src/win32/zlib1.rc"
  # Where CMake sees UNIX (native, Emscripten) both libraries are named libz.a and Emscripten turns the shared
  # one into a second static one: ninja refuses two rules for one file. Rename that unbuilt twin once zlib's
  # CMakeLists has defined it.
  project_include 'cmake_language(DEFER CALL set_target_properties zlib PROPERTIES OUTPUT_NAME z_unused_shared)'
  cmake_configure
  cmake_build_targets zlibstatic
  # libz.a where CMake sees UNIX, libzlibstatic.a on Generic (wasm).
  install_built_lib libz.a libzlibstatic.a
  # zconf.h is generated into the build tree.
  install_files include "$src/zlib.h" "$build/zconf.h"
}
