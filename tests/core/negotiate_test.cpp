#include <catch2/catch.hpp>

#include "plan/negotiate.h"

using namespace edgepix;

TEST_CASE("request headers are found by case-insensitive name") {
  const RequestHeaders headers("accept: image/webp,*/*\nSec-CH-DPR:  2 \r\nX-Empty:\n");
  CHECK(headers.get("Accept") == "image/webp,*/*");
  CHECK(headers.get("sec-ch-dpr") == "2");
  CHECK(headers.has("x-empty"));
  CHECK_FALSE(headers.has("Width"));
  CHECK(headers.get("Width").empty());
}

TEST_CASE("width=auto follows client hints, bucketed, and varies on them") {
  Options options = parse_options("width=auto,format=auto").value();
  const auto width_for = [&](const char* headers) { return negotiate(options, RequestHeaders(headers)).options.width; };
  CHECK(width_for("Sec-CH-Width: 750") == 750);
  CHECK(width_for("Sec-CH-Width: 751") == 828);
  CHECK(width_for("Width: 300") == 320);
  CHECK(width_for("Sec-CH-Viewport-Width: 400\nSec-CH-DPR: 2") == 828);
  CHECK(width_for("Sec-CH-Viewport-Width: 400") == 480);
  CHECK(width_for("Sec-CH-Width: 100000") == 0);  // nonsense is ignored
  CHECK(width_for("Sec-CH-Width: 9000") == 3840);
  CHECK(width_for("") == 0);

  const Negotiation hinted = negotiate(options, RequestHeaders("Accept: image/webp\nSec-CH-Width: 500"));
  CHECK(hinted.vary == std::vector<std::string>{"Accept", "Sec-CH-Width", "Sec-CH-Viewport-Width", "Sec-CH-DPR"});
  const Negotiation legacy = negotiate(options, RequestHeaders("DPR: 2\nViewport-Width: 300"));
  CHECK(legacy.vary == std::vector<std::string>{"Accept", "Sec-CH-Width", "Sec-CH-Viewport-Width", "Viewport-Width",
                                                "Sec-CH-DPR", "DPR"});
}

TEST_CASE("fixed sizes and formats vary on nothing") {
  const Negotiation fixed = negotiate(parse_options("width=400,format=webp").value(),
                                      RequestHeaders("Accept: image/webp\nSec-CH-Width: 500"));
  CHECK(fixed.vary.empty());
  CHECK(fixed.options.width == 400);
}

TEST_CASE("Accept records AVIF and WebP with q-values") {
  CHECK(parse_accept("image/avif,image/webp,*/*").avif);
  CHECK_FALSE(parse_accept("image/avif;q=0,image/webp").avif);
  CHECK_FALSE(parse_accept("image/webp").avif);
}
