// attest's terminal reporter, in pytest's spirit: progress while the tests run
// (a character per test, grouped by suite; a line per test with -v), then the
// failures with every failed check at its file:line and the service logs attest
// attached, a short summary, the counts with the wall time, and as the very last
// line the machine-readable `attest: N passed, N failed[, N skipped]`.
// Boost's own log and report take over the progress only when asked for
// (--log_level, --report_level, --logger, ...): see boost_output.hpp.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

#include "collection.hpp"
#include "results.hpp"

namespace attest::detail {

enum class Verbosity { quiet = -1, normal = 0, verbose = 1 };

struct TerminalOptions {
  Verbosity verbosity = Verbosity::normal;
  bool color = false;
  bool progress = true;      // false while Boost's own log writes to the same console
  bool interactive = false;  // a terminal: flush every character, not every 100 ms
  unsigned width = 80;
};

class TerminalReporter {
 public:
  TerminalReporter(std::ostream& out, const std::vector<TestInfo>& tests, TerminalOptions options);

  /// "=== test session starts ===" and how many tests were collected and selected.
  void start(const std::string& binary, std::size_t selected);
  /// A test's outcome: its progress character, or its line with -v.
  void test_done(const TestResult& result);
  /// A line of its own (a session set-up, a phase): it never lands inside a progress line.
  void note(const std::string& line);
  /// Failures, flaky tests, the short summary and the closing lines.
  /// `verdicts`: why the run stopped early or fails beyond its counts, one line each.
  void finish(const std::vector<TestResult>& results, const Summary& summary,
              const std::vector<std::string>& verdicts);

 private:
  void end_progress_line();
  void flush_now_and_then();
  std::string paint(const std::string& text, const char* sgr) const;
  std::string rule(const std::string& title, char fill, const char* sgr = nullptr) const;

  std::ostream& out_;
  const std::vector<TestInfo>& tests_;
  TerminalOptions options_;
  std::string binary_;
  std::size_t selected_ = 0;
  std::size_t done_ = 0;
  std::string group_;       // the suite whose progress line is open
  std::size_t column_ = 0;  // 0: no progress line open
  std::chrono::steady_clock::time_point last_flush_{};
};

/// PASSED, FAILED, SKIPPED, XFAIL, ERROR; a flaky pass is PASSED.
const char* label(const TestResult& result);

/// `slowest N durations` in pytest's shape; n == 0 lists all.
void write_durations(std::ostream& out, const std::vector<TestInfo>& tests,
                     const std::vector<TestResult>& results, int n);

}  // namespace attest::detail
