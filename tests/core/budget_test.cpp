// The work budget: counted, deterministic, charged inside the long loops of every step and codec, and a request
// that runs out ends with over_budget (422) and leaves the core usable.
#include <catch2/catch.hpp>
#include <cstring>

#include "core/budget.h"
#include "pipeline.h"
#include "plan/work.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

struct Job {
  const char* fixture;
  const char* options;
};

// Every decoder, every encoder, the pixel steps that charge in their loops, and an animation.
const Job kJobs[] = {
    {"photo-1200.jpg", "width=400,format=jpeg"},
    {"photo-1200-progressive.jpg", "width=300,format=baseline-jpeg,sharpen=2"},
    {"photo-1200.jpg", "width=300,format=webp,blur=3"},
    {"alpha.png", "width=50,format=png"},
    {"lossy.webp", "width=100,format=webp,quality=100"},
    {"still.gif", "width=30,format=png"},
    {"photo-1200.avif", "width=200,format=avif"},
    {"animated.gif", "width=40,format=webp"},
    {"bordered.png", "trim=border,width=60,height=60,fit=cover,gravity=auto,format=png"},
};

Result<Plan> plan_for(ByteView input, const char* options_text, const Limits& limits = {}) {
  const Options options = parse_options(options_text).value();
  Result<ProbeInfo> info = probe(input);
  REQUIRE(info.ok());
  return make_plan(options, negotiate(options, RequestHeaders("")).format, info.value(), limits);
}

// Runs a job with a budget of `units` and says what it spent.
Result<TransformOutput> run_with(ByteView input, const Plan& plan, uint64_t units, uint64_t* spent = nullptr) {
  Budget budget(units);
  Result<TransformOutput> out = run_plan(plan, {input}, &budget);
  if (spent) *spent = budget.spent();
  return out;
}

bool same_bytes(const Buffer& a, const Buffer& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

TEST_CASE("a budget counts units and names the step that ran out") {
  Budget budget(100);
  budget.enter("resize");
  CHECK(budget.charge(60).ok());
  CHECK(budget.charge(40).ok());  // exactly the budget is within it
  CHECK(budget.check().ok());
  const Status over = budget.charge(1);
  REQUIRE(over.code() == ErrorCode::over_budget);
  CHECK(error_info(over.code()).http_status == 422);
  CHECK_THAT(over.message(), Catch::Contains("'resize'") && Catch::Contains("100 units"));
  CHECK(charge(nullptr, ~0ull).ok());  // no budget: unlimited
}

namespace {
uint64_t fake_now = 0;
uint64_t fake_clock() { return fake_now; }
}  // namespace

TEST_CASE("a deadline bounds the time where a clock advances, read between steps and every few million units") {
  fake_now = 0;
  Budget budget(~0ull >> 1, {fake_clock, 1000});
  budget.enter("blur and sharpen");
  CHECK(budget.check().ok());
  fake_now = 1000;
  CHECK(budget.charge(1).ok());  // the clock is not read on every charge
  const Status late = budget.charge(8u << 20);
  REQUIRE(late.code() == ErrorCode::over_budget);
  CHECK_THAT(late.message(), Catch::Contains("deadline") && Catch::Contains("'blur and sharpen'"));
  CHECK(budget.check().code() == ErrorCode::over_budget);
}

TEST_CASE("the default budget covers every job, and the estimate covers what the steps charge") {
  for (const Job& job : kJobs) {
    INFO(job.fixture << " " << job.options);
    const auto input = fixture(job.fixture);
    Result<Plan> plan = plan_for(view(input), job.options);
    REQUIRE(plan.ok());
    uint64_t spent = 0;
    Result<TransformOutput> out = run_with(view(input), plan.value(), plan->work_budget, &spent);
    REQUIRE(out.ok());
    CHECK(spent > 0);
    CHECK(spent <= estimate_work_units(plan.value()));
  }
}

TEST_CASE("charges are deterministic: the units a job spent are exactly enough, one fewer runs out in its last step") {
  for (const Job& job : kJobs) {
    INFO(job.fixture << " " << job.options);
    const auto input = fixture(job.fixture);
    const Plan plan = plan_for(view(input), job.options).value();
    uint64_t spent = 0;
    Result<TransformOutput> unlimited = run_plan(plan, {view(input)}, nullptr);
    REQUIRE(unlimited.ok());
    REQUIRE(run_with(view(input), plan, ~0ull, &spent).ok());
    Result<TransformOutput> exact = run_with(view(input), plan, spent);
    REQUIRE(exact.ok());
    CHECK(same_bytes(exact->bytes, unlimited->bytes));
    Result<TransformOutput> short_by_one = run_with(view(input), plan, spent - 1);
    REQUIRE_FALSE(short_by_one.ok());
    CHECK(short_by_one.status().code() == ErrorCode::over_budget);
    // The encoder (or an animation's writer) charges last, from inside its own loop.
    CHECK_THAT(short_by_one.status().message(), Catch::Contains("'encode'") || Catch::Contains("'write frame'"));
  }
}

TEST_CASE("a budget that runs out inside a step stops it there, whichever step it is") {
  for (const Job& job : kJobs) {
    const auto input = fixture(job.fixture);
    const Plan plan = plan_for(view(input), job.options).value();
    uint64_t spent = 0;
    REQUIRE(run_with(view(input), plan, ~0ull, &spent).ok());
    for (const uint64_t units : {uint64_t(1), spent / 10, spent / 3, spent / 2, spent * 9 / 10}) {
      INFO(job.fixture << " " << job.options << " with " << units << " of " << spent << " units");
      uint64_t spent_when_stopped = 0;
      Result<TransformOutput> out = run_with(view(input), plan, units, &spent_when_stopped);
      REQUIRE_FALSE(out.ok());
      CHECK(out.status().code() == ErrorCode::over_budget);
      // Stopped early, not after all the work (aom's charge, made whole before it starts, is counted when refused).
      CHECK(spent_when_stopped <= spent);
    }
  }
}

TEST_CASE("a request over its budget answers over_budget, and the next one with the default budget is unchanged") {
  const auto input = fixture("photo-1200.jpg");
  const Options options = parse_options("width=400,format=webp").value();
  const FormatDecision format = negotiate(options, RequestHeaders("")).format;
  Limits tiny;
  tiny.max_work_units = 1000;
  Result<TransformOutput> refused = transform(view(input), options, format, tiny);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == ErrorCode::over_budget);
  CHECK_THAT(refused.status().message(), Catch::Contains("'decode'"));

  Result<TransformOutput> next = transform(view(input), options, format, Limits());
  REQUIRE(next.ok());
  Result<Plan> plan = plan_for(view(input), "width=400,format=webp");
  Result<TransformOutput> unbudgeted = run_plan(plan.value(), {view(input)}, nullptr);
  REQUIRE(unbudgeted.ok());
  CHECK(same_bytes(next->bytes, unbudgeted->bytes));
}

TEST_CASE("the host's budget replaces the default; the default is derived from the plan's estimate") {
  const auto input = fixture("photo-12mp.jpg");
  Limits limits;
  limits.max_work_units = 12345;
  CHECK(plan_for(view(input), "width=1000", limits)->work_budget == 12345);
  const Plan plan = plan_for(view(input), "width=1000").value();
  CHECK(plan.work_budget >= 2 * estimate_work_units(plan));
  const Plan small = plan_for(view(input), "width=100").value();
  CHECK(small.work_budget < plan.work_budget);
}

namespace {

// A progressive JPEG with one of its scans repeated `copies` more times: a valid-looking file whose decode costs
// a pass over the image per scan (libjpeg only warns about the repeats). The smallest scan is repeated.
std::vector<uint8_t> with_repeated_scan(const std::vector<uint8_t>& jpeg, int copies) {
  size_t best_start = 0, best_end = 0;
  for (size_t at = 2; at + 4 <= jpeg.size();) {
    const uint8_t marker = jpeg[at + 1];
    if (marker == 0xD9) break;
    size_t end = at + 2 + (size_t(jpeg[at + 2]) << 8 | jpeg[at + 3]);
    if (marker == 0xDA) {  // the scan's entropy-coded data runs to the next marker other than RSTn or a stuffed 0
      while (end + 1 < jpeg.size() && !(jpeg[end] == 0xFF && jpeg[end + 1] != 0 &&
                                        (jpeg[end + 1] < 0xD0 || jpeg[end + 1] > 0xD7)))
        ++end;
      if (best_end == 0 || end - at < best_end - best_start) best_start = at, best_end = end;
    }
    at = end;
  }
  REQUIRE(best_end > best_start);
  std::vector<uint8_t> out(jpeg.begin(), jpeg.begin() + long(best_end));
  for (int i = 0; i < copies; ++i) out.insert(out.end(), jpeg.begin() + long(best_start), jpeg.begin() + long(best_end));
  out.insert(out.end(), jpeg.begin() + long(best_end), jpeg.end());
  return out;
}

}  // namespace

TEST_CASE("a JPEG of hundreds of scans runs out of the default budget while decoding; the same file's scans once do not") {
  const auto original = fixture("photo-1200-progressive.jpg");
  const Options options = parse_options("width=100").value();
  const FormatDecision format = negotiate(options, RequestHeaders("")).format;
  const auto few = with_repeated_scan(original, 2);
  CHECK(transform(view(few), options, format, Limits()).ok());  // a few repeats: within the default
  const auto bomb = with_repeated_scan(original, 400);
  Result<TransformOutput> out = transform(view(bomb), options, format, Limits());
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == ErrorCode::over_budget);
  CHECK_THAT(out.status().message(), Catch::Contains("'decode'"));
  // Without a budget the same file decodes, slowly: only the budget stops it.
  Result<Plan> plan = plan_for(view(bomb), "width=100");
  REQUIRE(plan.ok());
  CHECK(run_plan(plan.value(), {view(bomb)}, nullptr).ok());
}
