#include <attest/trace/model.hpp>

#include <ostream>

namespace attest::trace {

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::passed:
      return "passed";
    case Outcome::failed:
      return "failed";
    case Outcome::skipped:
      return "skipped";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& out, Outcome outcome) { return out << to_string(outcome); }

}  // namespace attest::trace
