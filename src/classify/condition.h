// The features a condition may name, and whether a condition holds for one image's features (the classify
// object plus "fileSize" and optionally "labels":[{"label","score"}]).
#pragma once
#include <string_view>

#include "classify/policy.h"
#include "core/json_value.h"

namespace edgepix {

struct FeaturePath {
  const char* path;  // dotted, as in a condition: "exposure.mean"
  FeatureType type;
  bool nullable;     // exif.cameraModel and exif.captureDate are null when the EXIF has none
};
// The path's row, or null when conditions cannot name it.
const FeaturePath* feature_path(std::string_view path);

// A feature absent from `features` (or of another type) compares as null: equal to nothing but null, and neither
// less nor greater than anything. A label absent from the labels scores 0.
bool condition_matches(const Condition& condition, const JsonValue& features);

}  // namespace edgepix
