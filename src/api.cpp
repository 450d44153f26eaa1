#include "api.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

#include <cmath>
#include <deque>
#include <memory>
#include <vector>

#include "classify/features.h"
#include "classify/placeholder.h"
#include "classify/policy.h"
#include "classify/verdict.h"
#include "core/counters.h"
#include "core/json.h"
#include "ops/orient.h"
#include "pipeline.h"
#include "plan/decision.h"
#include "sign/hmac.h"
#include "sign/url_signature.h"

using namespace edgepix;

namespace {

ep_output* make_output(Buffer bytes, const std::string& meta) {
  auto* output = static_cast<ep_output*>(std::calloc(1, sizeof(ep_output)));
  char* meta_copy = static_cast<char*>(std::malloc(meta.size() + 1));
  if (!output || !meta_copy) {
    std::free(output);
    std::free(meta_copy);
    return nullptr;
  }
  std::memcpy(meta_copy, meta.c_str(), meta.size() + 1);
  output->meta = meta_copy;
  output->meta_size = uint32_t(meta.size());
  output->size = uint32_t(bytes.size());
  output->data = bytes.release();
  return output;
}

ep_output* failure(const Status& status) {
  const ErrorInfo& info = error_info(status.code());
  JsonObject error;
  error.add("code", info.name).add("status", uint64_t(info.http_status)).add("message", status.message());
  return make_output({}, JsonObject().add("error", error).str());
}

std::string_view text(const char* data, uint32_t size) { return data ? std::string_view(data, size) : std::string_view(); }

JsonObject& add_decision(JsonObject& meta, const Decision& decision) {
  if (decision.request.options.redirect_on_error) meta.add("onError", "redirect");
  return meta.add("varyAccept", decision.format.vary_accept)
      .add("vary", decision.vary)
      .add("acceptCH", kAcceptClientHints)
      .add("cacheKey", decision.cache_key);
}

int64_t whole_seconds(double seconds) { return std::isfinite(seconds) ? int64_t(std::floor(seconds)) : -1; }

// format=json: what the transform would produce and what the source is, from the same plan, without a full decode
// (the source's features come from classify's small copy).
ep_output* describe(ByteView input, const Decision& decision) {
  Result<ProbeInfo> info = probe(input);
  if (!info.ok()) return failure(info.status());
  Result<Plan> plan = plan_decision(decision, info.value());
  if (!plan.ok()) return failure(plan.status());
  Result<Features> features = classify(input, plan->limits);
  if (!features.ok()) return failure(features.status());
  const bool swap = orientation_swaps_axes(info->orientation);
  JsonObject original;
  original.add("width", uint64_t(swap ? info->height : info->width))
      .add("height", uint64_t(swap ? info->width : info->height))
      .add("format", codec_for(info->format)->content_type)
      .add("fileSize", uint64_t(input.size))
      .add("hasAlpha", info->has_alpha)
      .add("animated", info->animated);
  const std::string body = JsonObject()
                               .add("width", uint64_t(plan->output_width))
                               .add("height", uint64_t(plan->output_height))
                               .add("original", original)
                               .add_json("features", features_json(features.value()))
                               .str();
  Buffer bytes;
  if (!bytes.append(reinterpret_cast<const uint8_t*>(body.data()), body.size())) return nullptr;
  JsonObject meta;
  meta.add("format", "json")
      .add("contentType", "application/json")
      .add("width", uint64_t(plan->output_width))
      .add("height", uint64_t(plan->output_height));
  return make_output(std::move(bytes), add_decision(meta, decision).str());
}

std::vector<ByteView> input_list(const ep_input* inputs, uint32_t count) {
  std::vector<ByteView> list;
  for (uint32_t i = 0; inputs && i < count; ++i) list.push_back({inputs[i].data, inputs[i].size});
  return list;
}

// Probes the base input, plans from its header and runs: the one path every transform takes.
ep_output* run_decision(const Decision& decision, const std::vector<ByteView>& inputs) {
  const Status inputs_ok = check_inputs(decision, inputs.size());
  if (!inputs_ok.ok()) return failure(inputs_ok);
  if (decision.request.options.format == FormatRequest::json) return describe(inputs[0], decision);
  Result<ProbeInfo> info = probe(inputs[0]);
  if (!info.ok()) return failure(info.status());
  Result<Plan> plan = plan_decision(decision, info.value());
  if (!plan.ok()) return failure(plan.status());
  Budget budget(plan->work_budget);
  Result<TransformOutput> result = run_plan(plan.value(), inputs, &budget);
  if (!result.ok()) return failure(result.status());
  const Codec* codec = codec_for(result->format);
  JsonObject meta;
  meta.add("format", codec->name)
      .add("contentType", codec->content_type)
      .add("width", uint64_t(result->width))
      .add("height", uint64_t(result->height))
      .add("frames", uint64_t(result->frames));
  return make_output(std::move(result->bytes), add_decision(meta, decision).str());
}

// Decisions between ep_decide and ep_run/ep_release, oldest first. Ids only grow: a stale id finds nothing.
struct LiveDecision {
  uint32_t handle;
  std::unique_ptr<Decision> decision;
};
constexpr size_t kMaxLiveDecisions = 256;
std::deque<LiveDecision> live_decisions;
uint32_t last_handle = 0;

std::unique_ptr<Decision> take_decision(uint32_t handle) {
  for (auto it = live_decisions.begin(); it != live_decisions.end(); ++it) {
    if (it->handle != handle) continue;
    std::unique_ptr<Decision> decision = std::move(it->decision);
    live_decisions.erase(it);
    return decision;
  }
  return nullptr;
}

}  // namespace

extern "C" {

uint8_t* ep_alloc(uint32_t size) { return static_cast<uint8_t*>(std::malloc(size ? size : 1)); }
void ep_free(void* pointer) { std::free(pointer); }

void ep_output_free(ep_output* output) {
  if (!output) return;
  std::free(output->data);
  std::free(output->meta);
  std::free(output);
}

ep_output* ep_decide(const char* request, uint32_t request_size, const char* headers, uint32_t headers_size) {
  Result<Decision> decision = decide(text(request, request_size), RequestHeaders(text(headers, headers_size)));
  if (!decision.ok()) return failure(decision.status());
  if (live_decisions.size() >= kMaxLiveDecisions) live_decisions.pop_front();  // a host that leaks handles
  if (++last_handle == 0) ++last_handle;
  JsonObject meta;
  meta.add("handle", uint64_t(last_handle));
  ep_output* output = make_output({}, add_decision(meta, decision.value()).str());
  if (output) live_decisions.push_back({last_handle, std::make_unique<Decision>(std::move(decision.value()))});
  return output;
}

ep_output* ep_run(uint32_t handle, const ep_input* inputs, uint32_t input_count) {
  const std::unique_ptr<Decision> decision = take_decision(handle);
  if (!decision) return failure(error(ErrorCode::internal, "unknown decision handle (already run or released)"));
  return run_decision(*decision, input_list(inputs, input_count));
}

void ep_release(uint32_t handle) { take_decision(handle); }

ep_output* ep_transform(const char* request, uint32_t request_size, const char* headers, uint32_t headers_size,
                        const ep_input* inputs, uint32_t input_count) {
  Result<Decision> decision = decide(text(request, request_size), RequestHeaders(text(headers, headers_size)));
  if (!decision.ok()) return failure(decision.status());
  return run_decision(decision.value(), input_list(inputs, input_count));
}

ep_output* ep_counters(void) {
  return make_output({}, JsonObject()
                             .add("optionsParsed", core_counters.options_parsed)
                             .add("negotiated", core_counters.negotiated)
                             .add("decoded", core_counters.decoded)
                             .str());
}

ep_output* ep_sign_url(const char* url, uint32_t url_size, const char* key, uint32_t key_size, double expires_at) {
  const std::string signed_url = sign_url(text(url, url_size), text(key, key_size), whole_seconds(expires_at));
  return make_output({}, JsonObject().add("url", signed_url).str());
}

ep_output* ep_verify_url(const char* url, uint32_t url_size, const char* keys, uint32_t keys_size, double now) {
  std::vector<std::string_view> key_list;
  std::string_view rest = text(keys, keys_size);
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    if (newline != 0) key_list.push_back(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  Result<size_t> verified = verify_url(text(url, url_size), key_list, whole_seconds(now));
  if (!verified.ok()) return failure(verified.status());
  return make_output({}, JsonObject().add("keyIndex", uint64_t(verified.value())).str());
}

ep_output* ep_safe_equal(const char* a, uint32_t a_size, const char* b, uint32_t b_size) {
  return make_output({}, JsonObject().add("equal", constant_time_equal(text(a, a_size), text(b, b_size))).str());
}

ep_output* ep_probe(const uint8_t* input, uint32_t input_size) {
  Result<ProbeInfo> info = probe({input, input_size});
  if (!info.ok()) return failure(info.status());
  const bool swap = orientation_swaps_axes(info->orientation);
  return make_output({}, JsonObject()
                             .add("format", codec_for(info->format)->name)
                             .add("width", uint64_t(swap ? info->height : info->width))
                             .add("height", uint64_t(swap ? info->width : info->height))
                             .add("orientation", uint64_t(info->orientation))
                             .add("hasAlpha", info->has_alpha)
                             .add("animated", info->animated)
                             .add("frames", uint64_t(info->frame_count))
                             .str());
}

ep_output* ep_classify(const uint8_t* input, uint32_t size) {
  Result<Features> features = classify({input, size});
  if (!features.ok()) return failure(features.status());
  return make_output({}, features_json(features.value()));
}

ep_output* ep_placeholder(const char* thumbhash_b64, uint32_t size) {
  Result<Placeholder> placeholder = placeholder_png(text(thumbhash_b64, size));
  if (!placeholder.ok()) return failure(placeholder.status());
  const std::string meta = JsonObject()
                               .add("width", uint64_t(placeholder->width))
                               .add("height", uint64_t(placeholder->height))
                               .str();
  return make_output(std::move(placeholder->png), meta);
}

ep_output* ep_policy(const char* json, uint32_t size) {
  Result<Policy> policy = parse_policy(text(json, size));
  if (!policy.ok()) return failure(policy.status());
  return make_output({}, policy_json(policy.value()));
}

ep_output* ep_verdict(const char* policy_text, uint32_t policy_size, const char* features_text, uint32_t features_size) {
  Result<Policy> policy = parse_policy(text(policy_text, policy_size));
  if (!policy.ok()) return failure(policy.status());
  JsonReadLimits limits = policy_read_limits("the features");
  limits.code = ErrorCode::bad_option;
  Result<JsonValue> features = parse_json(text(features_text, features_size), limits);
  if (!features.ok()) return failure(features.status());
  Result<Verdict> verdict = judge(policy.value(), features.value());
  if (!verdict.ok()) return failure(verdict.status());
  return make_output({}, verdict_json(verdict.value()));
}

}  // extern "C"
