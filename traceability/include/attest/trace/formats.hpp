// ★ attest's wire formats, each written and read in one place: the manifest
// (`--collect-only=json`), the results JSON (`--report-json`) and JUnit XML
// (`--junitxml`, and any framework's JUnit on the way in). The runner calls the
// writers; trace-check calls the readers; round-trip tests hold them together.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <attest/trace/model.hpp>

namespace attest::trace {

/// The key (and its value, the version) that identifies each JSON document.
inline constexpr std::string_view manifest_version_key = "attest_manifest";
inline constexpr std::string_view results_version_key = "attest_results";
inline constexpr int manifest_version = 1;
inline constexpr int results_version = 1;

/// Which shard of the selection a manifest lists (0-based index).
struct ShardOf {
  std::size_t index = 0, total = 1;
  bool operator==(const ShardOf&) const = default;
};

/// What one test binary contains: `{"attest_manifest": 1, "binary": ..., "tests": [...]}`,
/// and `"shard": {"index", "total"}` when it lists one shard.
struct Manifest {
  std::string binary;
  std::vector<TestCase> tests;  // their `binary` is the manifest's
  std::optional<ShardOf> shard;
  bool operator==(const Manifest&) const = default;
};

/// What one run of a test binary did: `{"attest_results": 1, "binary": ..., "tests": [...],
/// "summary": {...}}`, or the same as JUnit XML.
struct Results {
  std::string binary;
  std::vector<TestOutcome> tests;  // their `binary` is the document's
  Summary summary;
  bool operator==(const Results&) const = default;
};

void write_manifest(std::ostream& out, const Manifest& manifest);
Manifest read_manifest_document(std::string_view text, const std::string& origin);
/// The tests of a manifest (read_manifest_document(...).tests).
std::vector<TestCase> read_manifest(std::string_view text, const std::string& origin);

void write_results_json(std::ostream& out, const Results& results);

/// One test's outcome as the results document writes it, by reference: a runner's own records
/// are written without being copied into a TestOutcome first. Valid while what it views is.
struct TestOutcomeView {
  std::string_view id;
  Outcome outcome = Outcome::passed;
  double duration_ms = 0;
  const std::vector<std::string>* requirements = nullptr;
  const std::vector<std::string>* markers = nullptr;
  std::string_view message, file;
  std::size_t line = 0;
  const std::vector<Phase>* phases = nullptr;
  const std::vector<std::string>* failed_attempts = nullptr;  // the flaky attempts (may be empty)
  static TestOutcomeView of(const TestOutcome& t);
};

/// The results of a run as they are produced: `count` tests, `test(i)` the i-th, so a runner's
/// 10,000 outcomes are written without a Results document beside them.
struct ResultsSource {
  std::string binary;
  Summary summary;
  std::size_t count = 0;
  std::function<TestOutcomeView(std::size_t)> test;
};
void write_results_json(std::ostream& out, const ResultsSource& results);
/// The JUnit dialect (pytest's junit_family). `xunit1`, the default, keeps the ★ contract:
/// each <testcase> carries <properties> with `verifies` and `markers` (what sphinx-test-reports
/// and attest's users read), plus file/line. `xunit2` is valid against Jenkins xUnit's
/// junit-10.xsd, which allows neither on a <testcase>: requirement IDs, markers and locations go
/// into the <testsuite>'s <properties> as `verifies:<id>`, `markers:<id>`, `location:<id>`
/// (read back by read_junit, so trace-check joins them either way), times have three decimals.
enum class JunitFamily { xunit1, xunit2 };
/// "xunit1" | "xunit2" (pytest also says "legacy" for xunit1); nullopt otherwise.
std::optional<JunitFamily> parse_junit_family(std::string_view name);
void write_junit(std::ostream& out, const Results& results,
                 JunitFamily family = JunitFamily::xunit1);
/// attest results JSON or JUnit XML (attest's, GoogleTest's, pytest's, ...), told apart by content.
Results read_results_document(std::string_view text, const std::string& origin);
/// The outcomes of a results file (read_results_document(...).tests).
std::vector<TestOutcome> read_results(std::string_view text, const std::string& origin);

/// How a test ID maps onto JUnit's classname/name: the suite path with dots as the
/// classname (as pytest writes module.Class), the binary for top-level cases.
struct JunitName {
  std::string classname, name;
};
JunitName junit_name(const std::string& binary, const std::string& id);
/// The reverse of junit_name() (exact unless a suite's name contains a dot; attest's writer
/// then adds an `id` property that the reader prefers).
std::string junit_id(const std::string& binary, const std::string& classname,
                     const std::string& name);

}  // namespace attest::trace
