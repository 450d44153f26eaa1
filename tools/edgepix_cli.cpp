// Native command line over the same C ABI the wasm module exports, for benchmarks and manual checks.
//   edgepix transform <input> <output> <options> [accept]   writes the image, prints the answer's JSON
//   (<options>: an option string, or a request's JSON as src/api.h describes it)
//   edgepix probe <input>                                     prints the header JSON
//   edgepix time <input> <options> <runs> [accept]            prints {"medianMs":…,"minMs":…,"maxMs":…}
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "api.h"

namespace {

bool read_file(const char* path, std::vector<uint8_t>* out) {
  FILE* file = std::fopen(path, "rb");
  if (!file) return false;
  uint8_t chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof(chunk), file)) > 0) out->insert(out->end(), chunk, chunk + n);
  std::fclose(file);
  return true;
}

ep_output* run(const std::vector<uint8_t>& input, const char* options, const char* accept) {
  const std::string headers = *accept ? std::string("Accept: ") + accept + "\n" : std::string();
  const ep_input base{input.data(), uint32_t(input.size())};
  return ep_transform(options, uint32_t(std::strlen(options)), headers.data(), uint32_t(headers.size()), &base, 1);
}

bool failed(const ep_output* output) { return !output || std::strstr(output->meta, "\"error\":") == output->meta + 1; }

int usage() {
  std::fprintf(stderr, "usage: edgepix transform <in> <out> <options> [accept] | probe <in> | time <in> <options> <runs> [accept]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string command = argv[1];
  std::vector<uint8_t> input;
  if (!read_file(argv[2], &input)) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 1;
  }
  if (command == "probe") {
    ep_output* output = ep_probe(input.data(), uint32_t(input.size()));
    std::printf("%s\n", output ? output->meta : "null");
    const bool ok = !failed(output);
    ep_output_free(output);
    return ok ? 0 : 1;
  }
  if (command == "transform" && argc >= 5) {
    ep_output* output = run(input, argv[4], argc > 5 ? argv[5] : "");
    std::printf("%s\n", output ? output->meta : "null");
    const bool ok = !failed(output);
    if (ok) {
      FILE* file = std::fopen(argv[3], "wb");
      if (!file || std::fwrite(output->data, 1, output->size, file) != output->size) return 1;
      std::fclose(file);
    }
    ep_output_free(output);
    return ok ? 0 : 1;
  }
  if (command == "time" && argc >= 5) {
    const int runs = std::max(1, std::atoi(argv[4]));
    const char* accept = argc > 5 ? argv[5] : "";
    std::vector<double> times;
    for (int i = 0; i <= runs; ++i) {  // the first run warms caches and is not counted
      const auto start = std::chrono::steady_clock::now();
      ep_output* output = run(input, argv[3], accept);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      const bool ok = !failed(output);
      if (!ok) std::fprintf(stderr, "%s\n", output ? output->meta : "out of memory");
      ep_output_free(output);
      if (!ok) return 1;
      if (i > 0) times.push_back(ms);
    }
    std::sort(times.begin(), times.end());
    std::printf("{\"medianMs\":%.3f,\"minMs\":%.3f,\"maxMs\":%.3f}\n", times[times.size() / 2], times.front(), times.back());
    return 0;
  }
  return usage();
}
