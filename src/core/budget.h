// The work budget of one request: units of counted work, about one per pixel a step touches (plan/work.h lists
// what each step charges and derives the default from the plan). Steps charge as they go, inside their long loops,
// and the pipeline checks between steps; when the units run out the request ends with over_budget (422) at the
// next check, and everything it held is released by its owners (Buffer, Image, RAII), so the instance stays usable.
// Counted, not timed: workerd freezes clocks during a synchronous call (neither performance.now() nor Date.now()
// advances inside one wasm call), so a clock cannot bound work there, and counted work stops at the same point on
// every run and build. Where a clock does advance (native, Node), a deadline may bound the time as well.
#pragma once
#include <cstdint>

#include "core/status.h"

namespace edgepix {

// Monotonic nanoseconds (e.g. steady_clock_ns) and the time to stop by; no clock: no deadline.
struct Deadline {
  uint64_t (*now_ns)() = nullptr;
  uint64_t at_ns = 0;
};

class Budget {
 public:
  explicit Budget(uint64_t units, Deadline deadline = {});

  // The step now spending, named in the message when the budget runs out (a string literal: it is kept).
  void enter(const char* step) { step_ = step; }
  // Spends `units`; over_budget once the total passes the budget or the deadline has passed. Called per row, so
  // the common case is an add and a compare; the clock is read only every kUnitsPerClockRead units.
  Status charge(uint64_t units) {
    spent_ += units;
    if (spent_ <= units_ && spent_ < next_clock_read_) return {};
    return check();
  }
  Status check();

  uint64_t units() const { return units_; }
  uint64_t spent() const { return spent_; }

 private:
  // About 5 ms of native work: how late a deadline may be noticed inside a long loop.
  static constexpr uint64_t kUnitsPerClockRead = 4u << 20;
  uint64_t units_;
  uint64_t spent_ = 0;
  uint64_t next_clock_read_;
  Deadline deadline_;
  const char* step_ = "start";
};

// For ops and codecs that take an optional budget: null means unlimited.
inline Status charge(Budget* budget, uint64_t units) { return budget ? budget->charge(units) : Status(); }

// A monotonic clock for a Deadline.
uint64_t steady_clock_ns();

}  // namespace edgepix
