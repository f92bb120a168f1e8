// The wire formats round-trip: what the runner writes, trace-check reads back
// equal — for every format, with the names real suites produce.
#include <attest/attest.hpp>
#include <attest/trace/formats.hpp>

#include <boost/json.hpp>

#include <sstream>

using namespace attest::trace;

namespace {

// Boost full names as real suites produce them: nested suites, templates,
// data cases, quotes and markup characters, non-ASCII, and a suite with a dot.
const std::vector<std::string> kOddIds = {
    "top_level",
    "orders/creates_order",
    "orders/v2/nested/deep",
    "typed/my_test<unsigned char>",
    "typed/my_test<std__map<int, long> >",
    "data/_0",
    "quotes/\"quoted\" & 'apostrophe' <tag>",
    "ünïcödé/テスト/naïve",
    "release.v1.2/dotted_suite",
};

Results sample_results(const std::string& binary) {
  Results r{binary, {}, {7, 1, 1, 42.5}};  // as the outcomes below count
  for (std::size_t i = 0; i < kOddIds.size(); ++i) {
    TestOutcome o;
    o.binary = binary;
    o.id = kOddIds[i];
    o.outcome = i == 1 ? Outcome::failed : i == 2 ? Outcome::skipped : Outcome::passed;
    o.message = i == 1 ? "t.cpp:14: check a == b has failed [1 != 2]\nsecond line <&>\"" : "";
    if (i == 2) o.message = "disabled";
    o.has_requirements = true;
    o.requirements =
        i % 2 ? std::vector<std::string>{"FR-001", "003-x/SC-002"} : std::vector<std::string>{};
    o.markers = {"integration", "slow"};
    o.where = {"suites/ü/t.cpp", 10 + i};
    o.duration_ms = 1.25 * static_cast<double>(i);
    if (i == 3) o.failed_attempts = {"t.cpp:9: timeout <1>\nsecond line", "connection reset"};
    r.tests.push_back(std::move(o));
  }
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(formats, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(manifest_round_trip, *attest::requirement("FR-050")) {
  Manifest m{"bin/my tests", {}};
  for (std::size_t i = 0; i < kOddIds.size(); ++i)
    m.tests.push_back({m.binary,
                       kOddIds[i],
                       {"t.cpp", i + 1},
                       {"unit"},
                       {"FR-00" + std::to_string(i)},
                       i % 3 != 0,
                       i == 4 ? "a \"description\"\nwith lines" : ""});
  std::ostringstream out;
  write_manifest(out, m);
  BOOST_TEST(out.str().rfind("{\"attest_manifest\":1,", 0) == 0, out.str());
  BOOST_TEST((read_manifest_document(out.str(), "m.json") == m));
}

BOOST_AUTO_TEST_CASE(results_json_round_trip, *attest::requirement("FR-050")) {
  auto results = sample_results("my_tests");
  results.tests[1].phases = {{"setup", Outcome::passed, 0.5}, {"body", Outcome::failed, 3.0}};
  std::ostringstream out;
  write_results_json(out, results);
  // Written field by field: what boost::json reads back is what a tree would have held,
  // escapes included (quotes, backslashes, control characters; UTF-8 as it is).
  results.tests[2].message = std::string("a \"quote\", a \\ and \x01\x1f\t\r\n é");
  results.tests[2].duration_ms = 0.1 + 0.2;  // the shortest text that reads back exactly
  out.str("");
  write_results_json(out, results);
  auto tree = boost::json::parse(out.str());
  BOOST_TEST(tree.at("tests").at(2).at("message").as_string() == results.tests[2].message);
  BOOST_TEST(tree.at("tests").at(2).at("duration_ms").to_number<double>() == 0.1 + 0.2);
  BOOST_TEST(out.str().back() == '\n');
  BOOST_TEST(out.str().rfind("{\"attest_results\":1,", 0) == 0, out.str());
  auto back = read_results_document(out.str(), "r.json");
  BOOST_TEST((back == results));
}

// The writer copies eight bytes per step when none needs an escape and writes whole
// microseconds from their integer: every character that needs one, at every offset around
// those steps, and durations of each kind read back as they were.
BOOST_AUTO_TEST_CASE(results_json_escapes_and_numbers_exactly, *attest::requirement("FR-050")) {
  auto results = sample_results("my_tests");
  const std::vector<std::string> specials = {
      "\"", "\\", "\n", "\t", "\r", std::string(1, '\0'), "\x01", "\x1f", "\x7f", "\xc3\xa9", " "};
  std::vector<std::string> messages;
  for (const auto& special : specials)
    for (std::size_t at = 0; at < 19; ++at)
      messages.push_back(std::string(at, 'a') + special + std::string(19 - at, 'b'));
  const std::vector<double> durations = {0,         0.001,   0.05,    0.5,
                                         1,         12.345,  999.999, 1e9 + 0.001,
                                         0.1 + 0.2, 1.0 / 3, 1e-7,    123456789.123456,
                                         1e300};
  results.tests.resize(std::max(messages.size(), durations.size()), results.tests[0]);
  for (std::size_t i = 0; i < results.tests.size(); ++i) {
    results.tests[i].id = "t" + std::to_string(i);
    results.tests[i].message = i < messages.size() ? messages[i] : "";
    results.tests[i].duration_ms = durations[i % durations.size()];
  }
  std::ostringstream out;
  write_results_json(out, results);
  BOOST_TEST(out.str().find("\"duration_ms\":0.05,") != std::string::npos);  // not 0.050
  BOOST_TEST(out.str().find("\"duration_ms\":1,") != std::string::npos);
  auto back = read_results_document(out.str(), "r.json");
  BOOST_TEST((back == results));
  auto tree = boost::json::parse(out.str());
  for (std::size_t i = 0; i < results.tests.size(); ++i) {
    BOOST_TEST(tree.at("tests").at(i).at("message").as_string() == results.tests[i].message);
    BOOST_TEST(tree.at("tests").at(i).at("duration_ms").to_number<double>() ==
               results.tests[i].duration_ms);
  }
}

BOOST_AUTO_TEST_CASE(junit_round_trip, *attest::requirement("FR-050")) {
  auto results = sample_results("my_tests");
  std::ostringstream out;
  write_junit(out, results);
  auto back = read_results_document(out.str(), "r.xml");
  BOOST_REQUIRE_EQUAL(back.tests.size(), results.tests.size());
  BOOST_TEST(back.binary == results.binary);
  BOOST_TEST((back.summary == results.summary));
  for (std::size_t i = 0; i < results.tests.size(); ++i) {
    const auto &a = results.tests[i], &b = back.tests[i];
    BOOST_TEST_CONTEXT("test " << a.id) {
      BOOST_TEST(b.id == a.id);
      BOOST_TEST(b.outcome == a.outcome);
      BOOST_TEST(b.message == a.message);  // the whole message, not the attribute's first line
      BOOST_TEST(b.requirements == a.requirements);
      BOOST_TEST(b.markers == a.markers);
      BOOST_TEST((b.where == a.where));
      BOOST_TEST(b.duration_ms == a.duration_ms, boost::test_tools::tolerance(1e-6));
      BOOST_TEST(b.failed_attempts == a.failed_attempts);  // a flaky pass stays flaky
    }
  }
}

BOOST_AUTO_TEST_CASE(junit_xunit2_round_trip, *attest::requirement("FR-106")) {
  // junit-10.xsd allows no <properties>, file or line on a <testcase>, no `skipped` on
  // <testsuites>, and at most three decimals in a suite's time: xunit2 keeps requirement IDs,
  // markers and locations as the suite's properties, and reads them back onto each test.
  auto results = sample_results("my_tests");
  std::ostringstream out;
  write_junit(out, results, JunitFamily::xunit2);
  const auto xml = out.str();
  BOOST_TEST(
      xml.find("<testcase classname=\"quotes\" name=\"&quot;quoted&quot;") != std::string::npos,
      xml);
  BOOST_TEST(xml.find(" file=\"") == std::string::npos, xml);
  BOOST_TEST(xml.find("        <property") == std::string::npos, xml);  // none inside a testcase
  BOOST_TEST(xml.find("<testsuites name=\"my_tests\" tests=\"9\" failures=\"1\" errors=\"0\" "
                      "time=\"0.04") != std::string::npos,
             xml);
  BOOST_TEST(
      xml.find(
          "<property name=\"verifies:orders/creates_order\" value=\"FR-001,003-x/SC-002\"/>") !=
          std::string::npos,
      xml);
  BOOST_TEST(xml.find("<flakyFailure type=\"failure\"") != std::string::npos, xml);
  auto back = read_results_document(xml, "r.xml");
  BOOST_REQUIRE_EQUAL(back.tests.size(), results.tests.size());
  for (std::size_t i = 0; i < results.tests.size(); ++i) {
    const auto &a = results.tests[i], &b = back.tests[i];
    BOOST_TEST_CONTEXT("test " << a.id) {
      BOOST_TEST(b.id == a.id);
      BOOST_TEST(b.outcome == a.outcome);
      BOOST_TEST(b.requirements == a.requirements);
      BOOST_TEST(b.has_requirements);  // an empty `verifies` is still an answer: unmarked
      BOOST_TEST(b.markers == a.markers);
      BOOST_TEST((b.where == a.where));
      BOOST_TEST(b.duration_ms == a.duration_ms, boost::test_tools::tolerance(1.0));
      BOOST_TEST(b.failed_attempts == a.failed_attempts);
    }
  }
  BOOST_TEST((parse_junit_family("xunit2") == JunitFamily::xunit2));
  BOOST_TEST((parse_junit_family("legacy") == JunitFamily::xunit1));
  BOOST_TEST(!parse_junit_family("xunit3"));
}

BOOST_AUTO_TEST_CASE(junit_names_map_both_ways, *attest::requirement("FR-050")) {
  for (const auto& id : kOddIds) {
    auto [classname, name] = junit_name("bin", id);
    if (id.find('.') == std::string::npos) BOOST_TEST(junit_id("bin", classname, name) == id);
  }
  BOOST_TEST(junit_name("bin", "top").classname == "bin");
  BOOST_TEST(junit_name("bin", "a/b/c").classname == "a.b");
  BOOST_TEST(junit_id("bin", "a.b", "c") == "a/b/c");
  // Another framework's JUnit: classname as written, no attest properties.
  auto gtest = read_results_document(
      R"(<testsuites name="AllTests"><testsuite name="Cart"><testcase name="Sums" classname="Cart" file="c.cc" line="3"/></testsuite></testsuites>)",
      "g.xml");
  BOOST_REQUIRE_EQUAL(gtest.tests.size(), 1u);
  BOOST_TEST(gtest.tests[0].id == "Cart/Sums");
  BOOST_TEST(!gtest.tests[0].has_requirements);
  // pytest's lines are 0-based: line="0" is the file's first line.
  auto py = read_results_document(
      R"(<testsuites><testsuite name="pytest"><testcase classname="t" name="a" file="t.py" line="0"/></testsuite></testsuites>)",
      "p.xml");
  BOOST_TEST(py.tests[0].where.str() == "t.py:1");
}

BOOST_AUTO_TEST_CASE(version_keys_are_checked, *attest::requirement("FR-050")) {
  BOOST_CHECK_EXCEPTION(
      read_manifest_document(R"({"attest_manifest": 2, "binary": "b", "tests": []})", "m.json"),
      InputError, [](const InputError& e) {
        return std::string(e.what()) ==
               "m.json: not an attest manifest (expected \"attest_manifest\": 1)";
      });
  BOOST_CHECK_THROW(
      read_results_document(R"({"attest_manifest": 1, "binary": "b", "tests": []})", "r.json"),
      InputError);
}

BOOST_AUTO_TEST_SUITE_END()
