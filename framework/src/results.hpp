// Per-test outcomes, durations and failure messages, gathered from Boost.Test
// while it runs: a test_observer for outcomes and timing, and a log formatter
// that captures error entries (Boost's observers see assertions, not messages).
#pragma once

#include <boost/test/tree/observer.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
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
  std::vector<std::string> failed_attempts;  // earlier attempts' messages (--reruns, flaky(N))
  bool xfail = false;  // passed: failed no more checks than Boost's expected_failures allows
  bool error = false;  // failed without running: its suite's set-up failed, the module aborted
  /// Passed on a rerun, after failed attempts.
  bool flaky() const { return outcome == Outcome::passed && !failed_attempts.empty(); }
};

class ResultsRecorder final : public boost::unit_test::test_observer {
 public:
  /// maxfail: stop after that many failed tests (0: never).
  ResultsRecorder(const std::vector<TestInfo>& tests, std::size_t maxfail);

  const std::vector<TestResult>& results() const { return results_; }
  Summary summary() const;

  /// Why the run stopped before its end ("stopped after 1 failure (-x)"), or empty.
  const std::string& stop_reason() const { return stop_reason_; }

  /// Each result as it is recorded, and lines worth a line of their own (session set-up).
  std::function<void(const TestResult&)> on_result;
  std::function<void(const std::string&)> on_note;

  /// Appends a captured log entry to the unit that is running.
  void add_message(boost::unit_test::test_unit_id id, const std::string& text);

  /// The running test failed an attempt and runs again: what it logged so far
  /// becomes that attempt's message.
  void attempt_failed(boost::unit_test::test_unit_id id);

  /// After the run: selected tests that never ran because the module aborted
  /// are recorded as errors.
  void account_for_abort();

  /// Installs the message-capturing log formatter (Boost owns it afterwards).
  void install_log_capture();

  // test_observer
  void test_start(boost::unit_test::counter_t, boost::unit_test::test_unit_id) override;
  void test_finish() override;
  void test_unit_start(const boost::unit_test::test_unit& tu) override;
  void test_unit_finish(const boost::unit_test::test_unit& tu, unsigned long elapsed_us) override;
  void test_unit_skipped(const boost::unit_test::test_unit& tu,
                         boost::unit_test::const_string reason) override;
  void test_aborted() override;
  int priority() override { return 5; }  // after Boost's results_collector (3)

 private:
  TestResult* record(std::size_t index, Outcome outcome, double ms, std::string message);
  void record_descendants(const boost::unit_test::test_unit& suite, Outcome outcome,
                          const std::string& message, bool only_default_disabled,
                          bool error = false);
  void publish(const TestResult& result);
  void stop_remaining();

  const std::vector<TestInfo>& tests_;
  std::size_t maxfail_;
  std::size_t failures_ = 0;
  bool boost_filters_;  // --run_test given: Boost's "disabled" skips are ambiguous
  bool stopped_ = false;
  std::string stop_reason_;
  std::string aborted_in_;  // the test during which the module aborted
  boost::unit_test::test_unit_id running_ = boost::unit_test::INV_TEST_UNIT_ID;  // started last
  std::unordered_map<boost::unit_test::test_unit_id, std::vector<std::string>> attempts_;
  static constexpr std::size_t kNotCollected = static_cast<std::size_t>(-1);
  std::size_t index_of(boost::unit_test::test_unit_id id) const {
    return id >= first_id_ && id - first_id_ < index_.size() ? index_[id - first_id_]
                                                             : kNotCollected;
  }
  boost::unit_test::test_unit_id first_id_ = 0;
  std::vector<std::size_t> index_;  // test case id - first_id_ -> index into tests_
  std::unordered_map<boost::unit_test::test_unit_id, std::string> messages_;
  std::vector<bool> recorded_;
  std::vector<TestResult> results_;
  double wall_ms_ = 0;
  std::uint64_t processes_before_test_ = 0;  // attest::process_logs() sequence at the test's start
  std::map<std::filesystem::path, std::uintmax_t> log_offsets_;  // each log's size then
  std::string service_log_tails() const;

  std::chrono::steady_clock::time_point start_;
};

}  // namespace attest::detail
