#include "core/budget.h"

#include <chrono>
#include <limits>
#include <string>

namespace edgepix {

Budget::Budget(uint64_t units, Deadline deadline)
    : units_(units),
      next_clock_read_(deadline.now_ns ? kUnitsPerClockRead : std::numeric_limits<uint64_t>::max()),
      deadline_(deadline) {}

Status Budget::check() {
  if (spent_ > units_)
    return error(ErrorCode::over_budget, "the request's work budget of " + std::to_string(units_) +
                                             " units ran out in step '" + step_ + "'");
  if (!deadline_.now_ns) return {};
  next_clock_read_ = spent_ + kUnitsPerClockRead;
  if (deadline_.now_ns() >= deadline_.at_ns)
    return error(ErrorCode::over_budget, std::string("the request's deadline passed in step '") + step_ + "'");
  return {};
}

uint64_t steady_clock_ns() {
  return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count());
}

}  // namespace edgepix
