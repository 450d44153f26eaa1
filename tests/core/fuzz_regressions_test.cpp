// Every input a fuzzer once crashed on (tests/fuzz/regressions/<harness>/) runs again through that harness's own
// body (tests/fuzz/target.h): each must come back as an error or an output. Under native-asan a regression is a
// sanitizer report; in the plain build, at least a crash.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../fuzz/target.h"

namespace {

const std::filesystem::path kRegressions = EDGEPIX_SOURCE_DIR "/tests/fuzz/regressions";

const edgepix::fuzz::Target* find_target(const std::string& name) {
  for (const auto& target : edgepix::fuzz::targets())
    if (target.name == name) return &target;
  return nullptr;
}

}  // namespace

TEST_CASE("every fuzz regression file is answered without a crash", "[fuzz]") {
  REQUIRE(std::filesystem::is_directory(kRegressions));
  size_t replayed = 0;
  for (const auto& folder : std::filesystem::directory_iterator(kRegressions)) {
    if (!folder.is_directory()) continue;
    const std::string harness = folder.path().filename().string();
    const edgepix::fuzz::Target* target = find_target(harness);
    INFO("tests/fuzz/regressions/" << harness << "/ names no harness");
    REQUIRE(target);
    for (const auto& file : std::filesystem::directory_iterator(folder.path())) {
      if (!file.is_regular_file()) continue;
      std::ifstream in(file.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      INFO("replaying " << file.path().string());
      target->body(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  CHECK(replayed > 0);
}
