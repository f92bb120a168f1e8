// The data trace-check joins: requirements from catalogs, tests from
// manifests, outcomes from result files. Plain values; no I/O here.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include <attest/input_error.hpp>

namespace attest::trace {

/// Malformed or unreadable input. what() starts with `file[:line[:col]]: `.
using InputError = attest::InputError;

struct Location {
  std::string file;
  std::size_t line = 0;  // 0: unknown
  std::string str() const { return line ? file + ":" + std::to_string(line) : file; }
  bool operator==(const Location&) const = default;
};

struct Requirement {
  std::string id;       // as markers name it when qualified: "003-order-sync/FR-001", or "FR-001"
  std::string bare_id;  // "FR-001"
  std::string feature;  // "003-order-sync", empty for a single catalog
  std::string title;
  std::string priority;  // from JSON catalogs; may be empty
  std::string section;   // where the catalog files it: a ReqIF specification path, a Doorstop level
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
  std::string description;  // Boost's description decorator
  /// The suites' names and the case's (the id joined by '/'; a name may hold '/' itself).
  std::vector<std::string> path;
  bool operator==(const TestCase&) const = default;
};

enum class Outcome { passed, failed, skipped };

/// A step of a test that attest times on its own (fixture set-up, body, teardown).
struct Phase {
  std::string name;
  Outcome outcome = Outcome::passed;
  double duration_ms = 0;
  bool operator==(const Phase&) const = default;
};

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
  double duration_ms = 0;
  std::vector<Phase> phases;
  /// The messages of the attempts that failed before the one that counts (--reruns,
  /// attest::flaky): a pass with failed attempts is a flaky pass.
  std::vector<std::string> failed_attempts;
  bool flaky() const { return outcome == Outcome::passed && !failed_attempts.empty(); }
  bool operator==(const TestOutcome&) const = default;
};

struct Summary {
  std::size_t passed = 0, failed = 0, skipped = 0;
  double duration_ms = 0;
  bool operator==(const Summary&) const = default;
};

const char* to_string(Outcome outcome);
std::ostream& operator<<(std::ostream& out, Outcome outcome);

}  // namespace attest::trace
