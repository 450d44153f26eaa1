#include "support.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "ops/colour.h"

namespace edgepix::test {

ep_output* transform_call(const std::vector<uint8_t>& input, const std::string& request, const std::string& headers) {
  const ep_input base{input.data(), uint32_t(input.size())};
  return ep_transform(request.data(), uint32_t(request.size()), headers.data(), uint32_t(headers.size()), &base, 1);
}

std::string fixtures_dir() {
  static std::string dir = [] {
    if (const char* env = std::getenv("EDGEPIX_FIXTURES")) return std::string(env);
    // Standalone ctest: ask the generator (a no-op when its cache is warm) where the fixtures are.
    std::string command = "node '" EDGEPIX_SOURCE_DIR "/scripts/fixtures.mjs'";
    std::string path;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      char line[4096];
      while (std::fgets(line, sizeof(line), pipe)) path = line;
      pclose(pipe);
    }
    while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
    return path;
  }();
  return dir;
}

std::vector<uint8_t> fixture(const std::string& name) {
  const std::string path = fixtures_dir() + "/" + name;
  std::ifstream file(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(file.good());
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

Image decode(ByteView bytes) {
  const Codec* codec = codec_for(sniff_format(bytes));
  REQUIRE(codec != nullptr);
  Result<Image> image = codec->decode(bytes, {});
  INFO(image.status().message());
  REQUIRE(image.ok());
  unpremultiply(&image.value());
  return std::move(image.value());
}

Pixel pixel(const Image& image, uint32_t x, uint32_t y) {
  const uint8_t* p = image.row(y) + size_t(x) * image.channels;
  return {p[0], p[1], p[2], image.channels == 4 ? p[3] : 255};
}

Image gradient(uint32_t width, uint32_t height, uint32_t channels) {
  Image image = std::move(Image::allocate(width, height, channels).value());
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x) {
      uint8_t* p = image.row(y) + size_t(x) * channels;
      p[0] = uint8_t(x * 255 / (width - 1));
      p[1] = uint8_t(y * 255 / (height - 1));
      p[2] = uint8_t((x + y) * 127 / (width + height - 2) + 64);
      if (channels == 4) p[3] = uint8_t(128 + x * 127 / (width - 1));
    }
  return image;
}

double mean_abs_diff(const Image& a, const Image& b) {
  REQUIRE(a.width == b.width);
  REQUIRE(a.height == b.height);
  REQUIRE(a.channels == b.channels);
  double total = 0;
  const size_t n = a.pixels.size();
  for (size_t i = 0; i < n; ++i) total += std::abs(int(a.pixels.data()[i]) - int(b.pixels.data()[i]));
  return total / double(n);
}

// Channel `c` of every pixel, as the mean absolute difference between two images of equal size.
double channel_diff(const Image& a, const Image& b, uint32_t c) {
  REQUIRE(a.width == b.width);
  REQUIRE(a.height == b.height);
  double sum = 0;
  for (uint32_t y = 0; y < a.height; ++y)
    for (uint32_t x = 0; x < a.width; ++x)
      sum += std::abs(int(a.row(y)[x * a.channels + c]) - int(b.row(y)[x * b.channels + c]));
  return sum / (double(a.width) * a.height);
}

}  // namespace edgepix::test
