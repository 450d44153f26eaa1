#!/usr/bin/env bash
# libFuzzer harnesses for the core's parsers of hostile input, under ASan + UBSan (clang++-14). Not part of the
# default build, the presets or `npm test`: build/fuzz/ only. Objects are reused while their sources are unchanged.
#
#   tests/fuzz/build.sh     -> build/fuzz/fuzz_classify     ep_classify (sniff, probe, DC-only JPEG, EXIF facts, features)
#                              build/fuzz/fuzz_policy       ep_policy, then ep_verdict either way round
#                              build/fuzz/fuzz_placeholder  ep_placeholder (base64, ThumbHash decode, PNG)
#
# Seeds: classify, the fixtures (`node scripts/fixtures.mjs`) of up to 200 KB, and JPEGs over 2040 px on the long
# side (cjpeg of a gradient at -quality 3, with -restart, -sample 1x1, -grayscale...): only those take the DC
# decode. policy, the policies of tests/core/policy_test.cpp and verdict_test.cpp; placeholder, ThumbHashes
# that ep_classify gives for the fixtures. Runs used here:
#   build/fuzz/fuzz_classify -dict=tests/fuzz/jpeg.dict -max_len=200000 -rss_limit_mb=2048 -timeout=10 CORPUS/
#   build/fuzz/fuzz_policy -dict=tests/fuzz/policy.dict -max_len=4096 -rss_limit_mb=2048 -timeout=10 CORPUS/
#   build/fuzz/fuzz_placeholder -max_len=256 -rss_limit_mb=2048 -timeout=10 CORPUS/
# A crash, hang or leak becomes a regression test in tests/core/ (the bytes inline), not a file in the tree.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/build/fuzz"
prefix="$("$root/scripts/deps" native | tail -n 1)"
prefix="$(readlink -f "$prefix")"
cxx="${CXX:-clang++-14}"
cc="${CC:-clang-14}"
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1)
mkdir -p "$out/obj"

# The core's sources, as CMakeLists.txt lists them for edgepix_core.
mapfile -t sources < <(sed -n '/^add_library(edgepix_core STATIC/,/)/p' "$root/CMakeLists.txt" \
  | tr ' ()' '\n\n\n' | grep -E '^src/.*\.cpp$')

objs=()
pids=()
jobs_max="${JOBS:-$(nproc)}"
for src in "${sources[@]}"; do
  obj="$out/obj/$(echo "$src" | tr '/' '_').o"
  objs+=("$obj")
  if [[ ! -f "$obj" || "$root/$src" -nt "$obj" || -n "$(find "$root/src" -name '*.h' -newer "$obj" -print -quit)" ]]; then
    "$cxx" -std=c++17 "${san[@]}" -fsanitize=fuzzer-no-link -msse4.1 -DEDGEPIX_VERSION='"fuzz"' \
      -I"$root/src" -isystem "$prefix/include" -c "$root/$src" -o "$obj" &
    pids+=($!)
    if (( ${#pids[@]} >= jobs_max )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  fi
done
for p in "${pids[@]}"; do wait "$p"; done

libs=()
for lib in webpdemux webpmux webp png16 z jpeg aom dav1d de265 lcms2; do libs+=("$prefix/lib/lib$lib.a"); done
for h in fuzz_classify fuzz_policy fuzz_placeholder; do
  "$cxx" -std=c++17 "${san[@]}" -fsanitize=fuzzer -I"$root/src" "$root/tests/fuzz/$h.cpp" "${objs[@]}" \
    "${libs[@]}" -lm -lpthread -ldl -o "$out/$h"
  echo "$out/$h"
done
