#include "failures.hpp"

#include <attest/failure.hpp>
#include <attest/integration.hpp>  // attest::skip

#include <boost/test/execution_monitor.hpp>
#include <boost/test/unit_test_monitor.hpp>

#include <string>

namespace attest::detail {
namespace {

// Boost keeps the message as a non-owning string while it logs it, after the
// original exception is gone: it lives here until the next failure.
thread_local std::string t_message;

void translate(const Failure& failure) {
  t_message = failure.what();
  const auto& at = failure.where();
  throw boost::execution_exception(
      boost::execution_exception::cpp_exception_error, t_message,
      // No function name: Boost then names the test, as for its own failed checks.
      boost::execution_exception::location(at.file_name(), at.line_number(), nullptr));
}

void skip_test(const SkipTest& skip) { attest::skip(skip.what()); }

}  // namespace

void report_failures_at_their_line() {
  static const bool registered = [] {
    boost::unit_test::unit_test_monitor.register_exception_translator<Failure>(&translate);
    boost::unit_test::unit_test_monitor.register_exception_translator<SkipTest>(&skip_test);
    return true;
  }();
  (void)registered;
}

}  // namespace attest::detail
