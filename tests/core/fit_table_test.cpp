// Every fit mode × gravity × aspect case through the C ABI, against Cloudflare's documented rules
// (developers.cloudflare.com/images/transform-images/transform-via-url/#fit): the exact output size, and which part
// of the source was kept, read back from a source whose colours are its coordinates (R = x ramp, G = y ramp).
//
// The rules, as documented:
//   scale-down  fit inside the box, never enlarge
//   contain     fit inside the box, shrink or enlarge; one side given: exactly that side
//   cover       fill the box exactly (shrink or enlarge), cut the overflow where gravity says
//   crop        as cover when the image is larger than the box, as scale-down when smaller; never enlarges
//   pad         as contain, then filled with the background to exactly the box
//   squeeze     stretched to exactly the box, aspect ratio ignored
//   gravity     the side or point of the image cover and crop keep
// Where the docs say nothing, our choices: with one side given, cover, pad and squeeze act as contain and crop
// as scale-down; crop of a source larger than the box on one side only cuts that side to the box and keeps the
// other whole (it may not enlarge); pad centres the picture whatever the gravity; a focal point is centred in
// the window as far as the image allows.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "api.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

struct Size {
  uint32_t width, height;
};

enum FitIndex { scale_down, contain, cover, crop, pad, squeeze };
const char* const kFitNames[] = {"scale-down", "contain", "cover", "crop", "pad", "squeeze"};

// One source and box (0: that side not given) and the size each fit mode gives, in FitIndex order.
struct SizeCase {
  Size source;
  Size box;
  Size by_fit[6];
};

// The box against the source, for messages: "larger, wider", "smaller, same aspect", "wider, shorter", ...
std::string shape_of(const SizeCase& c) {
  const Size s = c.source, b = c.box;
  if (!b.height) return b.width > s.width ? "width only, larger" : "width only, smaller";
  if (!b.width) return b.height > s.height ? "height only, larger" : "height only, smaller";
  const double box_aspect = double(b.width) / b.height, source_aspect = double(s.width) / s.height;
  const char* aspect = box_aspect > source_aspect ? "wider" : box_aspect < source_aspect ? "taller" : "same aspect";
  if (b.width > s.width && b.height > s.height) return std::string("larger, ") + aspect;
  if (b.width < s.width && b.height < s.height) return std::string("smaller, ") + aspect;
  return b.width > s.width ? "wider, shorter" : "narrower, taller";
}

// clang-format off
const SizeCase kSizeCases[] = {
    // Each source gets boxes larger than it (with a wider, a taller and the same aspect), smaller (likewise),
    // larger on one side only (wider but shorter, narrower but taller), then width only and height only.
    // source     box         scale-down  contain     cover       crop        pad         squeeze
    // Landscape 3:2.
    {{240, 160}, {480, 240}, {{240, 160}, {360, 240}, {480, 240}, {240, 160}, {480, 240}, {480, 240}}},
    {{240, 160}, {360, 360}, {{240, 160}, {360, 240}, {360, 360}, {240, 160}, {360, 360}, {360, 360}}},
    {{240, 160}, {360, 240}, {{240, 160}, {360, 240}, {360, 240}, {240, 160}, {360, 240}, {360, 240}}},
    {{240, 160}, {120, 40},  {{60, 40},   {60, 40},   {120, 40},  {120, 40},  {120, 40},  {120, 40}}},
    {{240, 160}, {100, 100}, {{100, 67},  {100, 67},  {100, 100}, {100, 100}, {100, 100}, {100, 100}}},
    {{240, 160}, {120, 80},  {{120, 80},  {120, 80},  {120, 80},  {120, 80},  {120, 80},  {120, 80}}},
    {{240, 160}, {300, 100}, {{150, 100}, {150, 100}, {300, 100}, {240, 100}, {300, 100}, {300, 100}}},
    {{240, 160}, {200, 200}, {{200, 133}, {200, 133}, {200, 200}, {200, 160}, {200, 200}, {200, 200}}},
    {{240, 160}, {120, 0},   {{120, 80},  {120, 80},  {120, 80},  {120, 80},  {120, 80},  {120, 80}}},
    {{240, 160}, {480, 0},   {{240, 160}, {480, 320}, {480, 320}, {240, 160}, {480, 320}, {480, 320}}},
    {{240, 160}, {0, 80},    {{120, 80},  {120, 80},  {120, 80},  {120, 80},  {120, 80},  {120, 80}}},
    {{240, 160}, {0, 320},   {{240, 160}, {480, 320}, {480, 320}, {240, 160}, {480, 320}, {480, 320}}},
    // Portrait 2:3.
    {{160, 240}, {240, 480}, {{160, 240}, {240, 360}, {240, 480}, {160, 240}, {240, 480}, {240, 480}}},
    {{160, 240}, {360, 360}, {{160, 240}, {240, 360}, {360, 360}, {160, 240}, {360, 360}, {360, 360}}},
    {{160, 240}, {240, 360}, {{160, 240}, {240, 360}, {240, 360}, {160, 240}, {240, 360}, {240, 360}}},
    {{160, 240}, {40, 120},  {{40, 60},   {40, 60},   {40, 120},  {40, 120},  {40, 120},  {40, 120}}},
    {{160, 240}, {100, 100}, {{67, 100},  {67, 100},  {100, 100}, {100, 100}, {100, 100}, {100, 100}}},
    {{160, 240}, {80, 120},  {{80, 120},  {80, 120},  {80, 120},  {80, 120},  {80, 120},  {80, 120}}},
    {{160, 240}, {100, 300}, {{100, 150}, {100, 150}, {100, 300}, {100, 240}, {100, 300}, {100, 300}}},
    {{160, 240}, {200, 200}, {{133, 200}, {133, 200}, {200, 200}, {160, 200}, {200, 200}, {200, 200}}},
    {{160, 240}, {80, 0},    {{80, 120},  {80, 120},  {80, 120},  {80, 120},  {80, 120},  {80, 120}}},
    {{160, 240}, {320, 0},   {{160, 240}, {320, 480}, {320, 480}, {160, 240}, {320, 480}, {320, 480}}},
    {{160, 240}, {0, 120},   {{80, 120},  {80, 120},  {80, 120},  {80, 120},  {80, 120},  {80, 120}}},
    {{160, 240}, {0, 480},   {{160, 240}, {320, 480}, {320, 480}, {160, 240}, {320, 480}, {320, 480}}},
    // Square.
    {{200, 200}, {400, 300}, {{200, 200}, {300, 300}, {400, 300}, {200, 200}, {400, 300}, {400, 300}}},
    {{200, 200}, {300, 400}, {{200, 200}, {300, 300}, {300, 400}, {200, 200}, {300, 400}, {300, 400}}},
    {{200, 200}, {300, 300}, {{200, 200}, {300, 300}, {300, 300}, {200, 200}, {300, 300}, {300, 300}}},
    {{200, 200}, {100, 50},  {{50, 50},   {50, 50},   {100, 50},  {100, 50},  {100, 50},  {100, 50}}},
    {{200, 200}, {50, 100},  {{50, 50},   {50, 50},   {50, 100},  {50, 100},  {50, 100},  {50, 100}}},
    {{200, 200}, {100, 100}, {{100, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 100}}},
    {{200, 200}, {300, 100}, {{100, 100}, {100, 100}, {300, 100}, {200, 100}, {300, 100}, {300, 100}}},
    {{200, 200}, {100, 300}, {{100, 100}, {100, 100}, {100, 300}, {100, 200}, {100, 300}, {100, 300}}},
    {{200, 200}, {100, 0},   {{100, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 100}}},
    {{200, 200}, {400, 0},   {{200, 200}, {400, 400}, {400, 400}, {200, 200}, {400, 400}, {400, 400}}},
    {{200, 200}, {0, 100},   {{100, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 100}}},
    {{200, 200}, {0, 400},   {{200, 200}, {400, 400}, {400, 400}, {200, 200}, {400, 400}, {400, 400}}},
};
// clang-format on

struct GravityCase {
  const char* name;
  enum Kind { left, right, top, bottom, center, point, automatic } kind;
  double x = 0.5, y = 0.5;  // focal point, fractions of the source
};
// 0.2x0.8 lies near a corner, so the window is mostly pushed against the edges; 0.6x0.4 is off-centre but
// usually reachable, so "as centred on the point as the bounds allow" is checked away from the edges too.
const GravityCase kGravities[] = {
    {"left", GravityCase::left},          {"right", GravityCase::right},
    {"top", GravityCase::top},            {"bottom", GravityCase::bottom},
    {"center", GravityCase::center},      {"0.2x0.8", GravityCase::point, 0.2, 0.8},
    {"0.6x0.4", GravityCase::point, 0.6, 0.4}, {"auto", GravityCase::automatic},
};

// The part of the source that ends up in the picture, in source pixels.
struct KeptWindow {
  double x, y, width, height;
};

// Where along one axis a window starts: the side gravity names, the centre, or centred on the focal point as
// far as the image allows. NaN for auto: only the pixels can tell.
double window_start(const GravityCase& gravity, bool horizontal, double source, double window) {
  const double slack = source - window;
  switch (gravity.kind) {
    case GravityCase::left: return horizontal ? 0 : slack / 2;
    case GravityCase::right: return horizontal ? slack : slack / 2;
    case GravityCase::top: return horizontal ? slack / 2 : 0;
    case GravityCase::bottom: return horizontal ? slack / 2 : slack;
    case GravityCase::center: return slack / 2;
    case GravityCase::point:
      return std::clamp((horizontal ? gravity.x : gravity.y) * source - window / 2, 0.0, slack);
    case GravityCase::automatic: return std::nan("");
  }
  return std::nan("");
}

// cover and crop scale by the side that needs more (crop never above 1) and cut the other; every other fit keeps
// the whole source.
KeptWindow kept_window(const SizeCase& c, int fit, Size picture, const GravityCase& gravity) {
  const double sw = c.source.width, sh = c.source.height;
  const bool cuts = (fit == cover || fit == crop) && c.box.width && c.box.height;
  if (!cuts) return {0, 0, sw, sh};
  double scale = std::max(c.box.width / sw, c.box.height / sh);
  if (fit == crop) scale = std::min(scale, 1.0);
  const double width = std::min(sw, picture.width / scale), height = std::min(sh, picture.height / scale);
  return {window_start(gravity, true, sw, width), window_start(gravity, false, sh, height), width, height};
}

// A synthetic source, encoded as the API's input.
std::vector<uint8_t> encoded(const Image& image, Format format, int quality = 85) {
  EncodeSettings settings;
  settings.format = format;
  settings.quality = quality;
  Result<Buffer> bytes = codec_for(format)->encode(image, settings);
  REQUIRE(bytes.ok());
  return std::vector<uint8_t>(bytes.value().data(), bytes.value().data() + bytes.value().size());
}

// The PNG answer of the C ABI, decoded; its meta must report the decoded size.
Image run_transform(const std::vector<uint8_t>& input, const std::string& options) {
  ep_output* out = transform_call(input, options);
  REQUIRE(out != nullptr);
  const std::string meta(out->meta, out->meta_size);
  INFO(meta);
  REQUIRE(out->size > 0);
  Image image = decode({out->data, out->size});
  CHECK_THAT(meta, Catch::Contains("\"width\":" + std::to_string(image.width) +
                                   ",\"height\":" + std::to_string(image.height)));
  ep_output_free(out);
  return image;
}

std::string options_for(const SizeCase& c, int fit, const GravityCase& gravity) {
  std::string options = "format=png,fit=" + std::string(kFitNames[fit]) + ",gravity=" + gravity.name;
  if (c.box.width) options += ",width=" + std::to_string(c.box.width);
  if (c.box.height) options += ",height=" + std::to_string(c.box.height);
  return options;
}

// The source x an output pixel shows, read back from gradient()'s red ramp (green for y).
double shown_x(const Image& out, uint32_t x, uint32_t y, uint32_t source_width) {
  return pixel(out, x, y).r * (source_width - 1) / 255.0;
}
double shown_y(const Image& out, uint32_t x, uint32_t y, uint32_t source_height) {
  return pixel(out, x, y).g * (source_height - 1) / 255.0;
}
// The source coordinate at the centre of output pixel `index` when `window` source pixels become `size`.
double expected_at(double start, double window, uint32_t size, uint32_t index) {
  return start + (index + 0.5) * window / size - 0.5;
}
// Edge pixels see a one-sided filter and the ramps are 8-bit (a step of (extent - 1) / 255 source pixels): allow
// a couple of source pixels more than a step, more when shrinking (the filter is wider). Still far below the
// distance between the placements each gravity tells apart.
double tolerance(double window, uint32_t size, uint32_t source_extent) {
  return 1.5 + (source_extent - 1) / 255.0 + 0.5 * std::max(1.0, window / size);
}

// Checks the picture's four edge midpoints show the window's edges (or, for auto, a window of the right size).
void check_window(const Image& out, const SizeCase& c, const KeptWindow& window, uint32_t left, uint32_t top,
                  Size picture) {
  const uint32_t right = left + picture.width - 1, bottom = top + picture.height - 1;
  const uint32_t middle_x = left + picture.width / 2, middle_y = top + picture.height / 2;
  const double x0 = shown_x(out, left, middle_y, c.source.width), x1 = shown_x(out, right, middle_y, c.source.width);
  const double y0 = shown_y(out, middle_x, top, c.source.height), y1 = shown_y(out, middle_x, bottom, c.source.height);
  const double tolerance_x = tolerance(window.width, picture.width, c.source.width);
  const double tolerance_y = tolerance(window.height, picture.height, c.source.height);
  INFO("kept x " << x0 << ".." << x1 << ", y " << y0 << ".." << y1 << "; expected window " << window.width << "x"
                 << window.height << "+" << window.x << "+" << window.y);
  const double span_x = expected_at(0, window.width, picture.width, picture.width - 1) -
                        expected_at(0, window.width, picture.width, 0);
  const double span_y = expected_at(0, window.height, picture.height, picture.height - 1) -
                        expected_at(0, window.height, picture.height, 0);
  CHECK(std::abs((x1 - x0) - span_x) < 2 * tolerance_x);
  CHECK(std::abs((y1 - y0) - span_y) < 2 * tolerance_y);
  if (std::isnan(window.x)) return;  // auto: placed by the pixels (see the test below)
  CHECK(std::abs(x0 - expected_at(window.x, window.width, picture.width, 0)) < tolerance_x);
  CHECK(std::abs(y0 - expected_at(window.y, window.height, picture.height, 0)) < tolerance_y);
}

// One request: the exact size, the background of pad, the focal point inside the window, and the window itself.
void check_fit(const std::vector<uint8_t>& source, const SizeCase& c, int fit, const GravityCase& gravity) {
  const std::string options = options_for(c, fit, gravity);
  INFO(c.source.width << "x" << c.source.height << " source, box " << shape_of(c) << ": " << options);
  const Image out = run_transform(source, options);
  const Size expected = c.by_fit[fit];
  CHECK(out.width == expected.width);
  CHECK(out.height == expected.height);
  if (out.width != expected.width || out.height != expected.height) return;
  // pad: the contain-sized picture sits centred on a box of the background (white by default).
  const bool padded = fit == pad && c.box.width && c.box.height;
  const Size picture = padded ? c.by_fit[contain] : expected;
  const uint32_t left = padded ? (expected.width - picture.width) / 2 : 0;
  const uint32_t top = padded ? (expected.height - picture.height) / 2 : 0;
  if (left > 0 || top > 0) {
    const Pixel corner = pixel(out, 0, 0);
    CHECK((corner.r == 255 && corner.g == 255 && corner.b == 255));
  }
  const KeptWindow window = kept_window(c, fit, picture, gravity);
  if (gravity.kind == GravityCase::point) {
    CHECK(gravity.x * c.source.width >= window.x);
    CHECK(gravity.x * c.source.width <= window.x + window.width);
    CHECK(gravity.y * c.source.height >= window.y);
    CHECK(gravity.y * c.source.height <= window.y + window.height);
  }
  check_window(out, c, window, left, top, picture);
}
}  // namespace

TEST_CASE("every fit mode x gravity x aspect gives Cloudflare's size and keeps the right part") {
  size_t cases = 0;
  for (const SizeCase& c : kSizeCases) {
    const std::vector<uint8_t> source = encoded(gradient(c.source.width, c.source.height, 3), Format::png);
    for (int fit = scale_down; fit <= squeeze; ++fit)
      for (const GravityCase& gravity : kGravities) check_fit(source, c, fit, gravity), ++cases;
  }
  CHECK(cases == std::size(kSizeCases) * std::size(kFitNames) * std::size(kGravities));
}

TEST_CASE("cover and crop keep the same part when a JPEG is shrunk while decoding") {
  // Large enough that the decoder shrinks by 2 or 4 first: the window must be mapped onto the smaller image.
  const std::vector<uint8_t> source = encoded(gradient(960, 640, 3), Format::jpeg, 95);
  // clang-format off
  const SizeCase cases[] = {
      {{960, 640}, {100, 100}, {{100, 67},  {100, 67},  {100, 100}, {100, 100}, {100, 100}, {100, 100}}},
      {{960, 640}, {200, 60},  {{90, 60},   {90, 60},   {200, 60},  {200, 60},  {200, 60},  {200, 60}}},
  };
  // clang-format on
  for (const SizeCase& c : cases)
    for (int fit : {cover, crop})
      for (const GravityCase& gravity : kGravities) check_fit(source, c, fit, gravity);
}

namespace {
// A grey image whose level is its coordinate along one axis (so shown_x or shown_y reads it back), with a
// black-and-white checkerboard of 4 px squares in `patch`: the only detail, and colourless, so gravity=auto has
// one clear answer.
Image ramp_with_patch(uint32_t width, uint32_t height, bool along_x, KeptWindow patch) {
  Image image = std::move(Image::allocate(width, height, 3).value());
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x) {
      const bool in_patch = x >= patch.x && x < patch.x + patch.width && y >= patch.y && y < patch.y + patch.height;
      const uint8_t ramp = uint8_t(along_x ? x * 255 / (width - 1) : y * 255 / (height - 1));
      const uint8_t level = in_patch ? (((x / 4) + (y / 4)) % 2 ? 255 : 0) : ramp;
      uint8_t* p = image.row(y) + size_t(x) * 3;
      p[0] = p[1] = p[2] = level;
    }
  return image;
}
}  // namespace

TEST_CASE("gravity=auto keeps the detailed part when cover or crop must cut") {
  // 300 px along the axis that is cut, 200 across; the detail sits where the centred 200 px window would cut it.
  struct AutoCase {
    const char* name;
    bool along_x;
    KeptWindow patch;
  };
  const AutoCase cases[] = {{"landscape, detail near the right", true, {230, 70, 60, 60}},
                            {"portrait, detail near the top", false, {70, 10, 60, 60}}};
  // A 200x200 window either way: a 100x100 cover shrinks it, a 200x200 crop only cuts.
  const char* const requests[] = {"width=100,height=100,fit=cover,gravity=auto,format=png",
                                  "width=200,height=200,fit=crop,gravity=auto,format=png"};
  for (const AutoCase& c : cases) {
    const auto source = encoded(c.along_x ? ramp_with_patch(300, 200, true, c.patch)
                                          : ramp_with_patch(200, 300, false, c.patch),
                                Format::png);
    const double patch_start = c.along_x ? c.patch.x : c.patch.y;
    const double patch_end = patch_start + (c.along_x ? c.patch.width : c.patch.height);
    for (const char* options : requests) {
      INFO(c.name << ": " << options);
      const Image out = run_transform(source, options);
      REQUIRE(out.width == out.height);
      const double shown = c.along_x ? shown_x(out, 0, 0, 300) : shown_y(out, 0, 0, 300);
      const double start = shown - expected_at(0, 200, out.width, 0);
      INFO("the window starts at " << start);
      const double slop = tolerance(200, out.width, 300);
      CHECK(start <= patch_start + slop);
      CHECK(start + 200 >= patch_end - slop);
    }
  }
}
