#include <attest/phase.hpp>

#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>

#include "console.hpp"
#include "test_events.hpp"

namespace attest {
namespace ut = boost::unit_test;

namespace {

unsigned long failures_so_far() {
  if (!ut::framework::test_in_progress()) return 0;
  return ut::results_collector.results(ut::framework::current_test_case_id()).p_assertions_failed;
}

}  // namespace

phase::phase(std::string name)
    : name_(std::move(name)),
      start_(std::chrono::steady_clock::now()),
      exceptions_(std::uncaught_exceptions()),
      failures_at_start_(failures_so_far()) {
  detail::note("[PHASE] " + name_ + " started");
}

phase::~phase() {
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  bool passed =
      std::uncaught_exceptions() == exceptions_ && failures_so_far() == failures_at_start_;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", ms / 1000.0);
  detail::note("[PHASE] " + name_ + (passed ? " passed" : " failed") + " in " + secs + " s");
  if (ut::framework::test_in_progress())
    detail::TestEvents::instance().phases[ut::framework::current_test_case_id()].push_back(
        {name_, passed, ms});
}

}  // namespace attest
