#include <attest/integration.hpp>

#include <boost/test/framework.hpp>
#include <boost/test/unit_test_log.hpp>

#include <boost/test/execution_monitor.hpp>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "console.hpp"
#include "test_events.hpp"

namespace attest {
namespace ut = boost::unit_test;

namespace detail {
TestEvents& TestEvents::instance() {
  static TestEvents events;
  return events;
}
}  // namespace detail

void skip(const std::string& reason) {
  detail::TestEvents::instance().skipped[ut::framework::current_test_case_id()] = reason;
  // Boost ends a test quietly on execution_aborted; the results recorder then
  // marks it skipped in Boost's results too, so every report agrees.
  throw boost::execution_aborted();
}

IntegrationTestBase::IntegrationTestBase()
    : ns_(generate_unique_namespace(ut::framework::current_test_case().p_name.get())) {}

void IntegrationTestBase::require(Service service) { services_.push_back(std::move(service)); }

void IntegrationTestBase::check_infrastructure() const {
  std::string missing;
  for (const auto& s : services_) {
    bool up = false;
    std::string why;
    try {
      up = s.available && s.available();
    } catch (const std::exception& e) {
      why = std::string(" (") + e.what() + ")";
    }
    if (!up) missing += "\n  - " + s.name + " is not available" + why + ": " + s.how_to_provide;
  }
  if (missing.empty()) return;
  const char* lenient = std::getenv("ATTEST_SKIP_UNAVAILABLE");
  if (lenient && std::strcmp(lenient, "1") == 0) skip("required services are missing:" + missing);
  throw std::runtime_error(
      "required services are missing (set ATTEST_SKIP_UNAVAILABLE=1 to skip instead):" + missing);
}

}  // namespace attest
