// Per-test outcomes, durations and failure messages, gathered from Boost.Test
// while it runs: a test_observer for outcomes and timing, and a log formatter
// that captures error entries (Boost's observers see assertions, not messages).
#pragma once

#include <boost/test/tree/observer.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <iosfwd>
#include <string>
#include <unordered_map>
#include <vector>

#include <attest/trace/model.hpp>

#include "collection.hpp"

namespace attest::detail {

// One vocabulary of outcomes for the runner's reports and trace-check's readers.
using trace::Outcome;
using trace::to_string;
using PhaseResult = trace::Phase;
using trace::Summary;

struct TestResult {
  std::size_t test;  // index into the collected tests
  Outcome outcome;
  double duration_ms;
  std::string message;
  std::vector<PhaseResult> phases;
};

class ResultsRecorder final : public boost::unit_test::test_observer {
 public:
  ResultsRecorder(const std::vector<TestInfo>& tests, bool exitfirst);

  const std::vector<TestResult>& results() const { return results_; }
  Summary summary() const;

  bool stopped_early() const { return stopped_; }

  /// Appends a captured log entry to the unit that is running.
  void add_message(boost::unit_test::test_unit_id id, const std::string& text);

  /// Installs the message-capturing log formatter (Boost owns it afterwards).
  void install_log_capture();

  // test_observer
  void test_start(boost::unit_test::counter_t, boost::unit_test::test_unit_id) override;
  void test_finish() override;
  void test_unit_start(const boost::unit_test::test_unit& tu) override;
  void test_unit_finish(const boost::unit_test::test_unit& tu, unsigned long elapsed_us) override;
  void test_unit_skipped(const boost::unit_test::test_unit& tu,
                         boost::unit_test::const_string reason) override;
  int priority() override { return 5; }  // after Boost's results_collector (3)

 private:
  TestResult* record(std::size_t index, Outcome outcome, double ms, std::string message);
  void record_descendants(const boost::unit_test::test_unit& suite, Outcome outcome,
                          const std::string& message, bool only_default_disabled);
  void stop_remaining();

  const std::vector<TestInfo>& tests_;
  bool exitfirst_;
  bool boost_filters_;  // --run_test given: Boost's "disabled" skips are ambiguous
  bool stopped_ = false;
  std::unordered_map<boost::unit_test::test_unit_id, std::size_t> index_;
  std::unordered_map<boost::unit_test::test_unit_id, std::string> messages_;
  std::vector<bool> recorded_;
  std::vector<TestResult> results_;
  double wall_ms_ = 0;
  std::uint64_t processes_before_test_ = 0;  // attest::process_logs() sequence at the test's start
  std::map<std::filesystem::path, std::uintmax_t> log_offsets_;  // each log's size then
  std::string service_log_tails() const;

  std::chrono::steady_clock::time_point start_;
};

/// `slowest N durations` in pytest's shape; n == 0 lists all.
void write_durations(std::ostream& out, const std::vector<TestInfo>& tests,
                     const std::vector<TestResult>& results, int n);

/// The timing line and the closing line "attest: 12 passed, 1 failed, 2 skipped".
void write_summary_line(std::ostream& out, const Summary& summary, bool stopped_early);

}  // namespace attest::detail
