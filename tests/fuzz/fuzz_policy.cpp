// The moderation policy's JSON parser and validator (ep_policy), the verdict on a fixed features
// object when the input is a valid policy, and the verdict of a fixed policy on the input read as features.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "api.h"
#include "target.h"

namespace {
const char kFeatures[] =
    R"({"format":"jpeg","width":1200,"height":900,"animated":false,"frames":1,"alpha":false,)"
    R"("dominantColors":[{"hex":"#aabbcc","share":0.41}],"phash":"c3a1f0e0b0d09c8e","sharpness":123.4,)"
    R"("exposure":{"mean":0.47,"shadows":0.02,"highlights":0.01},"photo":0.93,)"
    R"("exif":{"gps":true,"cameraModel":null,"captureDate":"2024-05-01T10:00:00"},"fileSize":250000,)"
    R"("labels":[{"label":"seashore","score":0.71},{"label":"stop sign","score":0.2}]})";
const char kPolicy[] =
    R"({"rules":[{"name":"located","action":"flag","when":{"all":[{"feature":"exif.gps","eq":true},)"
    R"({"feature":"pixels","gt":2000000},{"not":{"feature":"format","in":["jpeg","png"]}}]}},)"
    R"({"name":"no-stop-signs","action":"reject","when":{"any":[{"label":"stop sign","gte":0.8},)"
    R"({"feature":"exif.cameraModel","eq":null},{"feature":"exposure.mean","lt":0.1},)"
    R"({"feature":"phash","ne":"0000000000000000"},{"feature":"fileSize","gte":1e9}]}}],)"
    R"("blocklist":{"maxDistance":4,"entries":[{"phash":"c3a1f0e0b0d09c8e","reason":""},)"
    R"({"phash":"0000000000000001","reason":"takedown"}]},"keepGps":true,"classifier":{"labels":true}})";
}  // namespace

EDGEPIX_FUZZ_TARGET(policy) {
  const char* text = reinterpret_cast<const char*>(data);
  const uint32_t n = static_cast<uint32_t>(size);
  ep_output* policy = ep_policy(text, n);
  const bool parsed = policy && policy->meta && !(policy->meta_size >= 9 && std::memcmp(policy->meta, "{\"error\"", 8) == 0);
  ep_output_free(policy);
  if (parsed) ep_output_free(ep_verdict(text, n, kFeatures, sizeof kFeatures - 1));
  ep_output_free(ep_verdict(kPolicy, sizeof kPolicy - 1, text, n));
}
