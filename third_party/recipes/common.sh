# Helpers for the recipes in this folder. scripts/deps sources this file and then NAME.sh in a subshell whose
# output goes to the build log, with: src (the unpacked, patched Debian source), build (an empty scratch folder),
# prefix (the package's final folder), out (where files go now; renamed to prefix on success), preset, toolchain
# (the preset's CMake toolchain file, which carries every compiler flag), jobs, and ours_dir (third_party/).
#
# A recipe sets `needs=(...)` (packages above it in the manifest that it builds against), may set `patches=(...)`
# (files in third_party/patches/ applied to the source) and `ours=(...)` (our own files under third_party/ that it
# adds to the build; both count in the package's build hash), and defines build_recipe, which puts headers in $out/include and static libraries in $out/lib.

# The C flags under which a library's SSE2..SSE4.1 intrinsics compile to wasm SIMD128 with plain clang, as emcc's
# -msse4.1 would have them: the SSE macros (clang ignores -msse* for wasm) and Emscripten's compatibility headers
# ahead of clang's x86 ones. For the `wasm` preset (clang with SIMD128), in a recipe's CFLAGS.
sse_as_simd128_cflags() {
  echo "-D__SSE__ -D__SSE2__ -D__SSE3__ -D__SSSE3__ -D__SSE4_1__ -isystem /usr/share/emscripten/system/include/compat"
}

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

# wasm_without_files TARGET: on the wasm presets, the CMake library TARGET's calls to fopen and remove go to
# stubs compiled into it that fail with ENOSYS (a macro renames them, per library). Its file paths are debugging
# dumps and file-name options we never use; without them the module imports no WASI file-system calls
# (path_open, fd_read, path_unlink_file, ...), which the Worker's host (wasm/core.js) does not provide.
# Call before cmake_configure.
wasm_without_files() {
  local target=$1
  [ "$preset" != native ] || return 0
  cat >"$build/${target}_no_files.c" <<STUBS
#include <errno.h>
#include <stdio.h>
/* fopen and remove are ${target}_no_fopen and ${target}_no_remove here (see wasm_without_files). */
FILE *fopen(const char *path, const char *mode) { (void)path; (void)mode; errno = ENOSYS; return NULL; }
int remove(const char *path) { (void)path; errno = ENOSYS; return -1; }
STUBS
  project_include "add_compile_definitions(fopen=${target}_no_fopen remove=${target}_no_remove)
cmake_language(DEFER CALL target_sources $target PRIVATE \"$build/${target}_no_files.c\")"
}

# dep_dir NAME: the install folder of a package listed in `needs`.
dep_dir() {
  [[ " ${needs[*]} " == *" $1 "* ]] || { echo "dep_dir $1: add $1 to needs" >&2; return 1; }
  echo "${built[$1]}"
}

# meson_setup [MESON_OPTION...]: configures a meson project ($src into $build) with exactly the preset's compiler
# and flags. They are read from the toolchain file by configuring a one-line CMake project, so the toolchain file
# stays the only place that holds them, and written to a meson cross file (a native file for `native`).
# buildtype=plain: meson adds no optimisation or debug flags of its own (the toolchain's Release flags apply);
# b_staticpic=false on wasm, where -fPIC would mean relocatable (dynamic-linking) code.
meson_setup() {
  local probe=$build.toolchain-probe machine_file=$build.meson-machine.ini
  mkdir -p "$probe"
  cat >"$probe/CMakeLists.txt" <<'PROBE'
cmake_minimum_required(VERSION 3.25)
project(probe C)
set(flags ${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_RELEASE})
if(CMAKE_C_COMPILER_TARGET)
  list(PREPEND flags "${CMAKE_C_COMPILE_OPTIONS_TARGET}${CMAKE_C_COMPILER_TARGET}")
endif()
if(CMAKE_SYSROOT)
  list(PREPEND flags "${CMAKE_C_COMPILE_OPTIONS_SYSROOT}${CMAKE_SYSROOT}")
endif()
string(REPLACE " " ";" flags "${flags}")
string(REPLACE " " ";" link_flags "${CMAKE_EXE_LINKER_FLAGS}")
list(REMOVE_ITEM flags "")
list(REMOVE_ITEM link_flags "")
function(meson_array var)
  set(quoted "")
  foreach(item ${ARGN})
    list(APPEND quoted "'${item}'")
  endforeach()
  string(JOIN ", " joined ${quoted})
  set(${var} "[${joined}]" PARENT_SCOPE)
endfunction()
meson_array(c_args ${flags})
meson_array(c_link_args ${flags} ${link_flags})
file(WRITE "${OUT}" "[binaries]\nc = '${CMAKE_C_COMPILER}'\nar = '${CMAKE_AR}'\n"
  "[built-in options]\nc_args = ${c_args}\nc_link_args = ${c_link_args}\n")
PROBE
  cmake -S "$probe" -B "$probe/build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
    -DOUT="$machine_file"
  local kind=--native-file staticpic=true
  if [ "$preset" != native ]; then
    kind=--cross-file staticpic=false
    local system=wasi
    [ "$preset" != wasm-emscripten ] || system=emscripten
    printf "[host_machine]\nsystem = '%s'\ncpu_family = 'wasm32'\ncpu = 'wasm32'\nendian = 'little'\n" "$system" \
      >>"$machine_file"
  fi
  cat "$machine_file"
  meson setup "$build" "$src" "$kind" "$machine_file" --buildtype=plain --default-library=static \
    -Db_staticpic="$staticpic" --prefix="$prefix" "$@"
}

# meson_build: builds the configured meson project (every default target: switch tools and tests off).
meson_build() { ninja -C "$build" -j "$jobs" -v; }
