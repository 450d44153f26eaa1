#include <catch2/catch.hpp>

#include "pipeline.h"
#include "plan/plan.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {
Result<Plan> plan_for(const std::vector<uint8_t>& bytes, uint32_t width) {
  Result<ProbeInfo> info = probe(view(bytes));
  REQUIRE(info.ok());
  Options options;
  options.width = width;
  return make_plan(options, {}, info.value(), Limits());
}
}  // namespace

TEST_CASE("header bombs are refused from the header, before decoding") {
  const auto bomb = fixture("bomb-100000.png");
  Result<Plan> plan = plan_for(bomb, 100);
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.status().code() == ErrorCode::too_large);
  CHECK_THAT(plan.status().message(), Catch::Contains("100000x100000"));

  Result<Plan> memory = plan_for(fixture("bomb-16000.png"), 100);  // under the pixel cap, not the memory budget
  REQUIRE_FALSE(memory.ok());
  CHECK_THAT(memory.status().message(), Catch::Contains("memory"));

  // A progressive JPEG keeps full-size coefficients whatever the scale: 108 MP needs ~324 MB.
  Result<Plan> progressive = plan_for(fixture("progressive-108mp-header.jpg"), 1000);
  REQUIRE_FALSE(progressive.ok());
  CHECK(progressive.status().code() == ErrorCode::too_large);
}

TEST_CASE("a 108 MP baseline JPEG resizes to 1000 px inside the budget through scale-on-load") {
  const auto bytes = fixture("photo-108mp.jpg");
  Result<Plan> plan = plan_for(bytes, 1000);
  REQUIRE(plan.ok());
  CHECK(plan->scale_eighths == 1);  // 12000 -> 1500 px in the IDCT, 1.5x left for the resampler
  CHECK(plan->working_bytes < Limits().max_working_bytes);
  Budget budget(plan->work_budget);  // the default budget has room for it
  Result<TransformOutput> out = run_plan(plan.value(), {view(bytes)}, &budget);
  REQUIRE(out.ok());
  CHECK(out->width == 1000);
  CHECK(out->height == 750);
}

TEST_CASE("the output is capped at 12000 px a side") {
  ProbeInfo small;
  small.format = Format::png;
  small.width = 100;
  small.height = 10;
  Options options;
  options.height = 1300;  // contain: 13000 x 1300
  options.fit = Fit::contain;
  Result<Plan> plan = make_plan(options, {}, small, Limits());
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.status().code() == ErrorCode::too_large);
}
