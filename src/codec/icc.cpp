#include "codec/icc.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#define CMS_NO_REGISTER_KEYWORD 1  // lcms2.h is C: C++17 has no `register`
#include <lcms2.h>

namespace edgepix {

namespace {

struct ProfileCloser {
  void operator()(void* profile) const { cmsCloseProfile(profile); }
};
struct TransformDeleter {
  void operator()(void* transform) const { cmsDeleteTransform(transform); }
};
using Profile = std::unique_ptr<void, ProfileCloser>;
using Transform = std::unique_ptr<void, TransformDeleter>;

// Relative colorimetric, libvips's default. Matrix-shaper profiles give the same for every intent; for lookup
// table profiles (CMYK) perceptual towards lcms2's v4 sRGB would add black-point compensation, which neither
// browsers nor ImageMagick's conversion to a v2 sRGB profile do.
constexpr cmsUInt32Number kIntent = INTENT_RELATIVE_COLORIMETRIC;
// The one-pixel cache only pays off on flat graphics, and costs a compare on every photo pixel.
constexpr cmsUInt32Number kFlags = cmsFLAGS_NOCACHE | cmsFLAGS_COPY_ALPHA;

// A profile this close to sRGB moves no 8-bit level by more than about half a step: treat it as sRGB.
constexpr double kColorantTolerance = 0.0015;  // each primary's XYZ (D50)
constexpr float kCurveTolerance = 0.5f / 255;

constexpr size_t kHeaderSize = 128;
constexpr size_t kColourSpaceOffset = 16;

const cmsTagSignature kColorantTags[3] = {cmsSigRedColorantTag, cmsSigGreenColorantTag, cmsSigBlueColorantTag};
const cmsTagSignature kCurveTags[3] = {cmsSigRedTRCTag, cmsSigGreenTRCTag, cmsSigBlueTRCTag};

Profile open_profile(const std::string& icc) {
  if (icc.size() <= kHeaderSize) return nullptr;
  return Profile(cmsOpenProfileFromMem(icc.data(), cmsUInt32Number(icc.size())));
}

const cmsToneCurve* curve(cmsHPROFILE profile, cmsTagSignature tag) {
  return static_cast<const cmsToneCurve*>(cmsReadTag(profile, tag));
}
const cmsCIEXYZ* colorant(cmsHPROFILE profile, cmsTagSignature tag) {
  return static_cast<const cmsCIEXYZ*>(cmsReadTag(profile, tag));
}

bool same_curve(const cmsToneCurve* a, const cmsToneCurve* b) {
  if (!a || !b) return false;
  for (int level = 0; level <= 255; level += 3) {
    const float x = float(level) / 255;
    if (std::fabs(cmsEvalToneCurveFloat(a, x) - cmsEvalToneCurveFloat(b, x)) > kCurveTolerance) return false;
  }
  return true;
}

bool same_colorant(const cmsCIEXYZ* a, const cmsCIEXYZ* b) {
  return a && b && std::fabs(a->X - b->X) <= kColorantTolerance && std::fabs(a->Y - b->Y) <= kColorantTolerance &&
         std::fabs(a->Z - b->Z) <= kColorantTolerance;
}

// The profile's colour space as a number. lcms2 hands back the header's four bytes typed as its C enum, and a
// hostile header holds values no enumerator has: held in a C++ variable of that enum type they are undefined
// behaviour, so they never are.
uint32_t colour_space(cmsHPROFILE profile) { return uint32_t(cmsGetColorSpace(profile)); }

// Primaries and tone curves are all a transform uses: no lookup table that would be used instead.
bool is_matrix_shaper(cmsHPROFILE profile) {
  return cmsIsMatrixShaper(profile) && !cmsIsCLUT(profile, kIntent, LCMS_USED_AS_INPUT);
}

// sRGB in all but name: sRGB's primaries and tone curves (or, for gray, its tone curve).
bool is_srgb_equivalent(cmsHPROFILE profile, cmsHPROFILE srgb) {
  if (!is_matrix_shaper(profile)) return false;
  if (colour_space(profile) == cmsSigGrayData)
    return same_curve(curve(profile, cmsSigGrayTRCTag), curve(srgb, cmsSigRedTRCTag));
  for (int c = 0; c < 3; ++c) {
    if (!same_colorant(colorant(profile, kColorantTags[c]), colorant(srgb, kColorantTags[c])) ||
        !same_curve(curve(profile, kCurveTags[c]), curve(srgb, kCurveTags[c])))
      return false;
  }
  return true;
}

// Row by row through a scratch row, so the output may overwrite the input in place, even when its pixels are
// narrower (CMYK in, RGB out).
bool transform_rows(cmsHTRANSFORM transform, uint8_t* pixels, uint32_t width, uint32_t height, size_t in_channels,
                    size_t out_channels) {
  Buffer scratch;
  const size_t out_row = size_t(width) * out_channels;
  if (!scratch.resize(out_row)) return false;
  for (uint32_t y = 0; y < height; ++y) {
    cmsDoTransform(transform, pixels + y * size_t(width) * in_channels, scratch.data(), width);
    std::memcpy(pixels + y * out_row, scratch.data(), out_row);
  }
  return true;
}

// ---- matrix-shaper profiles (Adobe RGB, Display P3, ProPhoto, ...) ----
// The transform lcms2 builds for them is three curves, a 3x3 matrix and sRGB's inverse curve, run by a generic
// per-pixel worker through function pointers; the same arithmetic in one loop over integer tables is about three
// times faster (tests/core/icc_test.cpp checks the two agree). lcms2 still reads the profile and every curve.
constexpr int kLinearBits = 15;     // linear light after the source curves: 1.0 = 1 << 15
constexpr int kMatrixBits = 12;     // matrix coefficients, each within ±4: three products fit in int32
constexpr int kEncodeBits = 14;     // linear light indexing the sRGB encoding table
constexpr int kEncodeSize = (1 << kEncodeBits) + 1;

struct MatrixShaper {
  int32_t to_linear[3][256];  // each source channel's curve
  int32_t matrix[3][3];       // source linear RGB → sRGB linear RGB
  const uint8_t* to_srgb;     // sRGB's inverse curve: srgb_encoding()
};

// Linear light → sRGB level, built once per process (an instance serves many requests) from lcms2's sRGB.
const uint8_t* srgb_encoding(cmsHPROFILE srgb) {
  static uint8_t table[kEncodeSize];
  static const bool built = [&] {
    cmsToneCurve* encode = cmsReverseToneCurve(curve(srgb, cmsSigRedTRCTag));
    if (!encode) return false;
    for (int i = 0; i < kEncodeSize; ++i)
      table[i] = uint8_t(std::lround(cmsEvalToneCurveFloat(encode, float(i) / (1 << kEncodeBits)) * 255));
    cmsFreeToneCurve(encode);
    return true;
  }();
  return built ? table : nullptr;
}

using Matrix = double[3][3];

bool invert(const Matrix m, Matrix inverse) {
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (std::fabs(det) < 1e-9) return false;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      // Cofactor of m[c][r], by cyclic indices (the signs come out right).
      const int r1 = (c + 1) % 3, r2 = (c + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
      inverse[r][c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
    }
  return true;
}

// Columns are the primaries' XYZ: RGB → XYZ (D50, as profiles store them).
bool colorant_matrix(cmsHPROFILE profile, Matrix m) {
  for (int c = 0; c < 3; ++c) {
    const cmsCIEXYZ* xyz = colorant(profile, kColorantTags[c]);
    if (!xyz) return false;
    m[0][c] = xyz->X, m[1][c] = xyz->Y, m[2][c] = xyz->Z;
  }
  return true;
}

bool build_matrix_shaper(cmsHPROFILE source, cmsHPROFILE srgb, MatrixShaper* out) {
  Matrix to_xyz, srgb_to_xyz, from_xyz;
  if (!colorant_matrix(source, to_xyz) || !colorant_matrix(srgb, srgb_to_xyz) || !invert(srgb_to_xyz, from_xyz))
    return false;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      double value = 0;
      for (int k = 0; k < 3; ++k) value += from_xyz[r][k] * to_xyz[k][c];
      if (std::fabs(value) > 4) return false;
      out->matrix[r][c] = int32_t(std::lround(value * (1 << kMatrixBits)));
    }
  for (int c = 0; c < 3; ++c) {
    const cmsToneCurve* source_curve = curve(source, kCurveTags[c]);
    if (!source_curve) return false;
    for (int level = 0; level < 256; ++level) {
      const float linear = cmsEvalToneCurveFloat(source_curve, float(level) / 255);
      out->to_linear[c][level] = int32_t(std::lround(std::fmin(std::fmax(linear, 0.f), 1.f) * (1 << kLinearBits)));
    }
  }
  out->to_srgb = srgb_encoding(srgb);
  return out->to_srgb != nullptr;
}

// In chunks of pixels, three plain loops: curves in (lookups), the matrix (which compilers vectorise: SSE
// natively, SIMD128 in wasm), sRGB's curve out (lookups). One fused loop holds more values than there are
// registers, and runs slower.
void apply_matrix_shaper(const MatrixShaper& m, Image* image) {
  constexpr int kShift = kLinearBits + kMatrixBits - kEncodeBits;
  constexpr int32_t kRound = 1 << (kShift - 1), kMax = 1 << kEncodeBits;
  constexpr size_t kChunk = 512;
  int32_t red[kChunk], green[kChunk], blue[kChunk];
  const size_t channels = image->channels, total = size_t(image->width) * image->height;
  for (size_t start = 0; start < total; start += kChunk) {
    const size_t count = std::min(kChunk, total - start);
    uint8_t* pixels = image->pixels.data() + start * channels;
    for (size_t i = 0; i < count; ++i) {
      const uint8_t* p = pixels + i * channels;
      red[i] = m.to_linear[0][p[0]], green[i] = m.to_linear[1][p[1]], blue[i] = m.to_linear[2][p[2]];
    }
    for (size_t i = 0; i < count; ++i) {
      const int32_t r = red[i], g = green[i], b = blue[i];
      const int32_t out_r = (m.matrix[0][0] * r + m.matrix[0][1] * g + m.matrix[0][2] * b + kRound) >> kShift;
      const int32_t out_g = (m.matrix[1][0] * r + m.matrix[1][1] * g + m.matrix[1][2] * b + kRound) >> kShift;
      const int32_t out_b = (m.matrix[2][0] * r + m.matrix[2][1] * g + m.matrix[2][2] * b + kRound) >> kShift;
      // Out of sRGB's gamut: clipped.
      red[i] = std::min(std::max(out_r, 0), kMax);
      green[i] = std::min(std::max(out_g, 0), kMax);
      blue[i] = std::min(std::max(out_b, 0), kMax);
    }
    for (size_t i = 0; i < count; ++i) {
      uint8_t* p = pixels + i * channels;
      p[0] = m.to_srgb[red[i]], p[1] = m.to_srgb[green[i]], p[2] = m.to_srgb[blue[i]];
    }
  }
}

}  // namespace

bool icc_describes_rgb(const std::string& icc) {
  return icc.size() > kHeaderSize && icc.compare(kColourSpaceOffset, 4, "RGB ") == 0;
}

struct SrgbConverter::State {
  enum class Kind { gray, matrix_shaper, lookup_tables } kind = Kind::gray;
  uint8_t gray[256][3] = {};  // every gray level's sRGB colour
  MatrixShaper matrix_shaper;
  Transform rgb, rgba;        // other RGB profiles: lcms2's own transforms
};

SrgbConverter::SrgbConverter(const std::string& icc) {
  const Profile source = open_profile(icc);
  if (!source) return;
  const uint32_t space = colour_space(source.get());
  if (space != cmsSigRgbData && space != cmsSigGrayData) return;
  const Profile srgb(cmsCreate_sRGBProfile());
  if (!srgb || is_srgb_equivalent(source.get(), srgb.get())) return;
  auto state = std::make_unique<State>();
  if (space == cmsSigGrayData) {
    // 256 levels: a table is exact and cheaper per pixel than any transform.
    const Transform levels(cmsCreateTransform(source.get(), TYPE_GRAY_8, srgb.get(), TYPE_RGB_8, kIntent, kFlags));
    if (!levels) return;
    uint8_t gray_levels[256];
    for (int level = 0; level < 256; ++level) gray_levels[level] = uint8_t(level);
    cmsDoTransform(levels.get(), gray_levels, state->gray, 256);
    state->kind = State::Kind::gray;
  } else if (is_matrix_shaper(source.get()) && build_matrix_shaper(source.get(), srgb.get(), &state->matrix_shaper)) {
    state->kind = State::Kind::matrix_shaper;
  } else {
    state->rgb.reset(cmsCreateTransform(source.get(), TYPE_RGB_8, srgb.get(), TYPE_RGB_8, kIntent, kFlags));
    state->rgba.reset(cmsCreateTransform(source.get(), TYPE_RGBA_8, srgb.get(), TYPE_RGBA_8, kIntent, kFlags));
    if (!state->rgb || !state->rgba) return;
    state->kind = State::Kind::lookup_tables;
  }
  state_ = std::move(state);
  converts_ = true;
}

SrgbConverter::~SrgbConverter() = default;

bool SrgbConverter::convert(Image* image) {
  if (!converts_ || image->premultiplied || (image->channels != 3 && image->channels != 4)) return false;
  switch (state_->kind) {
    case State::Kind::gray: {
      // Gray sources arrive expanded to RGB: each channel through the table gives the same result for gray
      // pixels, and only a tone change (no colour cast) for an RGB image that wrongly carries a gray profile.
      uint8_t* p = image->pixels.data();
      const uint32_t channels = image->channels;
      for (size_t i = 0, n = size_t(image->width) * image->height; i < n; ++i, p += channels)
        for (int c = 0; c < 3; ++c) p[c] = state_->gray[p[c]][c];
      return true;
    }
    case State::Kind::matrix_shaper:
      apply_matrix_shaper(state_->matrix_shaper, image);
      return true;
    case State::Kind::lookup_tables:
      return transform_rows(image->channels == 4 ? state_->rgba.get() : state_->rgb.get(), image->pixels.data(),
                            image->width, image->height, image->channels, image->channels);
  }
  return false;
}

bool cmyk_to_srgb(uint8_t* pixels, uint32_t width, uint32_t height, bool inverted, const std::string& icc) {
  const Profile source = open_profile(icc);
  if (!source || colour_space(source.get()) != cmsSigCmykData) return false;
  const Profile srgb(cmsCreate_sRGBProfile());
  // lcms2's "reversed" flavour is the inverted form: 0 is full ink.
  const Transform transform(cmsCreateTransform(source.get(), inverted ? TYPE_CMYK_8_REV : TYPE_CMYK_8, srgb.get(),
                                               TYPE_RGB_8, kIntent, cmsFLAGS_NOCACHE));
  return transform && transform_rows(transform.get(), pixels, width, height, 4, 3);
}

}  // namespace edgepix
