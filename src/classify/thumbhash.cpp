#include "classify/thumbhash.h"

#include <algorithm>
#include <cmath>

namespace edgepix {
namespace {

constexpr double kPi = 3.14159265358979323846;

double round_half_up(double value) { return std::floor(value + 0.5); }  // JavaScript's Math.round

// One channel's DCT coefficients over the triangle cx * ny < nx * (ny - cy): the DC, the AC terms mapped to 0..1
// by their largest magnitude, and that magnitude.
struct Channel {
  double dc = 0;
  std::vector<double> ac;
  double scale = 0;
};

Channel encode_channel(const std::vector<double>& values, uint32_t w, uint32_t h, int nx, int ny) {
  Channel channel;
  // Each cosine once (the same expressions as per term, so the same values).
  std::vector<double> cos_x(size_t(nx) * w), cos_y(size_t(ny) * h);
  for (int cx = 0; cx < nx; ++cx)
    for (uint32_t x = 0; x < w; ++x) cos_x[size_t(cx) * w + x] = std::cos(kPi / w * cx * (x + 0.5));
  for (int cy = 0; cy < ny; ++cy)
    for (uint32_t y = 0; y < h; ++y) cos_y[size_t(cy) * h + y] = std::cos(kPi / h * cy * (y + 0.5));
  for (int cy = 0; cy < ny; ++cy) {
    for (int cx = 0; cx * ny < nx * (ny - cy); ++cx) {
      const double* fx = cos_x.data() + size_t(cx) * w;
      double f = 0;
      for (uint32_t y = 0; y < h; ++y) {
        const double fy = cos_y[size_t(cy) * h + y];
        const double* row = values.data() + size_t(y) * w;
        for (uint32_t x = 0; x < w; ++x) f += row[x] * fx[x] * fy;
      }
      f /= double(w) * h;
      if (cx || cy) {
        channel.ac.push_back(f);
        channel.scale = std::max(channel.scale, std::abs(f));
      } else {
        channel.dc = f;
      }
    }
  }
  if (channel.scale > 0)
    for (double& ac : channel.ac) ac = 0.5 + 0.5 / channel.scale * ac;
  return channel;
}

// The number of AC terms in the triangle for nx x ny (all but the DC).
int ac_count(int nx, int ny) {
  int count = 0;
  for (int cy = 0; cy < ny; ++cy)
    for (int cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); ++cx) ++count;
  return count;
}

// The colour a decoded hash shows on average, weighted by its alpha.
std::vector<double> decoded_mean(const std::vector<uint8_t>& hash) {
  const Result<Image> decoded = thumbhash_decode(hash);
  const Image& image = decoded.value();
  std::vector<double> sum(3);
  double weight = 0;
  for (size_t i = 0; i < size_t(image.width) * image.height; ++i) {
    const uint8_t* p = image.pixels.data() + i * 4;
    for (int c = 0; c < 3; ++c) sum[c] += p[c] * (p[3] / 255.0);
    weight += p[3] / 255.0;
  }
  for (double& s : sum) s /= weight > 0 ? weight : 1;
  return sum;
}

// The DC fields (6 bits each) are rounded on their own, and decoding clamps: the placeholder's mean can land a
// few levels off the image's. Each field may be moved by whole steps toward the mean the image has (the format
// does not fix how the encoder rounds): two corrections, each kept only if it brings the mean closer.
std::vector<uint8_t> with_faithful_mean(std::vector<uint8_t> hash, const std::vector<double>& target) {
  const auto error_of = [&](const std::vector<double>& mean) {
    return std::max({std::abs(mean[0] - target[0]), std::abs(mean[1] - target[1]), std::abs(mean[2] - target[2])});
  };
  std::vector<double> mean = decoded_mean(hash);
  for (int round = 0; round < 2; ++round) {
    const double r = (target[0] - mean[0]) / 255, g = (target[1] - mean[1]) / 255, b = (target[2] - mean[2]) / 255;
    const double shift[3] = {63 * (r + g + b) / 3, 31.5 * ((r + g) / 2 - b), 31.5 * (r - g)};  // l, p, q per step
    const uint32_t header24 = hash[0] | hash[1] << 8 | hash[2] << 16;
    uint32_t moved = header24;
    for (int field = 0; field < 3; ++field) {
      const int value = int((header24 >> (6 * field)) & 63) + int(round_half_up(shift[field]));
      moved = (moved & ~(63u << (6 * field))) | uint32_t(std::clamp(value, 0, 63)) << (6 * field);
    }
    std::vector<uint8_t> candidate = hash;
    candidate[0] = uint8_t(moved), candidate[1] = uint8_t(moved >> 8), candidate[2] = uint8_t(moved >> 16);
    const std::vector<double> candidate_mean = decoded_mean(candidate);
    if (error_of(candidate_mean) >= error_of(mean)) break;
    hash = std::move(candidate);
    mean = candidate_mean;
  }
  return hash;
}

}  // namespace

std::vector<uint8_t> thumbhash_encode(const Image& image) {
  const uint32_t w = image.width, h = image.height, n = w * h, channels = image.channels;
  // The average colour, weighted by alpha: transparent pixels take it, so they do not pull the hash to black.
  double avg_r = 0, avg_g = 0, avg_b = 0, avg_a = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t* p = image.pixels.data() + size_t(i) * channels;
    const double alpha = (channels == 4 ? p[3] : 255) / 255.0;
    avg_r += alpha / 255 * p[0];
    avg_g += alpha / 255 * p[1];
    avg_b += alpha / 255 * p[2];
    avg_a += alpha;
  }
  if (avg_a > 0) avg_r /= avg_a, avg_g /= avg_a, avg_b /= avg_a;
  const bool has_alpha = avg_a < n;
  const int l_limit = has_alpha ? 5 : 7;
  const int lx = std::max(1, int(round_half_up(double(l_limit) * w / std::max(w, h))));
  const int ly = std::max(1, int(round_half_up(double(l_limit) * h / std::max(w, h))));
  std::vector<double> l(n), p(n), q(n), a(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t* px = image.pixels.data() + size_t(i) * channels;
    const double alpha = (channels == 4 ? px[3] : 255) / 255.0;
    const double r = avg_r * (1 - alpha) + alpha / 255 * px[0];
    const double g = avg_g * (1 - alpha) + alpha / 255 * px[1];
    const double b = avg_b * (1 - alpha) + alpha / 255 * px[2];
    l[i] = (r + g + b) / 3;
    p[i] = (r + g) / 2 - b;
    q[i] = r - g;
    a[i] = alpha;
  }
  const Channel lc = encode_channel(l, w, h, std::max(3, lx), std::max(3, ly));
  const Channel pc = encode_channel(p, w, h, 3, 3);
  const Channel qc = encode_channel(q, w, h, 3, 3);
  const Channel ac = has_alpha ? encode_channel(a, w, h, 5, 5) : Channel();
  const bool landscape = w > h;
  const int dc[3] = {int(round_half_up(63 * lc.dc)), int(round_half_up(31.5 + 31.5 * pc.dc)),
                     int(round_half_up(31.5 + 31.5 * qc.dc))};
  const uint32_t header24 = uint32_t(dc[0]) | uint32_t(dc[1]) << 6 | uint32_t(dc[2]) << 12 |
                            uint32_t(round_half_up(31 * lc.scale)) << 18 | uint32_t(has_alpha) << 23;
  const uint32_t header16 = uint32_t(landscape ? ly : lx) | uint32_t(round_half_up(63 * pc.scale)) << 3 |
                            uint32_t(round_half_up(63 * qc.scale)) << 9 | uint32_t(landscape) << 15;
  std::vector<uint8_t> hash = {uint8_t(header24), uint8_t(header24 >> 8), uint8_t(header24 >> 16),
                               uint8_t(header16), uint8_t(header16 >> 8)};
  if (has_alpha) hash.push_back(uint8_t(round_half_up(15 * ac.dc)) | uint8_t(round_half_up(15 * ac.scale)) << 4);
  const size_t ac_start = hash.size();
  size_t ac_index = 0;
  for (const Channel* channel : {&lc, &pc, &qc, &ac}) {
    for (const double f : channel->ac) {
      if (ac_start + ac_index / 2 >= hash.size()) hash.push_back(0);
      hash[ac_start + ac_index / 2] |= uint8_t(uint32_t(round_half_up(15 * f)) << ((ac_index & 1) * 4));
      ++ac_index;
    }
  }
  return with_faithful_mean(std::move(hash), {avg_r * 255, avg_g * 255, avg_b * 255});
}

Result<Image> thumbhash_decode(const std::vector<uint8_t>& hash) {
  if (hash.size() < 5) return error(ErrorCode::bad_option, "not a ThumbHash: shorter than its header");
  const uint32_t header24 = hash[0] | hash[1] << 8 | hash[2] << 16, header16 = hash[3] | hash[4] << 8;
  const double l_dc = (header24 & 63) / 63.0, p_dc = ((header24 >> 6) & 63) / 31.5 - 1;
  const double q_dc = ((header24 >> 12) & 63) / 31.5 - 1, l_scale = ((header24 >> 18) & 31) / 31.0;
  const bool has_alpha = header24 >> 23, landscape = header16 >> 15;
  const double p_scale = ((header16 >> 3) & 63) / 63.0, q_scale = ((header16 >> 9) & 63) / 63.0;
  const int lx = std::max(3, landscape ? (has_alpha ? 5 : 7) : int(header16 & 7));
  const int ly = std::max(3, landscape ? int(header16 & 7) : (has_alpha ? 5 : 7));
  const size_t ac_start = has_alpha ? 6 : 5;
  const int terms = ac_count(lx, ly) + 2 * ac_count(3, 3) + (has_alpha ? ac_count(5, 5) : 0);
  if (hash.size() < ac_start + size_t(terms + 1) / 2)
    return error(ErrorCode::bad_option, "not a ThumbHash: shorter than its coefficients");
  const double a_dc = has_alpha ? (hash[5] & 15) / 15.0 : 1, a_scale = (has_alpha ? hash[5] >> 4 : 0) / 15.0;
  size_t ac_index = 0;
  const auto decode_channel = [&](int nx, int ny, double scale) {
    std::vector<double> ac;
    for (int cy = 0; cy < ny; ++cy)
      for (int cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); ++cx, ++ac_index)
        ac.push_back((((hash[ac_start + ac_index / 2] >> ((ac_index & 1) * 4)) & 15) / 7.5 - 1) * scale);
    return ac;
  };
  const std::vector<double> l_ac = decode_channel(lx, ly, l_scale);
  const std::vector<double> p_ac = decode_channel(3, 3, p_scale * 1.25);
  const std::vector<double> q_ac = decode_channel(3, 3, q_scale * 1.25);
  const std::vector<double> a_ac = has_alpha ? decode_channel(5, 5, a_scale) : std::vector<double>();
  // The aspect the header implies (the package's thumbHashToApproximateAspectRatio), on a 32 px long side.
  const double ratio = double(landscape ? (has_alpha ? 5 : 7) : (header16 & 7)) /
                       double(landscape ? (header16 & 7) : (has_alpha ? 5 : 7));
  if (!(ratio > 0) || !std::isfinite(ratio)) return error(ErrorCode::bad_option, "not a ThumbHash: no aspect ratio");
  const uint32_t w = uint32_t(round_half_up(ratio > 1 ? 32 : 32 * ratio));
  const uint32_t h = uint32_t(round_half_up(ratio > 1 ? 32 / ratio : 32));
  Result<Image> image = Image::allocate(std::max(1u, w), std::max(1u, h), 4);
  if (!image.ok()) return image;
  // The cosines of each column and row, once (the package computes them per pixel: same values).
  constexpr int kTerms = 7;
  std::vector<double> cos_x(size_t(image->width) * kTerms), cos_y(size_t(image->height) * kTerms);
  for (uint32_t x = 0; x < image->width; ++x)
    for (int cx = 0; cx < kTerms; ++cx) cos_x[x * kTerms + cx] = std::cos(kPi / image->width * (x + 0.5) * cx);
  for (uint32_t y = 0; y < image->height; ++y)
    for (int cy = 0; cy < kTerms; ++cy) cos_y[y * kTerms + cy] = std::cos(kPi / image->height * (y + 0.5) * cy);
  for (uint32_t y = 0; y < image->height; ++y) {
    uint8_t* row = image->row(y);
    const double* fy = &cos_y[y * kTerms];
    for (uint32_t x = 0; x < image->width; ++x, row += 4) {
      double l = l_dc, p = p_dc, q = q_dc, a = a_dc;
      const double* fx = &cos_x[x * kTerms];
      for (int cy = 0, j = 0; cy < ly; ++cy)
        for (int cx = cy ? 0 : 1; cx * ly < lx * (ly - cy); ++cx, ++j) l += l_ac[j] * fx[cx] * fy[cy] * 2;
      for (int cy = 0, j = 0; cy < 3; ++cy)
        for (int cx = cy ? 0 : 1; cx < 3 - cy; ++cx, ++j) {
          const double f = fx[cx] * fy[cy] * 2;
          p += p_ac[j] * f;
          q += q_ac[j] * f;
        }
      if (has_alpha)
        for (int cy = 0, j = 0; cy < 5; ++cy)
          for (int cx = cy ? 0 : 1; cx < 5 - cy; ++cx, ++j) a += a_ac[j] * fx[cx] * fy[cy] * 2;
      const double b = l - 2.0 / 3 * p, r = (3 * l - b + q) / 2, g = r - q;
      const auto to_byte = [](double v) { return uint8_t(std::max(0.0, 255 * std::min(1.0, v))); };
      row[0] = to_byte(r), row[1] = to_byte(g), row[2] = to_byte(b), row[3] = to_byte(a);
    }
  }
  return image;
}

}  // namespace edgepix
