#include <attest/input_error.hpp>

namespace attest {

std::string InputLocation::str() const {
  std::string s = file;
  // append() rather than `s += ":" + ...`: GCC 12 at -O3 warns (-Wrestrict) on the latter.
  if (line) s.append(":").append(std::to_string(line));
  if (line && column) s.append(":").append(std::to_string(column));
  return s;
}

InputError::InputError(InputLocation where, const std::string& message)
    : std::runtime_error(where.file.empty() ? message : where.str() + ": " + message),
      where_(std::move(where)),
      message_(message) {}

InputError::InputError(const std::string& located_message)
    : std::runtime_error(located_message), message_(located_message) {}

}  // namespace attest
