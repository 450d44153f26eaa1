/* lcms2 as built for the preset converts colours between ICC profiles: an Adobe RGB (1998) profile, built here,
 * written out as ICC bytes and parsed back (the path an embedded profile takes), transforms an Adobe RGB colour
 * to sRGB as the published matrices and curves say. Expected: Adobe RGB (200, 60, 40) is sRGB (231.5, 57.4, 34.0)
 * (primaries and D65 white of both standards, Adobe's gamma 563/256, sRGB's piecewise curve), computed
 * independently of lcms2. Returns 0 when every case holds, else the number of the first case that failed. */
#include <lcms2.h>
#include <stdlib.h>

#include "check_export.h"

static cmsHPROFILE adobe_rgb_from_icc_bytes(void) {
  const cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
  const cmsCIExyYTRIPLE primaries = {{0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};
  cmsToneCurve *gamma = cmsBuildGamma(NULL, 563.0 / 256.0);
  cmsToneCurve *curves[3] = {gamma, gamma, gamma};
  cmsHPROFILE built = cmsCreateRGBProfile(&d65, &primaries, curves);
  cmsFreeToneCurve(gamma);
  if (!built) return NULL;
  cmsUInt32Number size = 0;
  cmsHPROFILE parsed = NULL;
  if (cmsSaveProfileToMem(built, NULL, &size) && size > 128) {
    void *icc = malloc(size);
    if (icc && cmsSaveProfileToMem(built, icc, &size)) parsed = cmsOpenProfileFromMem(icc, size);
    free(icc);
  }
  cmsCloseProfile(built);
  return parsed;
}

static int near(double value, double expected, double tolerance) {
  return value >= expected - tolerance && value <= expected + tolerance;
}

EXPORT("lcms2_transform") int lcms2_transform(void) {
  cmsHPROFILE adobe = adobe_rgb_from_icc_bytes();
  if (!adobe || cmsGetColorSpace(adobe) != cmsSigRgbData) return 1;
  cmsHPROFILE srgb = cmsCreate_sRGBProfile();
  int failed = 0;

  cmsHTRANSFORM bytes = cmsCreateTransform(adobe, TYPE_RGB_8, srgb, TYPE_RGB_8, INTENT_PERCEPTUAL, 0);
  const cmsUInt8Number in8[3] = {200, 60, 40};
  cmsUInt8Number out8[3] = {0, 0, 0};
  if (!bytes) {
    failed = 2;
  } else {
    cmsDoTransform(bytes, in8, out8, 1);
    if (!near(out8[0], 231.5, 2) || !near(out8[1], 57.4, 2) || !near(out8[2], 34.0, 2)) failed = 3;
    cmsDeleteTransform(bytes);
  }

  cmsHTRANSFORM floats = cmsCreateTransform(adobe, TYPE_RGB_FLT, srgb, TYPE_RGB_FLT, INTENT_PERCEPTUAL, 0);
  const cmsFloat32Number in[3] = {200 / 255.0f, 60 / 255.0f, 40 / 255.0f};
  cmsFloat32Number out[3] = {0, 0, 0};
  if (!floats) {
    if (!failed) failed = 4;
  } else {
    cmsDoTransform(floats, in, out, 1);
    if (!failed && (!near(out[0] * 255, 231.5, 0.3) || !near(out[1] * 255, 57.4, 0.3) ||
                    !near(out[2] * 255, 34.0, 0.3))) {
      failed = 5;
    }
    cmsDeleteTransform(floats);
  }
  cmsCloseProfile(srgb);
  cmsCloseProfile(adobe);
  return failed;
}

#ifndef __wasm__
int main(void) { return lcms2_transform(); }
#endif
