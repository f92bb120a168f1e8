// The data trace-check joins: requirements from catalogs, tests from
// manifests, outcomes from result files. Plain values; no I/O here.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace attest::trace {

/// Malformed or unreadable input. what() starts with `file[:line[:col]]: `.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Location {
  std::string file;
  std::size_t line = 0;  // 0: unknown
  std::string str() const { return line ? file + ":" + std::to_string(line) : file; }
};

struct Requirement {
  std::string id;       // as markers name it when qualified: "003-order-sync/FR-001", or "FR-001"
  std::string bare_id;  // "FR-001"
  std::string feature;  // "003-order-sync", empty for a single catalog
  std::string title;
  std::string priority;  // from JSON catalogs; may be empty
  Location where;
  bool unclear = false;  // text holds [NEEDS CLARIFICATION: ...]
};

struct TestCase {
  std::string binary;
  std::string id;  // Boost full name: suite/case
  Location where;
  std::vector<std::string> markers;
  std::vector<std::string> requirements;
  bool enabled = true;
};

enum class Outcome { passed, failed, skipped };

struct TestOutcome {
  std::string binary;
  std::string id;
  Outcome outcome = Outcome::passed;
  std::string message;
  // JUnit files from other frameworks (GoogleTest RecordProperty("verifies", ...))
  // carry the requirements themselves: such a result also stands for a test.
  bool has_requirements = false;
  std::vector<std::string> requirements;
  std::vector<std::string> markers;
  Location where;  // from JUnit file/line attributes, or the result file
};

const char* to_string(Outcome outcome);

}  // namespace attest::trace
