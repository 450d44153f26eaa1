# Preset `native`: the host build, our speed reference. scripts/deps builds the third-party libraries with this
# same file, so they and our own code are compiled alike; keep every preset-wide flag here.
set(EDGEPIX_PRESET native)

set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)

# -fPIC: the static libraries may end up in a shared object (a Node addon, a fuzzing harness).
set(CMAKE_C_FLAGS_INIT "-fPIC")
set(CMAKE_CXX_FLAGS_INIT "-fPIC")
# -O2 rather than CMake's -O3 for Release, the same level as the wasm presets. A cache entry, because CMake
# appends its own -O3 to *_RELEASE_INIT; `set(CACHE)` leaves a value given on the command line alone.
set(CMAKE_C_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C flags for Release builds")
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "C++ flags for Release builds")
