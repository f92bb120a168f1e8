// attest.json's "services" as users write them: the declaration model without starting anything.
#include <attest/attest.hpp>
#include <attest/environment.hpp>
#include <attest/input_error.hpp>

#include "test_support.hpp"

BOOST_AUTO_TEST_SUITE(environment_spec, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(a_service_named_after_a_type_needs_no_type, *attest::requirement("FR-105")) {
  auto spec = attest::parse_environment_spec(
      R"({"services": {"postgres": {}, "redis": {"when": ["integration"]},
                      "cache": {"type": "redis"}}})",
      "attest.json");
  BOOST_REQUIRE_EQUAL(spec.services.size(), 3u);
  for (const auto& s : spec.services) {
    BOOST_TEST_CONTEXT(s.name) {
      BOOST_TEST(s.type == (s.name == "postgres" ? "postgres" : "redis"));
    }
  }
  // Any other name still needs one, and says so at the service's line and column.
  auto error = attest_test::error_of(
      [] { attest::parse_environment_spec("{\"services\": {\n  \"db\": {}}}", "attest.json"); });
  BOOST_TEST(attest_test::contains(error, "attest.json:2:3"), error);
  BOOST_TEST(attest_test::contains(error, "\"type\" is required"), error);
  BOOST_TEST(attest_test::contains(error, "unless the service is named after one"), error);
  // An explicit type wins over the name.
  auto renamed = attest::parse_environment_spec(
      R"({"services": {"redis": {"type": "postgres"}}})", "attest.json");
  BOOST_TEST(renamed.services.at(0).type == "postgres");
}

BOOST_AUTO_TEST_SUITE_END()
