#include "classify/blurhash.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace edgepix {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

std::string base83(uint32_t value, int length) {
  std::string text(size_t(length), '0');
  for (int i = length - 1; i >= 0; --i, value /= 83) text[size_t(i)] = kDigits[value % 83];
  return text;
}

int from_base83(const std::string& text, size_t at, size_t length) {
  int value = 0;
  for (size_t i = at; i < at + length; ++i) {
    const char* digit = std::find(kDigits, kDigits + 83, text[i]);
    if (digit == kDigits + 83) return -1;
    value = value * 83 + int(digit - kDigits);
  }
  return value;
}

double to_linear(double srgb_byte) {
  const double v = srgb_byte / 255;
  return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

// pow is slow in wasm (no libm instruction): the 256 byte values' linear levels, and the linear levels where
// rounding moves to the next byte, once.
struct SrgbTables {
  double linear[256];
  double rounds_up_at[256];  // [b]: the least linear value that rounds to b or more
  SrgbTables() {
    for (int b = 0; b < 256; ++b) {
      linear[b] = to_linear(b);
      const double v = (b - 0.5) / 255;  // the sRGB value halfway between b - 1 and b
      rounds_up_at[b] = b == 0 ? -1 : v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    }
  }
};
const SrgbTables& srgb_tables() {
  static const SrgbTables tables;
  return tables;
}

double byte_to_linear(uint8_t byte) { return srgb_tables().linear[byte]; }

int to_srgb_byte(double linear) {
  const double* thresholds = srgb_tables().rounds_up_at;
  return int(std::upper_bound(thresholds, thresholds + 256, std::clamp(linear, 0.0, 1.0)) - thresholds) - 1;
}

double signed_pow(double value, double exponent) { return std::copysign(std::pow(std::abs(value), exponent), value); }

struct Factor {
  double r = 0, g = 0, b = 0;
};


// The hash of these factors: the size flag, the largest AC magnitude, the DC as sRGB, the AC terms quantised.
std::string hash_of(const std::vector<Factor>& factors, int components_x, int components_y) {
  std::string hash = base83(uint32_t((components_x - 1) + (components_y - 1) * 9), 1);
  double maximum = 1;
  if (factors.size() > 1) {
    double actual = 0;
    for (size_t i = 1; i < factors.size(); ++i)
      actual = std::max({actual, std::abs(factors[i].r), std::abs(factors[i].g), std::abs(factors[i].b)});
    const int quantised = int(std::floor(std::max(0.0, std::min(82.0, std::floor(actual * 166 - 0.5)))));
    maximum = (quantised + 1) / 166.0;
    hash += base83(uint32_t(quantised), 1);
  } else {
    hash += base83(0, 1);
  }
  const Factor& dc = factors[0];
  hash += base83(uint32_t(to_srgb_byte(dc.r) << 16 | to_srgb_byte(dc.g) << 8 | to_srgb_byte(dc.b)), 4);
  const auto quantise = [&](double v) {
    return int(std::floor(std::max(0.0, std::min(18.0, std::floor(signed_pow(v / maximum, 0.5) * 9 + 9.5)))));
  };
  for (size_t i = 1; i < factors.size(); ++i)
    hash += base83(uint32_t(quantise(factors[i].r) * 19 * 19 + quantise(factors[i].g) * 19 + quantise(factors[i].b)), 2);
  return hash;
}

std::vector<double> mean_rgb(const Image& image) {
  std::vector<double> sum(3);
  const size_t pixels = size_t(image.width) * image.height;
  for (size_t i = 0; i < pixels; ++i)
    for (size_t c = 0; c < 3; ++c) sum[c] += image.pixels.data()[i * image.channels + c];
  for (double& s : sum) s /= double(pixels);
  return sum;
}

}  // namespace

std::string blurhash_encode(const Image& image, int components_x, int components_y) {
  const uint32_t w = image.width, h = image.height, channels = image.channels;
  std::vector<double> linear(size_t(w) * h * 3);
  for (size_t i = 0; i < size_t(w) * h; ++i)
    for (int c = 0; c < 3; ++c) linear[i * 3 + c] = byte_to_linear(image.pixels.data()[i * channels + c]);
  std::vector<Factor> factors;
  std::vector<double> cos_x(w), cos_y(h);
  for (int cy = 0; cy < components_y; ++cy) {
    for (int cx = 0; cx < components_x; ++cx) {
      for (uint32_t x = 0; x < w; ++x) cos_x[x] = std::cos(kPi * cx * x / w);
      for (uint32_t y = 0; y < h; ++y) cos_y[y] = std::cos(kPi * cy * y / h);
      const double normalisation = (cx == 0 && cy == 0) ? 1 : 2;
      Factor f;
      for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x) {
          const double basis = normalisation * cos_x[x] * cos_y[y];
          const double* p = &linear[(size_t(y) * w + x) * 3];
          f.r += basis * p[0], f.g += basis * p[1], f.b += basis * p[2];
        }
      const double scale = 1.0 / (double(w) * h);
      factors.push_back({f.r * scale, f.g * scale, f.b * scale});
    }
  }
  // The DC is the mean in linear light, so a contrasty picture's placeholder comes out brighter than the picture
  // looks (14 levels on a dark photo with a bright subject). The format leaves the DC to the encoder: nudge it
  // until the decoded placeholder's mean colour is the picture's own.
  const std::vector<double> target = mean_rgb(image);
  std::string hash = hash_of(factors, components_x, components_y);
  for (int round = 0; round < 3; ++round) {
    const std::vector<double> mean = mean_rgb(blurhash_decode(hash, 32, 32).value());
    double* dc[3] = {&factors[0].r, &factors[0].g, &factors[0].b};
    for (int c = 0; c < 3; ++c) *dc[c] = to_linear(std::clamp(to_srgb_byte(*dc[c]) + target[c] - mean[c], 0.0, 255.0));
    hash = hash_of(factors, components_x, components_y);
  }
  return hash;
}

Result<Image> blurhash_decode(const std::string& hash, uint32_t width, uint32_t height) {
  const Status bad = error(ErrorCode::bad_option, "not a BlurHash");
  if (hash.size() < 6) return bad;
  const int size_flag = from_base83(hash, 0, 1);
  if (size_flag < 0) return bad;
  const int nx = size_flag % 9 + 1, ny = size_flag / 9 + 1;
  if (hash.size() != size_t(4 + 2 * nx * ny)) return bad;
  const int quantised_max = from_base83(hash, 1, 1);
  if (quantised_max < 0) return bad;
  const double maximum = (quantised_max + 1) / 166.0;
  std::vector<Factor> colours;
  for (int i = 0; i < nx * ny; ++i) {
    if (i == 0) {
      const int dc = from_base83(hash, 2, 4);
      if (dc < 0) return bad;
      colours.push_back({byte_to_linear(uint8_t(dc >> 16)), byte_to_linear(uint8_t(dc >> 8)), byte_to_linear(uint8_t(dc))});
      continue;
    }
    const int ac = from_base83(hash, 4 + size_t(i) * 2, 2);
    if (ac < 0) return bad;
    const auto unquantise = [&](int q) { return signed_pow((q - 9) / 9.0, 2.0) * maximum; };
    colours.push_back({unquantise(ac / 361), unquantise((ac / 19) % 19), unquantise(ac % 19)});
  }
  Result<Image> image = Image::allocate(width, height, 3);
  if (!image.ok()) return image;
  std::vector<double> cos_x(size_t(width) * nx), cos_y(size_t(height) * ny);
  for (uint32_t x = 0; x < width; ++x)
    for (int cx = 0; cx < nx; ++cx) cos_x[x * nx + cx] = std::cos(kPi * x * cx / width);
  for (uint32_t y = 0; y < height; ++y)
    for (int cy = 0; cy < ny; ++cy) cos_y[y * ny + cy] = std::cos(kPi * y * cy / height);
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x) {
      Factor sum;
      for (int cy = 0; cy < ny; ++cy)
        for (int cx = 0; cx < nx; ++cx) {
          const double basis = cos_x[x * nx + cx] * cos_y[y * ny + cy];
          const Factor& c = colours[size_t(cy * nx + cx)];
          sum.r += c.r * basis, sum.g += c.g * basis, sum.b += c.b * basis;
        }
      uint8_t* p = image->row(y) + x * 3;
      p[0] = uint8_t(to_srgb_byte(sum.r)), p[1] = uint8_t(to_srgb_byte(sum.g)), p[2] = uint8_t(to_srgb_byte(sum.b));
    }
  return image;
}

}  // namespace edgepix
