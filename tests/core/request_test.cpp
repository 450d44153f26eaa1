// Requests: the binding's JSON form and the URL form feed one option table, the canonical writer keys them, and
// the host's limits reach the plan.
#include <catch2/catch.hpp>
#include <set>

#include "plan/decision.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {
Options url_options(const std::string& text) {
  Result<Request> request = parse_request(text);
  INFO(text << ": " << request.status().message());
  REQUIRE(request.ok());
  return request->options;
}
Options json_options(const std::string& json) {
  Result<Request> request = parse_request(json);
  INFO(json << ": " << request.status().message());
  REQUIRE(request.ok());
  return request->options;
}
// Equal Options, as far as anything reads them: the canonical form plus what it folds or leaves out.
void check_same(const Options& a, const Options& b) {
  CHECK(canonical_options(a) == canonical_options(b));
  CHECK(a.dpr == b.dpr);
  CHECK(a.width_auto == b.width_auto);
  CHECK(a.slow_connection_quality == b.slow_connection_quality);
  CHECK(a.redirect_on_error == b.redirect_on_error);
  CHECK(a.format == b.format);
}
std::string key_of(const std::string& request) {
  Result<Decision> decision = decide(request, RequestHeaders("Accept: image/webp"));
  INFO(request << ": " << decision.status().message());
  REQUIRE(decision.ok());
  return decision->cache_key;
}
}  // namespace

TEST_CASE("each binding option maps to the same Options as its URL spelling") {
  struct Case {
    const char* url;
    const char* json;
  };
  for (const Case c : {
           Case{"width=400", R"({"transform":{"width":400}})"},
           Case{"height=300", R"({"transform":{"height":300}})"},
           Case{"fit=cover", R"({"transform":{"fit":"cover"}})"},
           Case{"gravity=left", R"({"transform":{"gravity":"left"}})"},
           Case{"gravity=0.25x0.75", R"({"transform":{"gravity":{"x":0.25,"y":0.75,"mode":"box-center"}}})"},
           Case{"rotate=90", R"({"transform":{"rotate":90}})"},
           Case{"flip=hv", R"({"transform":{"flip":"hv"}})"},
           Case{"trim=1;2;3;4", R"({"transform":{"trim":{"top":1,"right":2,"bottom":3,"left":4}}})"},
           Case{"trim=0;0;5;0", R"({"transform":{"trim":{"bottom":5}}})"},
           Case{"trim=border", R"({"transform":{"trim":"border"}})"},
           Case{"trim=border", R"({"transform":{"trim":{"border":true}}})"},
           Case{"blur=5", R"({"transform":{"blur":5}})"},
           Case{"sharpen=2.5", R"({"transform":{"sharpen":2.5}})"},
           Case{"brightness=1.5", R"({"transform":{"brightness":1.5}})"},
           Case{"contrast=0.5", R"({"transform":{"contrast":0.5}})"},
           Case{"gamma=2", R"({"transform":{"gamma":2}})"},
           Case{"saturation=0", R"({"transform":{"saturation":0}})"},
           Case{"background=#ff0000", R"({"transform":{"background":"#ff0000"}})"},
           Case{"background=rgba(0,0,255,0.5)", R"j({"output":{"background":"rgba(0,0,255,0.5)"}})j"},
           Case{"border=color:#00f;width:4", R"({"transform":{"border":{"color":"#00f","width":4}}})"},
           Case{"border=top:1;bottom:2", R"({"transform":{"border":{"top":1,"bottom":2}}})"},
           Case{"dpr=2,width=100", R"({"transform":{"dpr":2,"width":100}})"},
           Case{"anim=false", R"({"transform":{"anim":false}})"},
           Case{"anim=false", R"({"output":{"anim":false}})"},
           Case{"metadata=none", R"({"transform":{"metadata":"none"}})"},
           Case{"format=webp", R"({"output":{"format":"image/webp"}})"},
           Case{"format=avif", R"({"output":{"format":"image/avif"}})"},
           Case{"format=auto", R"({"transform":{"format":"auto"}})"},
           Case{"quality=80", R"({"output":{"quality":80}})"},
           Case{"quality=high", R"({"output":{"quality":"high"}})"},
           Case{"compression=fast", R"({"output":{"compression":"fast"}})"},
           Case{"slow-connection-quality=30", R"({"transform":{"slowConnectionQuality":30}})"},
           Case{"onerror=redirect", R"({"transform":{"onError":"redirect"}})"},
           Case{"width=400", R"({"options":"width=400"})"},
       }) {
    INFO(c.url << " vs " << c.json);
    check_same(url_options(c.url), json_options(c.json));
  }
}

TEST_CASE("the JSON form refuses what it cannot honour, naming it") {
  struct Case {
    const char* json;
    const char* mention;
  };
  for (const Case c : {
           Case{R"({"transform":{"zoom":2}})", "unknown option 'zoom'"},
           Case{R"({"output":{"width":10}})", "unknown option 'width' in output"},
           Case{R"({"output":{"format":"image/gif"}})", "format"},
           Case{R"({"output":{"format":"rgba"}})", "format"},
           Case{R"({"transform":{"width":"wide"}})", "width"},
           Case{R"({"transform":{"width":{}}})", "width"},
           Case{R"({"transform":{"gravity":{"x":0.5,"mode":"remainder"}}})", "box-center"},
           Case{R"({"transform":{"trim":{"width":10}}})", "'width' is not supported"},
           Case{R"({"transform":{"border":{"color":"#000","width":-1}}})", "border"},
           Case{R"({"transform":{"width":400})", "not valid JSON"},
           Case{R"({"options":"width=1","transform":{}})", "either options"},
           Case{R"({"transfrom":{}})", "unknown request member 'transfrom'"},
           Case{R"({"draw":[{"opacity":2}]})", "draw[0].opacity"},
           Case{R"({"draw":[{"composite":"multiply"}]})", "draw[0].composite"},
           Case{R"({"draw":[{"input":0}]})", "draw[0].input"},
           Case{R"({"limits":{"maxSourcePixels":0}})", "limits.maxSourcePixels"},
           Case{R"({"limits":{"maxFrames":1000000}})", "may lower a limit, not raise it"},
           Case{R"({"limits":{"maxPixels":10}})", "unknown limit 'maxPixels'"},
       }) {
    INFO(c.json);
    Result<Request> request = parse_request(c.json);
    REQUIRE_FALSE(request.ok());
    CHECK(request.status().code() == ErrorCode::bad_option);
    CHECK_THAT(request.status().message(), Catch::Contains(c.mention));
  }
}

TEST_CASE("draw entries parse into typed overlays") {
  Result<Request> request = parse_request(
      R"({"transform":{"width":400},"draw":[{"bottom":10,"right":-5,"opacity":0.8,"repeat":"x","composite":"atop",)"
      R"("transform":{"width":100,"fit":"contain","rotate":90}},{"input":1,"repeat":true}]})");
  REQUIRE(request.ok());
  REQUIRE(request->overlays.size() == 2);
  const Overlay& logo = request->overlays[0];
  CHECK(logo.input == 1);
  CHECK_FALSE(logo.top.has_value());
  CHECK(logo.bottom == 10);
  CHECK(logo.right == -5);
  CHECK(logo.opacity == 0.8);
  CHECK(logo.repeat == Repeat::x);
  CHECK(logo.composite == CompositeMode::atop);
  check_same(logo.options, url_options("width=100,fit=contain,rotate=90"));
  CHECK(request->overlays[1].input == 1);  // an input may be drawn twice
  CHECK(request->overlays[1].repeat == Repeat::both);
  CHECK(request->overlays[1].composite == CompositeMode::over);
}

TEST_CASE("the canonical writer: equal requests share a key, different ones do not") {
  CHECK(key_of("width=400,fit=cover,format=auto") ==
        key_of(R"({"transform":{"width":400,"fit":"cover"},"output":{"format":"auto"}})"));
  CHECK(key_of("width=200,dpr=2") == key_of(R"({"transform":{"width":400}})"));
  CHECK(key_of("height=300,width=400,q=80") == key_of("width=400,height=300,quality=80"));
  CHECK(key_of("width=64,w=400,quality=10,q=80") == key_of("width=400,quality=80"));  // the last value wins
  CHECK(key_of("width=400,background=white") == key_of("width=400,background=#fff"));
  CHECK(key_of("width=400,onerror=redirect") == key_of("width=400"));  // never changes the bytes
  CHECK(key_of("width=400,gravity=center") == key_of("width=400,gravity=centre"));

  // Every option that changes the output changes the key, and no two of these share one.
  std::set<std::string> keys;
  const char* distinct[] = {"width=400", "width=401", "width=auto", "height=400", "fit=cover", "fit=pad",
                            "gravity=left", "gravity=0.5x0.25", "gravity=auto", "quality=80", "format=webp",
                            "format=baseline-jpeg", "format=json", "background=red", "rotate=90", "flip=h",
                            "flip=v", "trim=1;2;3;4", "trim=4;3;2;1", "trim=border", "sharpen=1", "blur=2",
                            "brightness=2", "contrast=2", "gamma=2", "saturation=2", "border=color:red;width:1",
                            "border=color:blue;width:1", "anim=false", "metadata=keep", "metadata=none",
                            "compression=fast"};
  for (const char* options : distinct) CHECK(keys.insert(key_of(std::string("width=10,") + options)).second);
  CHECK(keys.insert(key_of("width=10")).second);

  // Overlays and lowered limits are part of the decision.
  const std::string base = key_of(R"({"options":"width=10"})");
  const std::string drawn = key_of(R"({"options":"width=10","draw":[{"bottom":5}]})");
  const std::string moved = key_of(R"({"options":"width=10","draw":[{"bottom":6}]})");
  const std::string faded = key_of(R"({"options":"width=10","draw":[{"bottom":5,"opacity":0.5}]})");
  const std::string sized = key_of(R"({"options":"width=10","draw":[{"bottom":5,"transform":{"width":20}}]})");
  const std::string limited = key_of(R"({"options":"width=10","limits":{"maxWorkingBytes":1000000}})");
  CHECK(std::set<std::string>{base, drawn, moved, faded, sized, limited}.size() == 6);
  CHECK(key_of(R"({"options":"width=10","limits":{"maxWorkingBytes":100663296}})") == base);  // the default
}

TEST_CASE("limits from the host: a lowered maxSourcePixels refuses an image the default accepts") {
  const auto bytes = fixture("orient-6.jpg");  // 64x48: 3072 pixels
  const auto answer = [&](const std::string& request) {
    ep_output* out = transform_call(bytes, request);
    REQUIRE(out != nullptr);
    const std::string meta(out->meta, out->meta_size);
    ep_output_free(out);
    return meta;
  };
  CHECK_THAT(answer(R"({"options":"width=16"})"), Catch::Contains(R"("width":16)"));
  CHECK_THAT(answer(R"({"options":"width=16","limits":{"maxSourcePixels":3072}})"), Catch::Contains(R"("width":16)"));
  const std::string refused = answer(R"({"options":"width=16","limits":{"maxSourcePixels":3071}})");
  CHECK_THAT(refused, Catch::Contains(R"("code":"too_large")"));
  CHECK_THAT(answer(R"({"options":"width=16","limits":{"maxOutputSide":15}})"), Catch::Contains("too_large"));
  CHECK_THAT(answer(R"({"options":"width=16","limits":{"maxWorkingBytes":1000}})"), Catch::Contains("memory"));
}
