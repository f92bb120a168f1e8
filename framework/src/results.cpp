#include "results.hpp"

#include <boost/test/execution_monitor.hpp>
#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/tree/traverse.hpp>
#include <boost/test/tree/visitor.hpp>
#include <boost/test/unit_test_log.hpp>
#include <boost/test/unit_test_log_formatter.hpp>
#include <boost/test/unit_test_parameters.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <ostream>

#include <attest/process.hpp>
#include <attest/test_context.hpp>

#include "test_events.hpp"

namespace attest::detail {
namespace ut = boost::unit_test;

namespace {

std::string str(ut::const_string s) { return std::string(s.begin(), s.end()); }

bool is_ancestor(ut::test_unit_id ancestor, ut::test_unit_id id) {
  while (id != ut::INV_TEST_UNIT_ID) {
    if (id == ancestor) return true;
    id = ut::framework::get(id, ut::TUT_ANY).p_parent_id.get();
  }
  return false;
}

// Captures error-level log entries (failed checks, uncaught exceptions, their
// BOOST_TEST_CONTEXT) and hands them to the recorder; it writes nothing.
// Registered at log_all_errors, so Boost never calls it for passing checks.
class MessageCapture final : public ut::unit_test_log_formatter {
 public:
  explicit MessageCapture(ResultsRecorder& recorder) : recorder_(recorder) {}

  void log_start(std::ostream&, ut::counter_t) override {}
  void log_finish(std::ostream&) override {}
  void log_build_info(std::ostream&, bool) override {}
  void test_unit_start(std::ostream&, const ut::test_unit&) override {}
  void test_unit_finish(std::ostream&, const ut::test_unit&, unsigned long) override {}

  void log_exception_start(std::ostream&, const ut::log_checkpoint_data& checkpoint,
                           const boost::execution_exception& ex) override {
    const auto& where = ex.where();
    entry_ = where.m_line_num == 0  // Boost's "unknown location(0)"
                 ? std::string()
                 : str(where.m_file_name) + ":" + std::to_string(where.m_line_num) + ": ";
    entry_ += str(ex.what());
    if (!checkpoint.m_file_name.is_empty())
      entry_ += " (last checkpoint: " + str(checkpoint.m_file_name) + ":" +
                std::to_string(checkpoint.m_line_num) + ")";
    capturing_ = true;
  }
  void log_exception_finish(std::ostream&) override { flush(); }

  void log_entry_start(std::ostream&, const ut::log_entry_data& entry,
                       log_entry_types type) override {
    capturing_ = type == BOOST_UTL_ET_ERROR || type == BOOST_UTL_ET_FATAL_ERROR;
    if (capturing_) entry_ = entry.m_file_name + ":" + std::to_string(entry.m_line_num) + ": ";
  }
  void log_entry_value(std::ostream&, ut::const_string value) override {
    if (capturing_) entry_.append(value.begin(), value.end());
  }
  void log_entry_finish(std::ostream&) override { flush(); }

  void entry_context_start(std::ostream&, ut::log_level) override {}
  void log_entry_context(std::ostream&, ut::log_level, ut::const_string value) override {
    if (capturing_) entry_ += "\n    context: " + str(value);
  }
  void entry_context_finish(std::ostream&, ut::log_level) override {}

 private:
  void flush() {
    if (capturing_) recorder_.add_message(ut::framework::current_test_unit().p_id, entry_);
    capturing_ = false;
    entry_.clear();
  }

  ResultsRecorder& recorder_;
  bool capturing_ = false;
  std::string entry_;
};

// Disables the test cases that have not run yet: used by -x / --maxfail so Boost
// runs nothing more, while the ones that ran stay counted in Boost's own report.
struct DisableRemaining final : ut::test_tree_visitor {
  explicit DisableRemaining(const std::unordered_map<ut::test_unit_id, bool>& ran) : ran(ran) {}
  void visit(const ut::test_case& tc) override {
    if (!ran.count(tc.p_id))
      const_cast<ut::test_case&>(tc).p_run_status.value = ut::test_unit::RS_DISABLED;
  }
  const std::unordered_map<ut::test_unit_id, bool>& ran;
};

}  // namespace

ResultsRecorder::ResultsRecorder(const std::vector<TestInfo>& tests, std::size_t maxfail)
    : tests_(tests),
      maxfail_(maxfail),
      boost_filters_(
          !ut::runtime_config::get<std::vector<std::string>>(ut::runtime_config::btrt_run_filters)
               .empty()),
      recorded_(tests.size(), false) {
  results_.reserve(tests.size());  // at most one result per test: no growth, no copies
  // Boost numbers test cases consecutively: a dense table, not a hash map (10,000 tests).
  if (!tests.empty()) {
    auto [lo, hi] = std::minmax_element(tests.begin(), tests.end(),
                                        [](const auto& a, const auto& b) { return a.id < b.id; });
    first_id_ = lo->id;
    index_.assign(hi->id - lo->id + 1, kNotCollected);
    for (std::size_t i = 0; i < tests.size(); ++i) index_[tests[i].id - first_id_] = i;
  }
  results_.reserve(tests.size());
}

void ResultsRecorder::install_log_capture() {
  ut::unit_test_log.add_formatter(new MessageCapture(*this));
  ut::unit_test_log.set_threshold_level(ut::OF_CUSTOM_LOGGER, ut::log_all_errors);
}

void ResultsRecorder::add_message(ut::test_unit_id id, const std::string& text) {
  auto& m = messages_[id];
  if (!m.empty()) m += '\n';
  m += text;
}

void ResultsRecorder::attempt_failed(ut::test_unit_id id) {
  std::string message;
  if (auto it = messages_.find(id); it != messages_.end()) {
    message = std::move(it->second);
    messages_.erase(it);
  }
  attest::take_failure_notes();  // the notes of an attempt that does not count
  attempts_[id].push_back(message.empty() ? std::string("failed") : std::move(message));
}

void ResultsRecorder::test_aborted() {
  // Boost tells every level the abort passes through; the first is the test that caused it.
  // (Boost's current unit is no longer valid here: the last test that started is the one.)
  if (aborted_in_.empty() && running_ != ut::INV_TEST_UNIT_ID) {
    auto index = index_of(running_);
    aborted_in_ = index != kNotCollected ? tests_[index].name
                                         : ut::framework::get(running_, ut::TUT_ANY).full_name();
  }
}

void ResultsRecorder::account_for_abort() {
  if (aborted_in_.empty() || stopped_) return;
  for (std::size_t i = 0; i < tests_.size(); ++i) {
    const auto& t = tests_[i];
    if (recorded_[i] || !t.selected || !t.enabled) continue;
    if (ut::framework::get(t.id, ut::TUT_CASE).p_run_status != ut::test_unit::RS_ENABLED) continue;
    if (auto* r =
            record(i, Outcome::failed, 0.0, "not run: the test module aborted in " + aborted_in_)) {
      r->error = true;
      publish(*r);
    }
  }
}

void ResultsRecorder::test_unit_start(const ut::test_unit& tu) {
  if (tu.p_type != ut::TUT_CASE) return;
  running_ = tu.p_id;  // its name only if the module aborts in it
  auto logs = attest::process_logs();
  processes_before_test_ = logs.empty() ? 0 : logs.back().sequence;
  log_offsets_.clear();
  for (const auto& p : logs) {
    std::error_code ec;
    auto size = std::filesystem::file_size(p.log, ec);
    log_offsets_[p.log] = ec ? 0 : size;
  }
}

// What the services a failing test used said while it ran: the services still
// running (session-wide ones included) and those it started itself, each from
// where its log stood at the test's start, through its report filter.
std::string ResultsRecorder::service_log_tails() const {
  std::string out;
  for (const auto& p : attest::process_logs()) {
    if (!p.running && p.sequence <= processes_before_test_) continue;
    if (p.catch_up) {
      try {
        p.catch_up();  // a container's lines of this window may still be on their way
      } catch (...) {
      }
    }
    auto from = log_offsets_.find(p.log);
    auto excerpt =
        attest::log_excerpt(p.log, from == log_offsets_.end() ? 0 : from->second, p.report_filter);
    if (excerpt.empty()) continue;
    out += "\n--- last lines of " + p.name + " (" + p.log.string() + ") ---\n" + excerpt;
  }
  return out;
}

void ResultsRecorder::test_start(ut::counter_t, ut::test_unit_id) {
  start_ = std::chrono::steady_clock::now();
}

void ResultsRecorder::test_finish() {
  wall_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
}

TestResult* ResultsRecorder::record(std::size_t index, Outcome outcome, double ms,
                                    std::string message) {
  if (recorded_[index]) return nullptr;
  recorded_[index] = true;
  results_.push_back({index, outcome, ms, std::move(message), {}, {}});
  if (auto it = attempts_.find(tests_[index].id); it != attempts_.end()) {
    results_.back().failed_attempts = std::move(it->second);
    attempts_.erase(it);
  }
  return &results_.back();
}

void ResultsRecorder::publish(const TestResult& result) {
  if (on_result) on_result(result);
  if (result.outcome != Outcome::failed || maxfail_ == 0 || stopped_) return;
  if (++failures_ >= maxfail_) stop_remaining();
}

void ResultsRecorder::test_unit_finish(const ut::test_unit& tu, unsigned long elapsed_us) {
  const auto& r = ut::results_collector.results(tu.p_id);
  std::string message;
  if (auto it = messages_.find(tu.p_id); it != messages_.end()) {
    message = std::move(it->second);
    messages_.erase(it);
  }
  if (tu.p_type == ut::TUT_SUITE) {
    // A suite fixture that failed means its cases never ran: report them as
    // failed with the fixture's message instead of silently dropping them.
    if (!r.passed() && !message.empty() && !stopped_)
      record_descendants(tu, Outcome::failed, "suite '" + tu.full_name() + "' failed: " + message,
                         false, true);
    return;
  }
  auto index = index_of(tu.p_id);
  if (index == kNotCollected) return;
  // Session set-up that ran inside this test (a server's start, a template build) is
  // reported on its own line and not charged to the test.
  double setup_ms = 0;
  for (const auto& s : attest::take_session_setup()) {
    char line[64];
    std::snprintf(line, sizeof line, " in %.2f s (not counted in ", s.ms / 1000.0);
    if (on_note) on_note("attest: session set-up: " + s.what + line + tu.full_name() + ")");
    setup_ms += s.ms;
  }
  double test_ms = std::max(0.0, static_cast<double>(elapsed_us) / 1000.0 - setup_ms);
  auto& events = TestEvents::instance();
  std::vector<PhaseResult> phases;
  if (auto ph = events.phases.find(tu.p_id); ph != events.phases.end()) {
    for (auto& p : ph->second)
      phases.push_back(
          {std::move(p.name), p.passed ? Outcome::passed : Outcome::failed, p.duration_ms});
    events.phases.erase(ph);
  }
  if (auto sk = events.skipped.find(tu.p_id); sk != events.skipped.end()) {
    ut::results_collector.test_unit_skipped(
        tu, "attest::skip");  // Boost's reports count it skipped too
    if (auto* res = record(index, Outcome::skipped, test_ms, sk->second)) {
      res->phases = std::move(phases);
      publish(*res);
    }
    events.skipped.erase(sk);
    return;
  }
  bool passed = r.passed();
  bool says_timeout = events.timeouts_described.erase(tu.p_id) > 0;
  if (r.p_timed_out && !says_timeout) {
    // Boost says "SIGALRM" or nothing at all: say what happened, in every output. (A
    // coroutine test's own message says it already, at the line it was waiting at.)
    message = "timeout after " + std::to_string(tu.p_timeout.get()) + " s" +
              (message.empty() ? std::string() : "\n" + message);
  } else if (!passed && message.empty()) {
    message =
        r.p_assertions_failed < r.p_expected_failures ? "fewer failures than expected" : "failed";
  }
  auto notes = attest::take_failure_notes();
  if (!passed) {
    for (const auto& note : notes) message += "\n" + note;
    message += service_log_tails();
  }
  if (auto* res = record(index, passed ? Outcome::passed : Outcome::failed, test_ms,
                         passed ? std::string() : std::move(message))) {
    res->phases = std::move(phases);
    res->xfail = passed && r.p_assertions_failed > 0;  // within expected_failures
    publish(*res);
  }
}

void ResultsRecorder::test_unit_skipped(const ut::test_unit& tu, ut::const_string reason) {
  if (stopped_) return;  // -x: what did not run is not reported, as with pytest
  std::string why = str(reason);
  // "disabled" is also how Boost reports units that a filter turned off: only
  // tests disabled in the source (`* disabled()`) count as skipped, and only
  // when no Boost --run_test filter is active (it may have deselected them).
  bool disabled = why == "disabled";
  if (disabled && boost_filters_) return;
  if (tu.p_type == ut::TUT_SUITE) {
    record_descendants(tu, Outcome::skipped, why, disabled);
    return;
  }
  auto index = index_of(tu.p_id);
  if (index == kNotCollected) return;
  const auto& t = tests_[index];
  if (!t.selected || (disabled && t.enabled)) return;
  if (auto* res = record(index, Outcome::skipped, 0.0, why)) publish(*res);
}

void ResultsRecorder::record_descendants(const ut::test_unit& suite, Outcome outcome,
                                         const std::string& message, bool only_default_disabled,
                                         bool error) {
  for (std::size_t i = 0; i < tests_.size(); ++i) {
    const auto& t = tests_[i];
    if (recorded_[i] || !t.selected || (only_default_disabled && t.enabled)) continue;
    if (!is_ancestor(suite.p_id, t.id)) continue;
    if (auto* r = record(i, outcome, 0.0, message)) {
      r->error = error;
      publish(*r);
    }
  }
}

void ResultsRecorder::stop_remaining() {
  stopped_ = true;
  stop_reason_ = maxfail_ == 1
                     ? "stopped after the first failure (-x)"
                     : "stopped after " + std::to_string(maxfail_) + " failures (--maxfail)";
  std::unordered_map<ut::test_unit_id, bool> ran;
  for (const auto& r : results_) ran.emplace(tests_[r.test].id, true);
  // The running test's own entry comes after its finish notification: it ran, too.
  if (ut::framework::test_in_progress()) ran.emplace(ut::framework::current_test_case_id(), true);
  DisableRemaining disable(ran);
  ut::traverse_test_tree(ut::framework::master_test_suite().p_id, disable, true);
}

Summary ResultsRecorder::summary() const {
  Summary s;
  for (const auto& r : results_) {
    switch (r.outcome) {
      case Outcome::passed:
        ++s.passed;
        break;
      case Outcome::failed:
        ++s.failed;
        break;
      case Outcome::skipped:
        ++s.skipped;
        break;
    }
  }
  s.duration_ms = wall_ms_;
  return s;
}

}  // namespace attest::detail
