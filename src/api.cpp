#include "api.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

#include <cmath>
#include <vector>

#include "core/json.h"
#include "ops/orient.h"
#include "pipeline.h"
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

// The normalised decision: what the output depends on besides the source bytes, including the core's version
// (new codecs or settings give new bytes, which must not be served under an old key).
std::string cache_key(const Negotiation& negotiation) {
  return "v" EDGEPIX_VERSION "," + canonical_options(negotiation.options) + ",f=" +
         decision_token(negotiation.format);
}

// Parses the options and negotiates against the request headers: what ep_plan and ep_transform share.
Result<Negotiation> negotiate_request(std::string_view options, std::string_view headers) {
  Result<Options> parsed = parse_options(options);
  if (!parsed.ok()) return parsed.status();
  return negotiate(parsed.value(), RequestHeaders(headers));
}

JsonObject& add_decision(JsonObject& meta, const Negotiation& negotiation) {
  if (negotiation.options.redirect_on_error) meta.add("onError", "redirect");
  return meta.add("varyAccept", negotiation.format.vary_accept)
      .add("vary", negotiation.vary)
      .add("acceptCH", kAcceptClientHints)
      .add("cacheKey", cache_key(negotiation));
}

int64_t whole_seconds(double seconds) { return std::isfinite(seconds) ? int64_t(std::floor(seconds)) : -1; }

// format=json: what the transform would produce and what the source is, without decoding a pixel.
ep_output* describe(ByteView input, const Negotiation& negotiation) {
  Result<ProbeInfo> info = probe(input);
  if (!info.ok()) return failure(info.status());
  Result<Plan> plan = make_plan(negotiation.options, negotiation.format, info.value(), Limits());
  if (!plan.ok()) return failure(plan.status());
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
                               .str();
  Buffer bytes;
  if (!bytes.append(reinterpret_cast<const uint8_t*>(body.data()), body.size())) return nullptr;
  JsonObject meta;
  meta.add("format", "json")
      .add("contentType", "application/json")
      .add("width", uint64_t(plan->output_width))
      .add("height", uint64_t(plan->output_height));
  return make_output(std::move(bytes), add_decision(meta, negotiation).str());
}

ep_output* transform_within(const uint8_t* input, uint32_t input_size, const char* options, uint32_t options_size,
                            const char* headers, uint32_t headers_size, const Limits& limits) {
  Result<Negotiation> negotiation = negotiate_request(text(options, options_size), text(headers, headers_size));
  if (!negotiation.ok()) return failure(negotiation.status());
  if (negotiation->options.format == FormatRequest::json) return describe({input, input_size}, negotiation.value());
  Result<TransformOutput> result = transform({input, input_size}, negotiation->options, negotiation->format, limits);
  if (!result.ok()) return failure(result.status());
  const Codec* codec = codec_for(result->format);
  JsonObject meta;
  meta.add("format", codec->name)
      .add("contentType", codec->content_type)
      .add("width", uint64_t(result->width))
      .add("height", uint64_t(result->height))
      .add("frames", uint64_t(result->frames));
  return make_output(std::move(result->bytes), add_decision(meta, negotiation.value()).str());
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

ep_output* ep_plan(const char* options, uint32_t options_size, const char* headers, uint32_t headers_size) {
  Result<Negotiation> negotiation = negotiate_request(text(options, options_size), text(headers, headers_size));
  if (!negotiation.ok()) return failure(negotiation.status());
  JsonObject meta;
  return make_output({}, add_decision(meta, negotiation.value()).str());
}

ep_output* ep_transform(const uint8_t* input, uint32_t input_size, const char* options, uint32_t options_size,
                        const char* headers, uint32_t headers_size) {
  return transform_within(input, input_size, options, options_size, headers, headers_size, Limits());
}

ep_output* ep_transform_budgeted(const uint8_t* input, uint32_t input_size, const char* options,
                                 uint32_t options_size, const char* headers, uint32_t headers_size,
                                 double max_work_units) {
  Limits limits;
  limits.max_work_units = max_work_units >= 1 ? uint64_t(max_work_units) : 0;
  return transform_within(input, input_size, options, options_size, headers, headers_size, limits);
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

}  // extern "C"
