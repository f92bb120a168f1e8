#include <attest/attest.hpp>
#include <attest/config.hpp>
#include <attest/trace/readers.hpp>

using namespace attest::trace;
using strings = std::vector<std::string>;

namespace {

const std::regex kPattern(attest::default_requirement_pattern);

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trace_readers, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(spec_kit_markdown_forms, *attest::requirement("FR-019")) {
  auto reqs = read_markdown_catalog(R"(# Feature Specification: Order sync

## Requirements *(mandatory)*

### Functional Requirements

- **FR-001**: System MUST sync orders every 5 minutes
- **FR-002:** System MUST keep exact counts
* FR-003: Users MUST be able to retry
**SC-001**: 95% of syncs finish in 10 s

FR-099: prose that merely starts with an ID is not a requirement
- **Note**: a bold word that is not an ID
```text
- **FR-100**: inside a code fence: an example, not a requirement
```
  - **FR-004**: indented bullets count too
)",
                                    "specs/spec.md", kPattern);
  BOOST_REQUIRE_EQUAL(reqs.size(), 5u);
  strings ids;
  for (const auto& r : reqs) ids.push_back(r.id);
  BOOST_TEST(ids == (strings{"FR-001", "FR-002", "FR-003", "SC-001", "FR-004"}));
  BOOST_TEST(reqs[0].title == "System MUST sync orders every 5 minutes");
  BOOST_TEST(reqs[0].where.str() == "specs/spec.md:7");
  BOOST_TEST(reqs[1].title == "System MUST keep exact counts");
  BOOST_TEST(reqs[3].where.line == 10u);
  BOOST_TEST(reqs[4].where.line == 17u);
}

BOOST_AUTO_TEST_CASE(feature_qualified_ids, *attest::requirement("FR-019")) {
  auto reqs = read_markdown_catalog("- **FR-001**: a\n", "specs/003-order-sync/spec.md", kPattern,
                                    "003-order-sync");
  BOOST_REQUIRE_EQUAL(reqs.size(), 1u);
  BOOST_TEST(reqs[0].id == "003-order-sync/FR-001");
  BOOST_TEST(reqs[0].bare_id == "FR-001");
  BOOST_TEST(reqs[0].feature == "003-order-sync");
}

BOOST_AUTO_TEST_CASE(needs_clarification_in_title_or_continuation, *attest::requirement("FR-020")) {
  auto reqs = read_markdown_catalog(
      "- **FR-001**: System MUST authenticate users via [NEEDS CLARIFICATION: auth method?]\n"
      "- **FR-002**: System MUST retain data\n"
      "  for [NEEDS CLARIFICATION: how long?]\n"
      "- **FR-003**: clear\n"
      "\n"
      "  [NEEDS CLARIFICATION: after a blank line this belongs to nothing]\n",
      "spec.md", kPattern);
  BOOST_REQUIRE_EQUAL(reqs.size(), 3u);
  BOOST_TEST(reqs[0].unclear);
  BOOST_TEST(reqs[1].unclear);
  BOOST_TEST(!reqs[2].unclear);
}

BOOST_AUTO_TEST_CASE(project_id_pattern, *attest::requirement("FR-019")) {
  auto reqs = read_markdown_catalog("- **REQ_7**: custom\n- **FR-001**: not this project's\n",
                                    "r.md", std::regex("REQ_[0-9]+"));
  BOOST_REQUIRE_EQUAL(reqs.size(), 1u);
  BOOST_TEST(reqs[0].id == "REQ_7");
}

BOOST_AUTO_TEST_CASE(json_catalog, *attest::requirement("FR-019")) {
  auto reqs = read_json_catalog(R"({"requirements": [
    {"id": "FR-001", "title": "Sync", "priority": "P1"},
    {"id": "FR-002"}
  ]})",
                                "reqs.json");
  BOOST_REQUIRE_EQUAL(reqs.size(), 2u);
  BOOST_TEST(reqs[0].priority == "P1");
  BOOST_TEST(reqs[0].where.str() == "reqs.json:2");
  BOOST_TEST(reqs[1].where.line == 3u);
  BOOST_TEST(error_of([] {
               read_json_catalog(R"({"requirements": [{"title": "x"}]})", "r.json");
             }) == "r.json: $.requirements[0].id: expected a string");
  BOOST_TEST(error_of([] {
               read_json_catalog("{\n  \"requirements\": [\n    {\"id\": }", "r.json");
             }).rfind("r.json:3:12: malformed JSON", 0) == 0);
}

BOOST_AUTO_TEST_CASE(manifests, *attest::requirement("FR-021")) {
  auto tests = read_manifest(R"({"attest_manifest": 1, "binary": "shop_tests", "tests": [
    {"id": "cart/sums", "file": "cart.cpp", "line": 12, "markers": ["unit"], "requirements": ["FR-001"],
     "description": "", "enabled": true},
    {"id": "cart/off", "file": "cart.cpp", "line": 20, "markers": [], "requirements": [], "enabled": false}
  ]})",
                             "m.json");
  BOOST_REQUIRE_EQUAL(tests.size(), 2u);
  BOOST_TEST(tests[0].binary == "shop_tests");
  BOOST_TEST(tests[0].where.str() == "cart.cpp:12");
  BOOST_TEST(tests[0].requirements == strings{"FR-001"});
  BOOST_TEST(!tests[1].enabled);
  BOOST_TEST(error_of([] { read_manifest(R"({"tests": []})", "m.json"); }) ==
             "m.json: not an attest manifest (expected \"attest_manifest\": 1)");
  BOOST_TEST(error_of([] {
               read_manifest(R"({"attest_manifest": 1, "binary": "b", "tests": [{"id": 3}]})",
                             "m.json");
             }) == "m.json: $.tests[0].id: expected a string");
}

BOOST_AUTO_TEST_CASE(attest_results_json, *attest::requirement("FR-022")) {
  auto results = read_results(R"({"attest_results": 1, "binary": "b", "tests": [
    {"id": "s/a", "outcome": "failed", "duration_ms": 1.0, "requirements": ["FR-001"], "markers": [], "message": "boom"},
    {"id": "s/b", "outcome": "skipped", "duration_ms": 0, "requirements": [], "markers": [], "message": "disabled"}
  ], "summary": {}})",
                              "r.json");
  BOOST_REQUIRE_EQUAL(results.size(), 2u);
  BOOST_TEST((results[0].outcome == Outcome::failed));
  BOOST_TEST(results[0].message == "boom");
  BOOST_TEST((results[1].outcome == Outcome::skipped));
  BOOST_TEST(
      error_of([] {
        read_results(
            R"({"attest_results": 1, "binary": "b", "tests": [{"id": "x", "outcome": "maybe"}]})",
            "r.json");
      }) == "r.json: $.tests[0].outcome: expected passed, failed or skipped, not 'maybe'");
}

BOOST_AUTO_TEST_CASE(junit_from_attest_and_from_googletest, *attest::requirement("FR-022")) {
  auto attest_junit = read_results(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="shop_tests" tests="2">
  <testsuite name="shop_tests">
    <testcase classname="cart.pricing" name="sums" file="cart.cpp" line="12" time="0.001">
      <properties><property name="verifies" value="FR-001,SC-002"/><property name="markers" value="unit"/></properties>
      <failure message="cart.cpp:14: check failed">cart.cpp:14: check failed</failure>
    </testcase>
    <testcase classname="shop_tests" name="top" time="0.001"/>
  </testsuite>
</testsuites>)",
                                   "shop.xml");
  BOOST_REQUIRE_EQUAL(attest_junit.size(), 2u);
  BOOST_TEST(attest_junit[0].id == "cart/pricing/sums");
  BOOST_TEST(attest_junit[0].binary == "shop_tests");
  BOOST_TEST((attest_junit[0].outcome == Outcome::failed));
  BOOST_TEST(attest_junit[0].requirements == (strings{"FR-001", "SC-002"}));
  BOOST_TEST(attest_junit[1].id == "top");
  BOOST_TEST((attest_junit[1].outcome == Outcome::passed));
  BOOST_TEST(!attest_junit[1].has_requirements);

  // GoogleTest: RecordProperty("verifies", "FR-003") lands as a testcase attribute-less property.
  auto gtest = read_results(R"(<testsuites name="AllTests"><testsuite name="Parser">
  <testcase name="Parses" classname="Parser"><properties><property name="verifies" value="FR-003"/></properties></testcase>
  <testcase name="Skips" classname="Parser"><skipped message="not on CI"/></testcase>
</testsuite></testsuites>)",
                            "gtest.xml");
  BOOST_REQUIRE_EQUAL(gtest.size(), 2u);
  BOOST_TEST(gtest[0].id == "Parser/Parses");
  BOOST_TEST(gtest[0].has_requirements);
  BOOST_TEST((gtest[1].outcome == Outcome::skipped));
}

BOOST_AUTO_TEST_CASE(bad_result_files_are_located, *attest::requirement("FR-025")) {
  BOOST_TEST(error_of([] { read_results("", "r.json"); }) == "r.json: empty results file");
  BOOST_TEST(error_of([] {
               read_results("<testsuites>\n<testcase name='a'>\n</testsuites>", "j.xml");
             }).rfind("j.xml:3: malformed XML", 0) == 0);
  BOOST_TEST(error_of([] { read_results("<html/>", "j.xml"); }) ==
             "j.xml: not JUnit XML (no <testsuites> or <testsuite> root)");
  BOOST_TEST(error_of([] { read_results("{\"tests\": []}", "r.json"); }) ==
             "r.json: not an attest results file (expected \"attest_results\": 1)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(absurd_xml_nesting_is_refused,
                     *attest::requirement("FR-025") * attest::mark("unit")) {
  std::string deep = "<testsuites>";
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  std::string message;
  try {
    read_results(deep, "deep.xml");
  } catch (const InputError& e) {
    message = e.what();
  }
  BOOST_TEST(message == "deep.xml:1: XML nested deeper than 256 elements");
}
