// The upload gate, as the Worker's ingest runs it (worker/ingest.js, worker/moderation.js): classify (sniff,
// probe, limits, features from one small decode), then the policy's verdict on the features plus the file's
// size, and the small JPEG the image classifier is given when the policy asks for labels.
#include <string>

#include "api.h"
#include "target.h"

namespace {

// Every kind of rule and a block list, so the verdict reads each feature classify gives.
const char kPolicy[] =
    R"({"rules":[{"name":"located","action":"flag","when":{"all":[{"feature":"exif.gps","eq":true},)"
    R"({"feature":"pixels","gt":2000000}]}},{"name":"dark","action":"reject","when":{"any":[)"
    R"({"feature":"exposure.mean","lt":0.05},{"feature":"sharpness","lt":0.5},{"feature":"photo","gte":0.99},)"
    R"({"not":{"feature":"format","in":["jpeg","png","webp","gif","avif","heic"]}},)"
    R"({"feature":"exif.cameraModel","eq":"fuzz"},{"label":"stop sign","gte":0.5}]}}],)"
    R"("blocklist":{"maxDistance":6,"entries":[{"phash":"c3a1f0e0b0d09c8e","reason":"takedown"}]},)"
    R"("classifier":{"labels":true}})";
const char kClassifierInput[] = "width=384,height=384,fit=scale-down,format=jpeg,quality=85";

}  // namespace

EDGEPIX_FUZZ_TARGET(gate) {
  if (size == 0) return;  // the Worker refuses an empty file before the core sees it
  ep_output* features = ep_classify(data, uint32_t(size));
  const bool classified = features && features->meta_size > 9 && features->meta[features->meta_size - 1] == '}' &&
                          std::string(features->meta, 9) != "{\"error\":";
  if (classified) {
    std::string judged(features->meta, features->meta_size - 1);
    judged += ",\"fileSize\":" + std::to_string(size) + ",\"labels\":[{\"label\":\"stop sign\",\"score\":0.1}]}";
    ep_output_free(ep_verdict(kPolicy, sizeof kPolicy - 1, judged.data(), uint32_t(judged.size())));
    const ep_input image = {data, uint32_t(size)};
    ep_output_free(ep_transform(kClassifierInput, sizeof kClassifierInput - 1, "", 0, &image, 1));
  }
  ep_output_free(features);
}
