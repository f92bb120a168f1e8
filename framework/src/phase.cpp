#include <attest/phase.hpp>

#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>

#include "test_events.hpp"

namespace attest {
namespace ut = boost::unit_test;

namespace {

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

unsigned long failures_so_far() {
  if (!ut::framework::test_in_progress()) return 0;
  return ut::results_collector.results(ut::framework::current_test_case_id()).p_assertions_failed;
}

}  // namespace

phase::phase(std::string name)
    : name_(std::move(name)),
      start_ns_(now_ns()),
      exceptions_(std::uncaught_exceptions()),
      failures_at_start_(failures_so_far()) {
  std::cout << "[PHASE] " << name_ << " started" << std::endl;
}

phase::~phase() {
  double ms = static_cast<double>(now_ns() - start_ns_) / 1e6;
  bool passed =
      std::uncaught_exceptions() == exceptions_ && failures_so_far() == failures_at_start_;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", ms / 1000.0);
  std::cout << "[PHASE] " << name_ << (passed ? " passed" : " failed") << " in " << secs << " s"
            << std::endl;
  if (ut::framework::test_in_progress())
    detail::TestEvents::instance().phases[ut::framework::current_test_case_id()].push_back(
        {name_, passed, ms});
}

}  // namespace attest
