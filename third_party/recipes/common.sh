# Helpers for the recipes in this folder. scripts/deps sources this file and then NAME.sh in a subshell whose
# output goes to the build log, with: src (the unpacked, patched Debian source), build (an empty scratch folder),
# prefix (the package's final folder), out (where files go now; renamed to prefix on success), preset, toolchain
# (the preset's CMake toolchain file, which carries every compiler flag) and jobs.
#
# A recipe sets `needs=(...)` (packages above it in the manifest that it builds against) and defines
# build_recipe, which puts headers in $out/include and static libraries in $out/lib.

# Configures the package's CMake project with the preset's toolchain: static libraries, Release, Ninja.
cmake_configure() {
  local include=()
  [ ! -f "$build/project-include.cmake" ] || include=(-DCMAKE_PROJECT_INCLUDE="$build/project-include.cmake")
  cmake -S "$src" -B "$build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=OFF "${include[@]}" "$@"
}

# project_include CMAKE_CODE: runs that code right after the package's project() call, e.g. to add a compile
# definition without replacing the toolchain's CMAKE_C_FLAGS (passing -DCMAKE_C_FLAGS would). Call it before
# cmake_configure.
project_include() { echo "$1" >>"$build/project-include.cmake"; }

# Builds only the named targets, so no tools, tests or shared libraries get compiled.
cmake_build_targets() { cmake --build "$build" -j "$jobs" --verbose --target "$@"; }

# For projects whose install rules cover only the libraries and headers we want.
cmake_install() { DESTDIR=${out%"$prefix"} cmake --install "$build"; }

# install_files SUBDIR FILE...: copies files into $out/SUBDIR.
install_files() {
  local dir=$out/$1
  shift
  mkdir -p "$dir"
  cp -L "$@" "$dir/"
}

# install_built_lib NAME [BUILT_NAME...]: copies the static library that the build produced (under any of the
# given names, which differ between platforms) to $out/lib/NAME.
install_built_lib() {
  local name=$1 candidate found
  for candidate in "$@"; do
    found=$(find "$build" -name "$candidate" -type f -print -quit)
    [ -z "$found" ] || break
  done
  [ -n "$found" ] || { echo "no $* under $build" >&2; return 1; }
  mkdir -p "$out/lib"
  cp "$found" "$out/lib/$name"
}

# dep_dir NAME: the install folder of a package listed in `needs`.
dep_dir() {
  [[ " ${needs[*]} " == *" $1 "* ]] || { echo "dep_dir $1: add $1 to needs" >&2; return 1; }
  echo "${built[$1]}"
}
