// The gate: joins requirements, tests and outcomes into a Report, finds the
// defects and decides pass/fail. Pure computation over the readers' output.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <attest/trace/model.hpp>

namespace attest::trace {

struct GateOptions {
  double threshold = 100.0;      // percent of requirements that must be covered
  bool require_passing = false;  // covered means verified (all its tests passed)
  bool strict = false;           // unclear requirements are defects, not warnings
  bool allow_flaky = false;      // with require_passing: a flaky pass counts as verified
};

/// A requirement's status. With results: verified (every test passed), flaky (every
/// test passed, some only on a rerun), failing, skipped, untested (no test, or none
/// ran). Without results: covered or uncovered.
enum class Status { verified, flaky, failing, skipped, untested, covered, uncovered };
const char* to_string(Status status);  // one word: "flaky", for CSS classes and JSON
std::string label(Status status);      // for people: "verified (flaky)"

enum class DefectKind { unmarked, unknown_id, ambiguous_id, duplicate_id, unclear, no_code };
const char* to_string(DefectKind kind);

struct Defect {
  DefectKind kind;
  Location where;
  std::string message;
};

struct TestRow {
  TestCase test;
  std::optional<Outcome> outcome;  // absent: no result for it
  std::string message;
  bool not_run = false;  // results came for its binary, but none for it
  std::vector<std::string> failed_attempts;
  /// Passed, but only after failed attempts.
  bool flaky() const { return outcome == Outcome::passed && !failed_attempts.empty(); }
};

/// "passed", "failed", "skipped", "passed (flaky)", "not run", "no result".
std::string test_status(const TestRow& row);

/// The code a requirement's tests reach, from per-test coverage records (trace-check
/// --cov-record): of the files they reach, the lines (and branches) at least one of them
/// executed. No files: its tests ran under measurement and reached no measured code.
struct CodeReach {
  std::size_t files = 0, lines = 0, lines_hit = 0, branches = 0, branches_taken = 0;
  double line_percent() const {
    return lines ? 100.0 * static_cast<double>(lines_hit) / static_cast<double>(lines) : 0.0;
  }
};

/// "50.0% (4/8 lines, 1 file)", "no measured code", or "" when not measured.
std::string code_cell(const std::optional<CodeReach>& code);

struct RequirementRow {
  Requirement requirement;
  std::vector<std::size_t> tests;  // indices into Report::tests
  Status status = Status::uncovered;
  bool counts_as_covered = false;
  std::optional<CodeReach> code;  // absent: none of its tests was measured
};

struct Report {
  GateOptions options;
  bool have_results = false;
  bool have_code = false;  // coverage records were given: the matrix shows code reached
  std::vector<RequirementRow> requirements;
  std::vector<TestRow> tests;
  std::vector<Defect> defects;   // fail the gate
  std::vector<Defect> warnings;  // reported only
  std::size_t covered = 0;
  double coverage = 100.0;  // percent
  bool coverage_ok = true;
  bool passed = true;
};

/// `outcomes` may be empty (no results given): statuses are then covered/uncovered.
/// Several outcomes for one test (shards, reruns) count as the worst of them; a pass
/// is flaky if any of its results was. Results for a binary no test of `tests`
/// belongs to are that binary's inventory (another framework's JUnit): each of its
/// tests is a test, and one without requirement IDs is an unmarked test.
Report evaluate(std::vector<Requirement> requirements, std::vector<TestCase> tests,
                const std::vector<TestOutcome>& outcomes, bool have_results,
                const GateOptions& options);

/// Adds what coverage records say each requirement's tests reach (keyed by the requirement
/// IDs the tests were marked with, qualified or bare): the matrix shows it, and a
/// requirement whose measured tests reach no code is warned about. Requirements none of
/// whose tests were measured stay without.
void attach_code(Report& report, const std::map<std::string, CodeReach>& by_requirement);

/// "coverage 93.3% (14/15) < threshold 100%".
std::string coverage_line(const Report& report);

/// The headline, saying why: "PASSED: coverage 100% (15/15) >= threshold 100%",
/// "FAILED: 1 defect (unmarked test); coverage 96.4% (27/28) >= threshold 90%".
std::string verdict_line(const Report& report);

}  // namespace attest::trace
