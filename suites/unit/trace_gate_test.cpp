#include <attest/attest.hpp>
#include <attest/trace/gate.hpp>
#include <attest/trace/render.hpp>

#include <boost/json.hpp>

#include <sstream>

using namespace attest::trace;

namespace {

Requirement req(const std::string& id, const std::string& feature = {}, std::size_t line = 1) {
  Requirement r;
  r.bare_id = id;
  r.feature = feature;
  r.id = feature.empty() ? id : feature + "/" + id;
  r.title = "title of " + id;
  r.where = {feature.empty() ? "spec.md" : "specs/" + feature + "/spec.md", line};
  return r;
}

TestCase test(const std::string& id, std::vector<std::string> reqs,
              const std::string& binary = "b") {
  return TestCase{binary, id, {"t.cpp", 7}, {"unit"}, std::move(reqs), true};
}

TestOutcome outcome(const std::string& id, Outcome o, const std::string& binary = "b") {
  TestOutcome r;
  r.binary = binary;
  r.id = id;
  r.outcome = o;
  r.message = o == Outcome::failed ? "boom" : "";
  return r;
}

std::size_t count(const Report& r, DefectKind kind) {
  std::size_t n = 0;
  for (const auto& d : r.defects) n += d.kind == kind;
  return n;
}

const RequirementRow& row(const Report& r, const std::string& id) {
  for (const auto& row : r.requirements)
    if (row.requirement.id == id) return row;
  throw std::runtime_error("no row " + id);
}

std::string rendered(const std::string& format, const Report& r) {
  std::ostringstream out;
  render(format, out, r);
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trace_gate, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(full_coverage_passes, *attest::requirement("FR-023")) {
  auto r = evaluate({req("FR-001"), req("FR-002")},
                    {test("a", {"FR-001"}), test("b", {"FR-002", "FR-001"})}, {}, false, {});
  BOOST_TEST(r.passed);
  BOOST_TEST(r.covered == 2u);
  BOOST_TEST(coverage_line(r) == "coverage 100% (2/2) >= threshold 100%");
  BOOST_TEST((row(r, "FR-001").status == Status::covered));
  BOOST_TEST(row(r, "FR-001").tests.size() == 2u);
}

BOOST_AUTO_TEST_CASE(coverage_below_threshold_fails, *attest::requirement("FR-023")) {
  std::vector<Requirement> reqs;
  for (int i = 1; i <= 15; ++i) reqs.push_back(req("FR-0" + std::to_string(10 + i)));
  std::vector<TestCase> tests;
  for (int i = 1; i <= 14; ++i)
    tests.push_back(test("t" + std::to_string(i), {"FR-0" + std::to_string(10 + i)}));
  auto r = evaluate(reqs, tests, {}, false, {});
  BOOST_TEST(!r.passed);
  BOOST_TEST(r.defects.empty());
  BOOST_TEST(coverage_line(r) == "coverage 93.3% (14/15) < threshold 100%");
  auto lenient = evaluate(reqs, tests, {}, false, {90.0, false, false});
  BOOST_TEST(lenient.passed);
  BOOST_TEST(coverage_line(lenient) == "coverage 93.3% (14/15) >= threshold 90%");
}

BOOST_AUTO_TEST_CASE(defects_fail_even_at_full_coverage, *attest::requirement("FR-023")) {
  auto r = evaluate({req("FR-001"), req("FR-001", {}, 9)},
                    {test("marked", {"FR-001"}), test("unmarked", {}), test("typo", {"FR-01"})}, {},
                    false, {});
  BOOST_TEST(!r.passed);
  BOOST_TEST(r.coverage_ok);
  BOOST_TEST(count(r, DefectKind::unmarked) == 1u);
  BOOST_TEST(count(r, DefectKind::unknown_id) == 1u);
  BOOST_TEST(count(r, DefectKind::duplicate_id) == 1u);
  for (const auto& d : r.defects) {
    if (d.kind == DefectKind::duplicate_id) {
      BOOST_TEST(d.where.str() == "spec.md:9");
      BOOST_TEST(d.message == "FR-001 is defined twice: here and at spec.md:1");
    }
    if (d.kind == DefectKind::unmarked) BOOST_TEST(d.where.str() == "t.cpp:7");
    if (d.kind == DefectKind::unknown_id)
      BOOST_TEST(d.message == "test 'typo' (b) references FR-01, which is not in the catalog");
  }
}

BOOST_AUTO_TEST_CASE(feature_ids_qualified_and_bare, *attest::requirement("FR-019", "FR-023")) {
  std::vector<Requirement> reqs{req("FR-001", "001-login"), req("FR-001", "002-sync"),
                                req("FR-002", "002-sync")};
  auto r = evaluate(reqs,
                    {test("a", {"001-login/FR-001"}), test("b", {"FR-002"}), test("c", {"FR-001"})},
                    {}, false, {});
  BOOST_TEST(row(r, "001-login/FR-001").tests.size() == 1u);
  BOOST_TEST(row(r, "002-sync/FR-002").tests.size() == 1u);  // bare and unambiguous
  BOOST_TEST_REQUIRE(count(r, DefectKind::ambiguous_id) == 1u);
  BOOST_TEST(
      r.defects[0].message ==
      "test 'c' (b) references FR-001, which is ambiguous: 001-login/FR-001, 002-sync/FR-001");
}

BOOST_AUTO_TEST_CASE(the_matrix_shows_the_code_each_requirement_reaches,
                     *attest::requirement("FR-163")) {
  std::vector<Requirement> reqs{req("FR-001", "001-login"), req("FR-002", "002-sync"),
                                req("FR-003", "002-sync"), req("FR-004", "002-sync")};
  auto r = evaluate(reqs,
                    {test("a", {"001-login/FR-001"}), test("b", {"FR-002"}), test("c", {"FR-003"}),
                     test("d", {"FR-004"})},
                    {}, false, {});
  // Keyed as the tests mark them: qualified, or bare when unambiguous. FR-004's tests were
  // not measured.
  attach_code(r, {{"001-login/FR-001", {1, 8, 4, 6, 2}},
                  {"FR-002", {2, 10, 10, 0, 0}},
                  {"FR-003", {0, 0, 0, 0, 0}}});
  BOOST_TEST(r.have_code);
  BOOST_TEST(code_cell(row(r, "001-login/FR-001").code) == "50.0% (4/8 lines, 1 file)");
  BOOST_TEST(code_cell(row(r, "002-sync/FR-002").code) == "100.0% (10/10 lines, 2 files)");
  BOOST_TEST(code_cell(row(r, "002-sync/FR-003").code) == "no measured code");
  BOOST_TEST(!row(r, "002-sync/FR-004").code.has_value());
  BOOST_TEST_REQUIRE(r.warnings.size() == 1u);
  BOOST_TEST((r.warnings[0].kind == DefectKind::no_code));
  BOOST_TEST(r.passed);  // a warning, not a defect
  BOOST_TEST(rendered("text", r).find("002-sync/FR-004: not measured") != std::string::npos);
  BOOST_TEST(rendered("markdown", r).find("| Code reached |") != std::string::npos);
  BOOST_TEST(rendered("json", r).find("\"no_code\":[{") != std::string::npos);
  BOOST_TEST(rendered("html", r).find("<th>Code reached</th>") != std::string::npos);
  BOOST_TEST(rendered("github", r).find("requirement reaching no code") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unclear_is_a_warning_or_a_strict_defect, *attest::requirement("FR-020")) {
  auto unclear = req("FR-001");
  unclear.unclear = true;
  auto r = evaluate({unclear}, {test("a", {"FR-001"})}, {}, false, {});
  BOOST_TEST(r.passed);
  BOOST_TEST(r.warnings.size() == 1u);
  auto strict = evaluate({unclear}, {test("a", {"FR-001"})}, {}, false, {100.0, false, true});
  BOOST_TEST(!strict.passed);
  BOOST_TEST(count(strict, DefectKind::unclear) == 1u);
}

BOOST_AUTO_TEST_CASE(statuses_from_results, *attest::requirement("FR-023", "FR-022")) {
  std::vector<Requirement> reqs{req("FR-001"), req("FR-002"), req("FR-003"), req("FR-004"),
                                req("FR-005")};
  std::vector<TestCase> tests{test("ok", {"FR-001"}), test("bad", {"FR-002"}),
                              test("ok2", {"FR-002"}), test("skip", {"FR-003"}),
                              test("notrun", {"FR-004"})};
  std::vector<TestOutcome> results{outcome("ok", Outcome::passed), outcome("bad", Outcome::failed),
                                   outcome("ok2", Outcome::passed),
                                   outcome("skip", Outcome::skipped)};
  auto r = evaluate(reqs, tests, results, true, {});
  BOOST_TEST((row(r, "FR-001").status == Status::verified));
  BOOST_TEST((row(r, "FR-002").status == Status::failing));
  BOOST_TEST((row(r, "FR-003").status == Status::skipped));
  BOOST_TEST((row(r, "FR-004").status == Status::untested));
  BOOST_TEST((row(r, "FR-005").status == Status::untested));
  BOOST_TEST(r.covered == 4u);  // having a test is coverage...
  auto passing = evaluate(reqs, tests, results, true, {100.0, true, false});
  BOOST_TEST(passing.covered == 1u);  // ...unless only verified requirements count
  BOOST_TEST(!passing.passed);
}

BOOST_AUTO_TEST_CASE(shards_merge_to_the_worst_outcome, *attest::requirement("FR-022")) {
  std::vector<TestOutcome> shards{outcome("t", Outcome::passed), outcome("t", Outcome::failed),
                                  outcome("t", Outcome::passed)};
  auto r = evaluate({req("FR-001")}, {test("t", {"FR-001"})}, shards, true, {});
  BOOST_TEST((r.tests[0].outcome == Outcome::failed));
  BOOST_TEST(r.tests[0].message == "boom");
  BOOST_TEST((row(r, "FR-001").status == Status::failing));
}

BOOST_AUTO_TEST_CASE(same_id_in_two_binaries_stays_two_tests, *attest::requirement("FR-021")) {
  auto r = evaluate({req("FR-001")}, {test("t", {"FR-001"}, "one"), test("t", {"FR-001"}, "two")},
                    {outcome("t", Outcome::failed, "two")}, true, {});
  BOOST_TEST(r.tests.size() == 2u);
  BOOST_TEST(!r.tests[0].outcome.has_value());
  BOOST_TEST((r.tests[1].outcome == Outcome::failed));
}

BOOST_AUTO_TEST_CASE(junit_results_with_verifies_are_tests_too, *attest::requirement("FR-022")) {
  TestOutcome gtest = outcome("Parser/Parses", Outcome::passed, "AllTests");
  gtest.has_requirements = true;
  gtest.requirements = {"FR-002"};
  auto r = evaluate(
      {req("FR-001"), req("FR-002")}, {test("a", {"FR-001"})},
      {gtest, outcome("a", Outcome::passed), outcome("unknown/test", Outcome::passed)}, true, {});
  BOOST_TEST(r.tests.size() == 2u);  // the result without requirements and inventory is not a test
  BOOST_TEST((row(r, "FR-002").status == Status::verified));
  BOOST_TEST(r.passed);
}

BOOST_AUTO_TEST_CASE(other_frameworks_results_are_their_own_inventory,
                     *attest::requirement("FR-055")) {
  // GoogleTest's JUnit alone, no attest manifest: every testcase is a test, and one
  // without a `verifies` property is an unmarked test, at its own file:line.
  auto marked = outcome("Cart/Sums", Outcome::passed, "AllTests");
  marked.has_requirements = true;
  marked.requirements = {"FR-001"};
  auto unmarked = outcome("Cart/Empty", Outcome::passed, "AllTests");
  unmarked.where = {"cart_test.cc", 31};
  auto r = evaluate({req("FR-001")}, {}, {marked, unmarked}, true, {.threshold = 90});
  BOOST_TEST(r.tests.size() == 2u);
  BOOST_TEST(count(r, DefectKind::unmarked) == 1u);
  BOOST_TEST(r.defects[0].where.str() == "cart_test.cc:31");
  BOOST_TEST(!r.passed);
  // The verdict names the defect even though coverage met the threshold.
  BOOST_TEST(verdict_line(r) ==
             "FAILED: 1 defect (unmarked test); coverage 100% (1/1) >= threshold 90%");
}

BOOST_AUTO_TEST_CASE(verdict_counts_take_the_plural, *attest::requirement("FR-023")) {
  // "2 unmarked tests", not "2 unmarked test" (found on a 2,073-test project).
  auto a = outcome("Cart/A", Outcome::passed, "AllTests");
  auto b = outcome("Cart/B", Outcome::passed, "AllTests");
  auto marked = outcome("Cart/C", Outcome::passed, "AllTests");
  marked.has_requirements = true;
  marked.requirements = {"FR-009", "FR-008"};
  auto r = evaluate({req("FR-001")}, {}, {a, b, marked}, true, {.threshold = 0});
  BOOST_TEST(verdict_line(r) ==
             "FAILED: 4 defects (2 unmarked tests, 2 unknown requirement IDs); coverage 0% (0/1) "
             ">= threshold 0%");
}

BOOST_AUTO_TEST_CASE(not_run_is_not_skipped, *attest::requirement("FR-056")) {
  // Results came for binary b, but none for s/b: it never ran.
  auto r =
      evaluate({req("FR-001"), req("FR-002")},
               {test("s/a", {"FR-001"}), test("s/b", {"FR-002"}), test("o/c", {"FR-002"}, "other")},
               {outcome("s/a", Outcome::passed)}, true, {});
  BOOST_TEST(r.tests[1].not_run);
  BOOST_TEST(test_status(r.tests[1]) == "not run");
  BOOST_TEST(!r.tests[2].not_run);  // no results at all for its binary: simply no result
  BOOST_TEST(test_status(r.tests[2]) == "no result");
  BOOST_TEST((row(r, "FR-002").status == Status::untested));
  BOOST_TEST(
      rendered("text", r).find("tests not run (1):\n  t.cpp:7: s/b (b)") != std::string::npos,
      rendered("text", r));
}

BOOST_AUTO_TEST_CASE(flaky_passes_are_their_own_status, *attest::requirement("FR-057")) {
  auto flaky = outcome("s/f", Outcome::passed);
  flaky.failed_attempts = {"t.cpp:9: connection reset"};
  auto tests = std::vector<TestCase>{test("s/ok", {"FR-001"}), test("s/f", {"FR-002"})};
  auto outcomes = std::vector<TestOutcome>{outcome("s/ok", Outcome::passed), flaky};
  auto r = evaluate({req("FR-001"), req("FR-002")}, tests, outcomes, true, {});
  BOOST_TEST((row(r, "FR-002").status == Status::flaky));
  BOOST_TEST(label(Status::flaky) == "verified (flaky)");
  BOOST_TEST(r.passed);  // covered: it has a test
  // --require-passing does not count a flaky pass, unless --allow-flaky.
  auto strict =
      evaluate({req("FR-001"), req("FR-002")}, tests, outcomes, true, {.require_passing = true});
  BOOST_TEST(!strict.passed);
  BOOST_TEST(strict.covered == 1u);
  auto allowed = evaluate({req("FR-001"), req("FR-002")}, tests, outcomes, true,
                          {.require_passing = true, .allow_flaky = true});
  BOOST_TEST(allowed.passed);
  // Merged with a shard where it failed, the worst wins.
  auto merged = evaluate({req("FR-002")}, {test("s/f", {"FR-002"})},
                         {flaky, outcome("s/f", Outcome::failed)}, true, {});
  BOOST_TEST((row(merged, "FR-002").status == Status::failing));
  auto text = rendered("text", r);
  BOOST_TEST(text.find("flaky tests (1):\n  t.cpp:7: s/f (b) passed after 1 failed attempt: "
                       "t.cpp:9: connection reset") != std::string::npos,
             text);
  BOOST_TEST(text.find("results: 2 passed, 0 failed, 1 flaky") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(renderers, *attest::requirement("FR-024")) {
  auto r = evaluate({req("FR-001"), req("FR-002", {}, 4)},
                    {test("s/ok", {"FR-001"}), test("s/<unmarked>", {})},
                    {outcome("s/ok", Outcome::passed)}, true, {});
  std::string text = rendered("text", r);
  // The headline says why it failed: the defect first, then the coverage.
  BOOST_TEST(
      text.rfind("FAILED: 1 defect (unmarked test); coverage 50% (1/2) < threshold 100%\n", 0) == 0,
      text);
  BOOST_TEST(
      text.find(
          "unmarked tests (1):\n  t.cpp:7: test 's/<unmarked>' (b) verifies no requirement") !=
          std::string::npos,
      text);
  BOOST_TEST(text.find("spec.md:4: FR-002 [untested]") != std::string::npos, text);
  const std::string last =
      "\nresults: 1 passed, 0 failed, 1 not run\n";  // the closing line CI log readers parse
  BOOST_TEST(text.substr(text.size() - last.size()) == last, text);

  auto json = boost::json::parse(rendered("json", r)).as_object();
  BOOST_TEST(json.at("passed").as_bool() == false);
  BOOST_TEST(json.at("coverage").as_double() == 50.0);
  BOOST_TEST(json.at("unmarked").as_array().size() == 1u);
  BOOST_TEST(json.at("requirements").as_array()[0].at("status").as_string() == "verified");
  BOOST_TEST(
      json.at("requirements").as_array()[0].at("tests").as_array()[0].at("outcome").as_string() ==
      "passed");

  std::string md = rendered("markdown", r);
  BOOST_TEST(md.find("## Requirement traceability: ❌ failed") != std::string::npos);
  BOOST_TEST(md.find("| **FR-001** title of FR-001 | ✅ verified | `s/ok` |") != std::string::npos,
             md);

  std::string gh = rendered("github", r);
  BOOST_TEST(gh.find("::error file=t.cpp,line=7,title=unmarked test::test 's/<unmarked>' (b) "
                     "verifies no requirement\n") != std::string::npos,
             gh);
  BOOST_TEST(
      gh.find("::error file=spec.md,line=4,title=uncovered requirement::FR-002 [untested]") !=
          std::string::npos,
      gh);
  BOOST_TEST(gh.find("::error title=trace-check::FAILED: 1 defect (unmarked test); coverage 50%25 "
                     "(1/2) < threshold 100%25") != std::string::npos,
             gh);

  std::string html = rendered("html", r);
  BOOST_TEST(html.rfind("<!DOCTYPE html>", 0) == 0);
  BOOST_TEST(html.find("s/&lt;unmarked&gt;") != std::string::npos);  // escaped
  BOOST_TEST(html.find("<unmarked>") == std::string::npos);
  BOOST_TEST(html.find("id=\"filter\"") != std::string::npos);
  BOOST_TEST(html.find("http") == std::string::npos);  // self-contained: no external resource
  BOOST_CHECK_THROW(rendered("yaml", r), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(github_escaping, *attest::requirement("FR-024")) {
  auto r = evaluate({req("FR-001")}, {TestCase{"b", "x", {"dir,with:colon.cpp", 3}, {}, {}, true}},
                    {}, false, {});
  std::string gh = rendered("github", r);
  BOOST_TEST(gh.find("::error file=dir%2Cwith%3Acolon.cpp,line=3,") != std::string::npos, gh);
}

BOOST_AUTO_TEST_SUITE_END()
