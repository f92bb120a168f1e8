#include <attest/attest.hpp>

#include <boost/json.hpp>

#include <sstream>

#include "reports.hpp"

using namespace attest::detail;

namespace {

std::vector<TestInfo> sample_tests() {
  return {
      TestInfo{1, "db/insert <rows> & \"quotes\"", "db_test.cpp", 12,
               Marks{{"integration", "slow"}, {"FR-001", "FR-002"}}, "", true},
      TestInfo{2, "top_level", "top_test.cpp", 3, Marks{{}, {}}, "", true},
      TestInfo{3, "db/skipped", "db_test.cpp", 30, Marks{{"integration"}, {"FR-003"}}, "", false},
  };
}

std::vector<TestResult> sample_results() {
  return {{0, Outcome::failed, 12.5,
           "db_test.cpp:14: check n == 5 has failed [10 != 5]\nsecond line \x01"},
          {1, Outcome::passed, 0.25, ""},
          {2, Outcome::skipped, 0.0, "disabled"}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reports, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(results_json_contract, *attest::requirement("FR-014")) {
  std::ostringstream out;
  attest::trace::write_results_json(
      out, results_of("my_tests", sample_tests(), sample_results(), Summary{1, 1, 1, 13.0}));
  auto doc = boost::json::parse(out.str()).as_object();
  BOOST_TEST(doc.at("attest_results").as_int64() == 1);
  BOOST_TEST(doc.at("binary").as_string() == "my_tests");
  const auto& tests = doc.at("tests").as_array();
  BOOST_REQUIRE_EQUAL(tests.size(), 3u);
  const auto& failed = tests[0].as_object();
  BOOST_TEST(failed.at("id").as_string() == "db/insert <rows> & \"quotes\"");
  BOOST_TEST(failed.at("outcome").as_string() == "failed");
  BOOST_TEST(failed.at("duration_ms").as_double() == 12.5);
  BOOST_TEST(failed.at("requirements").as_array().size() == 2u);
  BOOST_TEST(failed.at("markers").as_array()[1].as_string() == "slow");
  BOOST_TEST(std::string(failed.at("message").as_string()).find("[10 != 5]") != std::string::npos);
  BOOST_TEST(tests[2].as_object().at("outcome").as_string() == "skipped");
  const auto& summary = doc.at("summary").as_object();
  BOOST_TEST(summary.at("passed").as_int64() == 1);
  BOOST_TEST(summary.at("failed").as_int64() == 1);
  BOOST_TEST(summary.at("skipped").as_int64() == 1);
}

// A case's path (its suites' names and its own) comes from its name, split at '/', unless a
// name holds a '/' itself: then the collected parts are kept and are what the manifest says.
BOOST_AUTO_TEST_CASE(manifest_paths, *attest::requirement("FR-006")) {
  auto tests = sample_tests();
  tests.push_back(TestInfo{
      4, "io/read a/b", "io_test.cpp", 7, Marks{{}, {}}, "", true, true, {"io", "read a/b"}});
  auto m = manifest_of("my_tests", tests, std::nullopt);
  BOOST_REQUIRE_EQUAL(m.tests.size(), 4u);
  BOOST_TEST((m.tests[0].path == std::vector<std::string>{"db", "insert <rows> & \"quotes\""}));
  BOOST_TEST((m.tests[1].path == std::vector<std::string>{"top_level"}));
  BOOST_TEST((m.tests[3].path == std::vector<std::string>{"io", "read a/b"}));
  BOOST_TEST(m.tests[3].where.file == "io_test.cpp");
}

BOOST_AUTO_TEST_CASE(junit_properties_and_escaping, *attest::requirement("FR-013")) {
  std::ostringstream out;
  attest::trace::write_junit(
      out, results_of("my_tests", sample_tests(), sample_results(), Summary{1, 1, 1, 13.0}));
  std::string xml = out.str();
  BOOST_TEST(
      xml.find(
          "<testsuites name=\"my_tests\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\"") !=
      std::string::npos);
  BOOST_TEST(
      xml.find("<testcase classname=\"db\" name=\"insert &lt;rows&gt; &amp; &quot;quotes&quot;\" "
               "file=\"db_test.cpp\" line=\"12\" time=\"0.012500\">") != std::string::npos,
      xml);
  BOOST_TEST(xml.find("<property name=\"verifies\" value=\"FR-001,FR-002\"/>") !=
             std::string::npos);
  BOOST_TEST(xml.find("<property name=\"markers\" value=\"integration,slow\"/>") !=
             std::string::npos);
  // A top-level case is classed under the binary, and still has (empty) properties.
  BOOST_TEST(xml.find("<testcase classname=\"my_tests\" name=\"top_level\"") != std::string::npos);
  BOOST_TEST(xml.find("<property name=\"verifies\" value=\"\"/>") != std::string::npos);
  // The failure's message attribute is its first line; the body has it all.
  BOOST_TEST(xml.find("<failure message=\"db_test.cpp:14: check n == 5 has failed [10 != 5]\">") !=
             std::string::npos);
  BOOST_TEST(xml.find("second line \xEF\xBF\xBD</failure>") !=
             std::string::npos);  // control char replaced
  BOOST_TEST(xml.find("<skipped message=\"disabled\"/>") != std::string::npos);
  BOOST_TEST(xml.find('\x01') == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
