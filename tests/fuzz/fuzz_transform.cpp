// Every decoder (and the steps and encoders behind it) through the C ABI's request: the first byte chooses a
// request from a fixed table, the rest is the image. The table covers each output format, the fit modes, resizing
// on load, animation, metadata, effects, drawing the image on itself and the binding's JSON form; the byte's top
// bit runs it as ep_decide + ep_run instead of ep_transform, so both ways in are fuzzed.
#include <cstring>

#include "api.h"
#include "decision.h"
#include "target.h"

namespace {

struct Case {
  const char* request;
  const char* headers;
  uint32_t inputs;  // 2: the image is drawn on itself
};

// A host limit keeps one input's decode within what a fuzzing run can afford under ASan (a 25 Mpx claim decoded
// at every iteration would time out); the limits themselves are checked in plan, before any decode.
#define LIMITS R"("limits":{"maxSourcePixels":4194304,"maxAnimationPixels":16777216,"maxFrames":64})"
const Case kCases[] = {
    {R"({"options":"width=64,format=jpeg",)" LIMITS "}", "", 1},
    {R"({"options":"width=48,format=png",)" LIMITS "}", "", 1},
    {R"({"options":"width=48,format=webp,quality=50",)" LIMITS "}", "", 1},
    {R"({"options":"width=24,format=avif",)" LIMITS "}", "", 1},
    {R"({"options":"width=64,format=baseline-jpeg,metadata=keep",)" LIMITS "}", "", 1},
    {R"({"options":"format=json",)" LIMITS "}", "", 1},
    {R"({"options":"width=50,height=30,fit=cover,gravity=auto",)" LIMITS "}", "", 1},
    {R"({"options":"width=50,height=30,fit=contain,background=red",)" LIMITS "}", "", 1},
    {R"({"options":"width=50,height=30,fit=pad,gravity=left",)" LIMITS "}", "", 1},
    {R"({"options":"width=50,height=30,fit=crop,gravity=0.2x0.8",)" LIMITS "}", "", 1},
    {R"({"options":"width=50,height=30,fit=squeeze",)" LIMITS "}", "", 1},
    {R"({"options":"height=40,fit=scale-down,dpr=2",)" LIMITS "}", "", 1},
    {R"({"options":"width=40,anim=false,format=auto",)" LIMITS "}", "Accept: image/avif,image/webp,*/*", 1},
    {R"({"options":"width=40,format=webp",)" LIMITS "}", "", 1},  // animated WebP when the source moves
    {R"({"options":"width=40,format=png,metadata=none,rotate=90,flip=hv",)" LIMITS "}", "", 1},
    {R"({"options":"width=64,trim=border,sharpen=2,blur=3",)" LIMITS "}", "", 1},
    {R"({"options":"width=64,trim=3;4;5;6,brightness=1.2,contrast=0.8,gamma=1.5,saturation=0",)" LIMITS "}", "", 1},
    {R"({"options":"width=auto,format=auto,border=color:blue;width:3",)" LIMITS "}",
     "Accept: image/webp\nSec-CH-DPR: 2\nSec-CH-Width: 120", 1},
    {R"({"options":"width=64,compression=fast,format=auto,metadata=keep",)" LIMITS "}", "Accept: image/avif", 1},
    {R"({"transform":{"width":40,"fit":"cover","gravity":{"x":0.3,"y":0.7,"mode":"box-center"}},)"
     R"("output":{"format":"image/webp","quality":60},)" LIMITS "}", "", 1},
    {R"({"transform":{"width":60},"output":{"format":"image/png"},)"
     R"("draw":[{"input":1,"bottom":4,"right":4,"opacity":0.5,"transform":{"width":16}}],)" LIMITS "}", "", 2},
    {R"({"transform":{"width":60},"output":{"format":"image/jpeg"},)"
     R"("draw":[{"input":1,"repeat":true,"composite":"xor","transform":{"width":8,"rotate":270}}],)" LIMITS "}", "", 2},
    {R"({"options":"width=64",)" LIMITS R"(,"keepGps":true})", "", 1},
    {R"({"options":"width=32,format=jpeg","limits":{"budget":2000,"maxWorkingBytes":4000000}})", "", 1},
};
constexpr uint32_t kCaseCount = sizeof kCases / sizeof kCases[0];

}  // namespace

EDGEPIX_FUZZ_TARGET(transform) {
  if (size < 1) return;
  const Case& c = kCases[(data[0] & 0x7f) % kCaseCount];
  const bool two_calls = data[0] & 0x80;
  const ep_input image = {data + 1, uint32_t(size - 1)};
  const ep_input inputs[2] = {image, image};
  const uint32_t request_size = uint32_t(std::strlen(c.request));
  const uint32_t headers_size = uint32_t(std::strlen(c.headers));
  if (!two_calls) {
    ep_output_free(ep_transform(c.request, request_size, c.headers, headers_size, inputs, c.inputs));
    return;
  }
  ep_output* decision = ep_decide(c.request, request_size, c.headers, headers_size);
  const uint32_t handle = edgepix::fuzz::decision_handle(decision);
  ep_output_free(decision);
  if (handle) ep_output_free(ep_run(handle, inputs, c.inputs));
}
