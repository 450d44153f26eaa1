#include "plan/request_headers.h"

namespace edgepix {

namespace {
std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] + 32) : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? char(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

// Calls `visit(value)` for the first line named `name`; returns whether there was one.
template <class Visit>
bool find(std::string_view block, std::string_view name, Visit visit) {
  while (!block.empty()) {
    const size_t newline = block.find('\n');
    const std::string_view line = block.substr(0, newline);
    block = newline == std::string_view::npos ? std::string_view() : block.substr(newline + 1);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && same_name(trim(line.substr(0, colon)), name)) {
      visit(trim(line.substr(colon + 1)));
      return true;
    }
  }
  return false;
}
}  // namespace

std::string_view RequestHeaders::get(std::string_view name) const {
  std::string_view value;
  find(block_, name, [&](std::string_view found) { value = found; });
  return value;
}

bool RequestHeaders::has(std::string_view name) const {
  return find(block_, name, [](std::string_view) {});
}

}  // namespace edgepix
