# Preset `native-asan`: the native build (same flags, same third-party libraries from `scripts/deps native`) with
# clang-14 in place of gcc, because libFuzzer ships with clang: one sanitized compile of the core then serves the
# Catch2 suite and the fuzz harnesses (CMakeLists.txt, EDGEPIX_SANITIZE).
include("${CMAKE_CURRENT_LIST_DIR}/toolchain-native.cmake")
set(CMAKE_C_COMPILER clang-14)
set(CMAKE_CXX_COMPILER clang++-14)
