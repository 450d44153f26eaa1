// A C++17 reactor module links and runs: libc++ containers and strings, heap, a global constructor (run by
// _initialize), no exceptions. Returns 0 when everything holds.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check_export.h"

namespace {
struct InitialisedAtStart {
  std::string greeting = std::string("edge") + "pix";
};
InitialisedAtStart initialised_at_start;

std::optional<int> parse_digit(char c) {
  if (c < '0' || c > '9') return std::nullopt;
  return c - '0';
}
}  // namespace

extern "C" EXPORT("cxx_smoke") int cxx_smoke() {
  if (initialised_at_start.greeting != "edgepix") return 1;
  std::vector<std::string> words;
  for (int i = 0; i < 100; i++) words.push_back(std::to_string(i * 37 % 100));
  std::sort(words.begin(), words.end());
  if (words.front() != "0" || words.back() != "99") return 2;
  auto digits = std::make_unique<int[]>(4);
  for (int i = 0; i < 4; i++) digits[i] = parse_digit("2024"[i]).value_or(-1);
  if (digits[0] + digits[1] + digits[2] + digits[3] != 8 || parse_digit('x')) return 3;
  std::vector<unsigned char> large(32 << 20, 7);  // more than the initial memory: it has to grow
  if (large.back() != 7) return 4;
  return 0;
}

#ifndef __wasm__
int main() { return cxx_smoke(); }
#endif
