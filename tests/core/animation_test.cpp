#include <catch2/catch.hpp>

#include "codec/animation.h"
#include "pipeline.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {
struct Frame {
  Image image;
  uint32_t duration_ms;
};
std::vector<Frame> frames_of(ByteView bytes) {
  Result<std::unique_ptr<FrameReader>> reader = open_frames(bytes, sniff_format(bytes));
  REQUIRE(reader.ok());
  std::vector<Frame> frames;
  for (;;) {
    Frame frame;
    Result<bool> more = reader.value()->next(&frame.image, &frame.duration_ms);
    REQUIRE(more.ok());
    if (!more.value()) return frames;
    frames.push_back(std::move(frame));
  }
}
Result<TransformOutput> run(const std::string& name, const char* options_text) {
  const auto bytes = fixture(name);
  const Options options = parse_options(options_text).value();
  return transform(view(bytes), options, negotiate(options, RequestHeaders("")).format, Limits());
}
}  // namespace

TEST_CASE("an animated GIF becomes an animated WebP: every frame resized, timing kept") {
  Result<TransformOutput> out = run("animated.gif", "width=40,format=webp");
  REQUIRE(out.ok());
  CHECK(out->frames == 3);
  Result<ProbeInfo> info = probe(out->bytes.view());
  REQUIRE(info.ok());
  CHECK(info->animated);
  CHECK(info->frame_count == 3);
  const auto frames = frames_of(out->bytes.view());
  REQUIRE(frames.size() == 3);
  const int expected[3][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
  for (size_t i = 0; i < 3; ++i) {
    INFO("frame " << i);
    CHECK(frames[i].image.width == 40);
    CHECK(frames[i].image.height == 30);
    CHECK(frames[i].duration_ms == 100);  // GIF delay 10 cs
    const Pixel p = pixel(frames[i].image, 20, 15);
    CHECK(std::abs(p.r - expected[i][0]) < 30);
    CHECK(std::abs(p.g - expected[i][1]) < 30);
    CHECK(std::abs(p.b - expected[i][2]) < 30);
  }
}

TEST_CASE("GIF disposal and partial frames composite correctly") {
  // Each frame draws one square on a transparent canvas and is disposed to background before the next.
  const auto source = frames_of(view(fixture("animated-disposal.gif")));
  REQUIRE(source.size() == 3);
  CHECK(pixel(source[1].image, 5, 5).a == 0);     // frame 1's red square was cleared
  CHECK(pixel(source[1].image, 30, 20).g == 255);  // frame 2's green square
  CHECK(source[1].duration_ms == 200);
  Result<TransformOutput> out = run("animated-disposal.gif", "width=30,format=webp");
  REQUIRE(out.ok());
  const auto frames = frames_of(out->bytes.view());
  REQUIRE(frames.size() == 3);
  CHECK(pixel(frames[2].image, 3, 3).a < 20);       // the red square is long gone
  CHECK(pixel(frames[2].image, 25, 15).b > 200);    // the blue one is there
}

TEST_CASE("animated WebP in, anim=false, still outputs, frame bombs") {
  Result<TransformOutput> webp = run("animated.webp", "width=20");
  REQUIRE(webp.ok());
  CHECK(webp->frames == 3);
  Result<TransformOutput> still = run("animated.gif", "width=20,format=webp,anim=false");
  REQUIRE(still.ok());
  CHECK(still->frames == 1);
  CHECK_FALSE(probe(still->bytes.view()).value().animated);
  Result<TransformOutput> png = run("animated.gif", "width=20,format=png");  // PNG out: the first frame
  REQUIRE(png.ok());
  CHECK(png->frames == 1);
  Result<TransformOutput> bomb = run("bomb-frames.gif", "format=webp");
  REQUIRE_FALSE(bomb.ok());
  CHECK(bomb.status().code() == ErrorCode::too_large);
  CHECK(probe(view(fixture("bomb-frames.gif"))).value().frame_count == 1201);
}
