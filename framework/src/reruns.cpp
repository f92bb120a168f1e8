#include "reruns.hpp"

#include <boost/test/execution_monitor.hpp>
#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/tree/test_unit.hpp>
#include <boost/test/unit_test_monitor.hpp>

#include "test_events.hpp"

namespace attest::detail {
namespace ut = boost::unit_test;

namespace {

// Runs `body` up to 1 + reruns times inside the test's own execution. Each attempt
// runs under Boost's monitor, as the test itself would: a failed check, an
// exception or a timeout ends the attempt and is logged as usual.
void run_attempts(const boost::function<void()>& body, ut::test_unit_id id, unsigned reruns,
                  ResultsRecorder& recorder) {
  for (unsigned attempt = 0;; ++attempt) {
    const auto& tc = ut::framework::get(id, ut::TUT_CASE);
    auto level = ut::unit_test_monitor.execute_and_translate(
        body, static_cast<unsigned long>(tc.p_timeout.get()) * 1000000ul);
    if (ut::unit_test_monitor.is_critical_error(level))
      // A crash is no flake: end the test, and with it the module, as Boost would.
      throw boost::execution_exception(boost::execution_exception::system_fatal_error,
                                       "fatal error in an attempt (see above); no rerun",
                                       boost::execution_exception::location());
    if (ut::results_collector.results(id).passed() || attempt == reruns) return;
    recorder.attempt_failed(id);
    ut::results_collector.test_unit_start(tc);  // the next attempt starts from clean results
    TestEvents::instance().phases.erase(id);
  }
}

}  // namespace

void enable_reruns(const std::vector<TestInfo>& tests, const Registry& registry, unsigned reruns,
                   ResultsRecorder& recorder) {
  if (reruns == 0 && !registry.any_reruns()) return;  // no test to wrap
  for (const auto& t : tests) {
    if (!t.selected) continue;
    const auto& tc = ut::framework::get<ut::test_case>(t.id);
    unsigned n = registry.reruns(tc).value_or(reruns);
    if (n == 0) continue;
    // Boost exposes the body read-only; the test case itself is not const.
    auto& func = const_cast<boost::function<void()>&>(tc.p_test_func.get());
    func = [body = func, id = t.id, n, &recorder] { run_attempts(body, id, n, recorder); };
  }
}

}  // namespace attest::detail
