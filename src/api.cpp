#include "api.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/json.h"
#include "ops/orient.h"
#include "pipeline.h"

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
std::string cache_key(const Options& options, const FormatDecision& decision) {
  return "v" EDGEPIX_VERSION "," + canonical_options(options) + ",f=" + decision_token(decision);
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

ep_output* ep_plan(const char* options, uint32_t options_size, const char* accept, uint32_t accept_size) {
  Result<Options> parsed = parse_options(text(options, options_size));
  if (!parsed.ok()) return failure(parsed.status());
  const FormatDecision decision = negotiate_format(parsed->format, parse_accept(text(accept, accept_size)));
  return make_output({}, JsonObject()
                             .add("cacheKey", cache_key(parsed.value(), decision))
                             .add("varyAccept", decision.vary_accept)
                             .str());
}

ep_output* ep_transform(const uint8_t* input, uint32_t input_size, const char* options, uint32_t options_size,
                        const char* accept, uint32_t accept_size) {
  Result<Options> parsed = parse_options(text(options, options_size));
  if (!parsed.ok()) return failure(parsed.status());
  const FormatDecision decision = negotiate_format(parsed->format, parse_accept(text(accept, accept_size)));
  Result<TransformOutput> result = transform({input, input_size}, parsed.value(), decision, Limits());
  if (!result.ok()) return failure(result.status());
  const Codec* codec = codec_for(result->format);
  const std::string meta = JsonObject()
                               .add("format", codec->name)
                               .add("contentType", codec->content_type)
                               .add("width", uint64_t(result->width))
                               .add("height", uint64_t(result->height))
                               .add("varyAccept", decision.vary_accept)
                               .add("cacheKey", cache_key(parsed.value(), decision))
                               .str();
  return make_output(std::move(result->bytes), meta);
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
                             .str());
}

}  // extern "C"
