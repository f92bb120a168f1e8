// --cov: per-test code coverage. An observer that brackets every test case with a counter
// snapshot (attest::coverage::Recorder), then, after the run, the record mapped to lines
// and branches, the reports asked for (--cov-report) and the gate (--cov-fail-under*).
// Everything but the bracketing lives in coverage/, free of Boost.Test.
#pragma once

#include <boost/test/tree/observer.hpp>

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <attest/coverage/gate.hpp>
#include <attest/coverage/reports.hpp>
#include <attest/coverage/runtime.hpp>

#include "collection.hpp"
#include "options.hpp"

namespace attest::detail {

class CoverageRun final : public boost::unit_test::test_observer {
 public:
  /// Null when --cov was not given. UsageError for a bad --cov-report or threshold, and
  /// when the binary carries no coverage counters (saying how to build it).
  static std::unique_ptr<CoverageRun> start(const CoverageOptions& options,
                                            const std::string& binary,
                                            const std::vector<TestInfo>& tests,
                                            const std::filesystem::path& root);

  /// After the run: writes the reports (terminal ones to `terminal`) and returns what is
  /// below its threshold, one line each (empty: the gate passed).
  std::vector<std::string> finish(std::ostream& terminal);

  void test_unit_start(const boost::unit_test::test_unit& tu) override;
  void test_unit_finish(const boost::unit_test::test_unit& tu, unsigned long) override;
  // After the results recorder: the snapshot brackets the test and its fixture closely.
  int priority() override { return 10; }

 private:
  CoverageRun() = default;
  std::unique_ptr<coverage::Recorder> recorder_;
  std::vector<coverage::ReportRequest> reports_;
  coverage::GateOptions gate_;
  coverage::gcov::Filter filter_;
  std::string binary_;
  std::unordered_map<boost::unit_test::test_unit_id, const TestInfo*> tests_;
  bool in_test_ = false;
};

/// --cov-prepare: the notes of this binary read with --cov[=DIR]'s filter and kept parsed
/// (coverage::Recorder::prepare), said on `info`. Never fails what it is combined with: a
/// binary without GCC's counters has nothing to prepare (said only when `say_why_not`: not in
/// the discovery's listing of every binary), and notes that cannot be read are said (the next
/// --cov run reports them as an error).
void prepare_coverage(const CoverageOptions& options, std::ostream& info, bool say_why_not);

/// --affected-since REF: narrows the selection to the tests the change since REF affects
/// (git diff against REF, the coverage record of --affected-record). Returns the line that
/// says what was chosen and why; UsageError when git cannot say what changed.
std::string select_affected(const CoverageOptions& options, const std::string& binary,
                            std::vector<TestInfo>& tests, const std::filesystem::path& project);

}  // namespace attest::detail
