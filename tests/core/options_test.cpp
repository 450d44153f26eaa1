#include <catch2/catch.hpp>

#include "plan/negotiate.h"
#include "plan/options.h"

using namespace edgepix;

TEST_CASE("options parse Cloudflare's names, aliases and forms") {
  Result<Options> o = parse_options("width=400,h=300,fit=cover,q=70,format=webp,dpr=1.5,background=%23000");
  REQUIRE_FALSE(o.ok());  // the shim URL-decodes: a literal %23 is not a colour
  o = parse_options("width=400,h=300,fit=cover,q=70,format=webp,dpr=1.5,background=#000");
  REQUIRE(o.ok());
  CHECK(o->width == 400);
  CHECK(o->height == 300);
  CHECK(o->fit == Fit::cover);
  CHECK(o->quality == 70);
  CHECK(o->format == FormatRequest::webp);
  CHECK(o->dpr == 1.5);
  CHECK((o->background.r == 0 && o->background.a == 255));
}

TEST_CASE("background takes every CSS colour form, commas inside rgb() included") {
  struct Case {
    const char* text;
    Rgba colour;
  };
  for (const Case c : {Case{"red", {255, 0, 0, 255}}, Case{"RebeccaPurple", {0x66, 0x33, 0x99, 255}},
                       Case{"#abc", {0xaa, 0xbb, 0xcc, 255}}, Case{"#11223344", {0x11, 0x22, 0x33, 0x44}},
                       Case{"rgb(10,20,30)", {10, 20, 30, 255}}, Case{"rgba(10, 20, 30, 0.5)", {10, 20, 30, 128}},
                       Case{"rgb(100%,0%,50%)", {255, 0, 128, 255}}, Case{"transparent", {0, 0, 0, 0}}}) {
    INFO(c.text);
    Result<Options> o = parse_options(std::string("width=10,background=") + c.text + ",fit=pad");
    REQUIRE(o.ok());
    CHECK(o->background.r == c.colour.r);
    CHECK(o->background.g == c.colour.g);
    CHECK(o->background.b == c.colour.b);
    CHECK(o->background.a == c.colour.a);
    CHECK(o->fit == Fit::pad);
  }
}

TEST_CASE("bad options are errors naming the option") {
  struct Case {
    const char* text;
    const char* mention;
  };
  for (const Case c : {Case{"width=abc", "width"}, Case{"w=0", "width"}, Case{"width=12001", "width"},
                       Case{"width=10.5", "width"}, Case{"height=-3", "height"}, Case{"fit=stretch", "fit"},
                       Case{"quality=101", "quality"}, Case{"q=0", "quality"}, Case{"format=bmp", "format"},
                       Case{"dpr=0", "dpr"}, Case{"dpr=11", "dpr"}, Case{"background=nocolour", "background"},
                       Case{"background=rgb(1,2)", "background"}, Case{"sparkle=1", "sparkle"},
                       Case{"width", "width"}, Case{"", "no options"}}) {
    INFO(c.text);
    Result<Options> o = parse_options(c.text);
    REQUIRE_FALSE(o.ok());
    CHECK(o.status().code() == ErrorCode::bad_option);
    CHECK_THAT(o.status().message(), Catch::Contains(c.mention));
  }
}

TEST_CASE("an option given twice, by its name or its alias, takes the last value") {
  // URL builders append an override to a preset's string: the later value is the one meant.
  Result<Options> widths = parse_options("width=64,width=128");
  REQUIRE(widths.ok());
  CHECK(widths.value().width == 128u);
  Result<Options> alias = parse_options("width=64,w=96,quality=10,q=90");
  REQUIRE(alias.ok());
  CHECK(alias.value().width == 96u);
  CHECK(alias.value().quality == 90);
}

TEST_CASE("numbers are plain decimals: no hex, spaces, NULs or words that strtod would take") {
  const std::initializer_list<std::string> refused = {"width=0x40", "width= 64", "width=64 ",
                                                       std::string("width=64\0", 9), std::string("width=64\0junk", 13),
                                                       "width=inf", "width=nan", "width=1e", "width=.", "width=+",
                                                       "dpr=0x1p1"};
  for (const std::string& text : refused) {
    INFO(text);
    Result<Options> o = parse_options(text);
    REQUIRE_FALSE(o.ok());
    CHECK(o.status().code() == ErrorCode::bad_option);
  }
  for (const char* text : {"width=64", "width=6.4e1", "width=64.0", "width=+64", "dpr=.5", "dpr=2."}) {
    INFO(text);
    CHECK(parse_options(text).ok());
  }
}

TEST_CASE("equivalent option strings share one canonical form") {
  const auto canon = [](const char* text) { return canonical_options(parse_options(text).value()); };
  CHECK(canon("width=400") == canon("w=400"));
  CHECK(canon("width=400,fit=scale-down") == canon("w=400"));
  CHECK(canon("width=200,dpr=2") == canon("width=400"));
  CHECK(canon("height=300,width=400") == canon("width=400,height=300"));
  CHECK(canon("width=400,quality=80") != canon("width=400"));
  CHECK(canon("width=400,background=white") == canon("width=400,background=#fff"));
}

TEST_CASE("Accept negotiation honours q-values and explicit types only") {
  CHECK(parse_accept("image/avif,image/webp,*/*").webp);
  CHECK(parse_accept("image/webp;q=0.8").webp);
  CHECK(parse_accept("IMAGE/WEBP").webp);
  CHECK_FALSE(parse_accept("image/webp;q=0").webp);
  CHECK_FALSE(parse_accept("*/*").webp);
  CHECK_FALSE(parse_accept("image/*").webp);
  CHECK_FALSE(parse_accept("").webp);
  const FormatDecision automatic = negotiate_format(FormatRequest::automatic, parse_accept("image/webp"));
  CHECK(automatic.format == Format::webp);
  CHECK(automatic.vary_accept);
  const FormatDecision fixed = negotiate_format(FormatRequest::jpeg, parse_accept("image/webp"));
  CHECK(fixed.format == Format::jpeg);
  CHECK_FALSE(fixed.vary_accept);
  ProbeInfo webp_source;
  webp_source.format = Format::webp;
  CHECK(output_format(negotiate_format(FormatRequest::original, {}), webp_source, false) == Format::webp);
  CHECK(output_format(negotiate_format(FormatRequest::automatic, {}), webp_source, false) == Format::jpeg);
  webp_source.has_alpha = true;
  CHECK(output_format(negotiate_format(FormatRequest::automatic, {}), webp_source, false) == Format::png);
}
