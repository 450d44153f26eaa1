// The request headers as the shim passes them: "Name: value" lines, names case-insensitive. The core decides
// which headers matter (Accept, client hints), so the shim never interprets one.
#pragma once
#include <string_view>

namespace edgepix {

class RequestHeaders {
 public:
  explicit RequestHeaders(std::string_view block) : block_(block) {}
  // The first value of `name`, or an empty view when absent.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;

 private:
  std::string_view block_;
};

}  // namespace edgepix
