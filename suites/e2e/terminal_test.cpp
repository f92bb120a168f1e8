// The runner as people see it and rerun it: the terminal reporter, the run cache
// (--lf, --ff, --sw, --maxfail), reruns and flaky tests, timeouts, prerequisites,
// a module that aborts. The sample binaries run as child processes with real flags.
#include <attest/attest.hpp>

#include <boost/json.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <regex>
#include <sstream>

#include "test_support.hpp"

using attest_test::CommandResult;
using attest_test::contains;
using attest_test::read_file;
using attest_test::TempDir;
using strings = std::vector<std::string>;
using env_t = std::map<std::string, std::string>;

namespace {

CommandResult run(const char* binary, strings args, const env_t& env = {}) {
  args.insert(args.begin(), binary);
  return attest_test::run_command(args, ATTEST_SAMPLE_DIR, env);
}
CommandResult sample(strings args, const env_t& env = {}) {
  return run(ATTEST_SAMPLE_BIN, std::move(args), env);
}
CommandResult rerun(strings args, const env_t& env = {}) {
  return run(ATTEST_RERUN_BIN, std::move(args), env);
}

boost::json::object json_file(const std::filesystem::path& path) {
  return boost::json::parse(read_file(path)).as_object();
}

strings ids_of(const boost::json::object& doc) {
  strings ids;
  for (const auto& t : doc.at("tests").as_array()) ids.emplace_back(t.at("id").as_string());
  return ids;
}

const boost::json::object& test_in(const boost::json::object& doc, const std::string& id) {
  for (const auto& t : doc.at("tests").as_array())
    if (t.at("id").as_string() == id) return t.as_object();
  throw std::runtime_error("no test " + id);
}

std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

std::string last_line(const std::string& out) {
  auto end = out.size() && out.back() == '\n' ? out.size() - 1 : out.size();
  auto start = out.rfind('\n', end - 1);
  return out.substr(start == std::string::npos ? 0 : start + 1, end - (start + 1));
}

std::string location_of(const std::string& file, const std::string& needle) {
  return file + ":" +
         std::to_string(attest_test::line_of(std::string(ATTEST_SAMPLE_DIR) + "/" + file, needle));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(terminal, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(progress_failures_and_summary, *attest::requirement("FR-078")) {
  auto r = sample({});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  BOOST_TEST(contains(r.out, "== test session starts =="), r.out);
  BOOST_TEST(contains(r.out, "attest_sample_tests: collected 13 tests\n"), r.out);
  // One progress line per suite: a character per test, the share done at its end.
  BOOST_TEST(std::regex_search(r.out, std::regex("\ndb \\.\\.\\. +\\[ *[0-9]+%\\]\n")), r.out);
  BOOST_TEST(std::regex_search(r.out, std::regex("\nfailing FF\\. +\\[100%\\]\n")), r.out);
  // The failures: each failed check at the user's line, then the short summary.
  auto failures = r.out.find("== FAILURES ==");
  BOOST_TEST_REQUIRE(failures != std::string::npos, r.out);
  BOOST_TEST(contains(r.out, "_ failing/wrong_count _"), r.out);
  BOOST_TEST(contains(r.out, location_of("sample_tests.cpp", "BOOST_TEST(rows == 5)") +
                                 ": check rows == 5 has failed [10 != 5]"),
             r.out);
  BOOST_TEST(contains(r.out, "\nFAILED failing/wrong_count - "), r.out);
  BOOST_TEST(contains(r.out, "\nFAILED failing/throws - std::runtime_error: connection refused"),
             r.out);
  BOOST_TEST(contains(r.out, "\nSKIPPED disabled_case - disabled"), r.out);
  BOOST_TEST(
      std::regex_search(r.out, std::regex("=+ 2 failed, 10 passed, 1 skipped in [0-9.]+s =+\n"
                                          "attest: 10 passed, 2 failed, 1 skipped\n$")),
      r.out);
  // Piped: no colour. Boost's own log and report stay silent unless asked for.
  BOOST_TEST(!contains(r.out + r.err, "\033["), r.out);
  BOOST_TEST(!contains(r.out, "Running 13 test cases"), r.out);
  BOOST_TEST(!contains(r.out + r.err, "*** 2 failures are detected"), r.out + r.err);
}

BOOST_AUTO_TEST_CASE(verbose_and_quiet, *attest::requirement("FR-078")) {
  auto v = sample({"-v", "-m", "database or failing"});
  BOOST_TEST(
      std::regex_search(v.out, std::regex("\ndb/fixture_rows PASSED \\[integration, database\\] "
                                          "\\([0-9.]+s\\) +\\[ 25%\\]\n")),
      v.out);
  BOOST_TEST(std::regex_search(v.out, std::regex("\nfailing/wrong_count FAILED \\[failing\\] ")),
             v.out);
  BOOST_TEST(contains(v.out, "collected 13 tests / 9 deselected / 4 selected"), v.out);

  auto q = sample({"-q", "-m", "unit"});
  BOOST_TEST(q.exit_code == 0, q.out + q.err);
  BOOST_TEST(!contains(q.out, "test session starts"), q.out);
  BOOST_TEST(std::regex_search(q.out, std::regex("^\\.\\.+ +\\[100%\\]\n")), q.out);
  BOOST_TEST(last_line(q.out) == "attest: 5 passed, 0 failed", q.out);
}

BOOST_AUTO_TEST_CASE(colour_only_when_asked, *attest::requirement("FR-078")) {
  auto yes = sample({"-m", "failing", "--color=yes"});
  BOOST_TEST(contains(yes.out, "\033[31mF\033[0m"), yes.out);
  BOOST_TEST(last_line(yes.out) == "attest: 1 passed, 2 failed",
             yes.out);  // the CI line stays plain
  auto forced = sample({"-m", "failing"}, {{"FORCE_COLOR", "1"}});
  BOOST_TEST(contains(forced.out, "\033["), forced.out);
  auto no = sample({"-m", "failing"}, {{"FORCE_COLOR", "1"}, {"NO_COLOR", "1"}});
  BOOST_TEST(!contains(no.out, "\033["), no.out);
  BOOST_TEST(sample({"--color=sometimes"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(boosts_own_log_and_report_when_asked,
                     *attest::requirement("FR-078", "FR-085")) {
  auto log = sample({"-m", "unit", "--log_level=test_suite"});
  BOOST_TEST(contains(log.out, "Running 5 test cases..."), log.out);
  BOOST_TEST(contains(log.out, "Entering test case \"parses_orders\""), log.out);
  BOOST_TEST(!contains(log.out, "[100%]"), log.out);  // no progress inside Boost's log
  BOOST_TEST(last_line(log.out) == "attest: 5 passed, 0 failed", log.out);
  // -x stops the run; Boost's report still counts what ran.
  auto report = sample({"-m", "failing", "-x", "--report_level=short"});
  BOOST_TEST(report.exit_code == 1);
  BOOST_TEST(contains(report.out + report.err, "1 test case out of 13 failed"),
             report.out + report.err);
  BOOST_TEST(contains(report.out, "!!! stopped after the first failure (-x) !!!"), report.out);
}

BOOST_AUTO_TEST_CASE(waits_fail_at_the_callers_line, *attest::requirement("FR-079")) {
  TempDir tmp;
  auto r = rerun({"-k", "times_out_here", "--report-json", (tmp.path / "r.json").string()});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  auto message = str(test_in(json_file(tmp.path / "r.json"), "waits/times_out_here").at("message"));
  BOOST_TEST(contains(message, location_of("rerun_tests.cpp", "// LINE-WAIT") +
                                   ": timed out waiting for the flag after 0.0"),
             message);
}

BOOST_AUTO_TEST_CASE(last_failed_failed_first_and_stepwise, *attest::requirement("FR-080")) {
  TempDir cache;
  env_t env{{"ATTEST_CACHE_DIR", cache.path.string()}};
  auto report = (cache.path / "r.json").string();
  // Without a cache, --lf runs everything.
  auto all = sample({"--lf", "-q"}, env);
  BOOST_TEST(contains(all.out, "--lf: no previously failed tests, running all 13"), all.out);
  BOOST_TEST(std::filesystem::exists(cache.path / "attest_sample_tests" / "results.json"));
  BOOST_TEST(read_file(cache.path / ".gitignore").find("\n*\n") != std::string::npos);

  auto lf = sample({"--lf", "--report-json", report}, env);
  BOOST_TEST(lf.exit_code == 1);
  BOOST_TEST(contains(lf.out, "--lf: running the 2 tests that failed last time"), lf.out);
  BOOST_TEST(ids_of(json_file(report)) == (strings{"failing/wrong_count", "failing/throws"}));

  // --ff: the failures first, then the rest.
  auto ff = sample({"--ff", "--report-json", report}, env);
  auto ids = ids_of(json_file(report));
  BOOST_TEST_REQUIRE(ids.size() == 13u, ff.out);
  BOOST_TEST((strings(ids.begin(), ids.begin() + 2)) ==
             (strings{"failing/wrong_count", "failing/throws"}));

  // A run of other tests keeps what the cache knows of the failures.
  BOOST_TEST(sample({"-m", "unit"}, env).exit_code == 0);
  auto still = sample({"--lf", "--collect-only=json"}, env);
  BOOST_TEST(ids_of(boost::json::parse(still.out).as_object()).size() == 2u, still.out + still.err);

  // --cache-clear forgets.
  auto cleared = sample({"--cache-clear", "--lf", "--collect-only=json"}, env);
  BOOST_TEST(ids_of(boost::json::parse(cleared.out).as_object()).size() == 13u, cleared.err);

  // --maxfail N stops after N failures.
  auto mf = sample({"--maxfail", "2", "--report-json", report}, env);
  BOOST_TEST(contains(mf.out, "stopped after 2 failures (--maxfail)"), mf.out);
  BOOST_TEST(sample({"--maxfail", "0"}).exit_code == 2);

  // --sw stops at the first failure and starts there next time.
  auto sw = sample({"--sw", "-m", "unit or failing", "--report-json", report}, env);
  BOOST_TEST(sw.exit_code == 1);
  BOOST_TEST(ids_of(json_file(report)).back() == "failing/wrong_count", sw.out);
  BOOST_TEST(contains(sw.out, "stepwise: stopped at failing/wrong_count"), sw.out);
  auto again = sample({"--sw", "-m", "unit or failing", "--report-json", report}, env);
  BOOST_TEST(contains(again.out, "--sw: starting at failing/wrong_count, skipping 5 tests"),
             again.out);
  BOOST_TEST(ids_of(json_file(report)) == strings{"failing/wrong_count"});
}

BOOST_AUTO_TEST_CASE(flaky_tests_are_named, *attest::requirement("FR-081")) {
  TempDir tmp;
  auto json = tmp.path / "r.json", xml = tmp.path / "j.xml";
  auto r = rerun({"-k", "flakes", "--report-json", json.string(), "--junitxml", xml.string()});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);  // always_fails, and fails_once without --reruns
  auto doc = json_file(json);
  const auto& flaky = test_in(doc, "flakes/passes_on_the_third_attempt");
  BOOST_TEST(str(flaky.at("outcome")) == "passed");
  const auto& attempts = flaky.at("failed_attempts").as_array();
  BOOST_TEST_REQUIRE(attempts.size() == 2u);
  BOOST_TEST(contains(str(attempts[0]), "attempt 1 of 3 fails"));
  BOOST_TEST(contains(str(attempts[1]), "attempt 2 of 3 fails"));
  const auto& failed = test_in(doc, "flakes/always_fails");
  BOOST_TEST(str(failed.at("outcome")) == "failed");
  BOOST_TEST(contains(str(failed.at("message")), "attempt 2 fails"));
  BOOST_TEST(failed.at("failed_attempts").as_array().size() == 1u);
  auto junit = read_file(xml);
  BOOST_TEST(contains(junit, "<flakyFailure"), junit);
  BOOST_TEST(contains(r.out, "\nFLAKY flakes/passes_on_the_third_attempt - passed on attempt 3"),
             r.out);
  BOOST_TEST(std::regex_search(r.out, std::regex("2 failed, 1 passed, 1 flaky in [0-9.]+s")),
             r.out);

  auto once = rerun({"-k", "fails_once", "--reruns", "1"});
  BOOST_TEST(once.exit_code == 0, once.out);
  BOOST_TEST(last_line(once.out) == "attest: 1 passed, 0 failed", once.out);
  auto strict = rerun({"-k", "fails_once", "--reruns", "1", "--fail-on-flaky"});
  BOOST_TEST(strict.exit_code == 1, strict.out);
  BOOST_TEST(contains(strict.out, "1 flaky test and --fail-on-flaky: the run fails"), strict.out);
  BOOST_TEST(last_line(strict.out) == "attest: 1 passed, 0 failed", strict.out);
}

BOOST_AUTO_TEST_CASE(timeouts_name_their_cause, *attest::requirement("FR-082")) {
  TempDir tmp;
  auto json = tmp.path / "r.json", xml = tmp.path / "j.xml";
  auto r = rerun({"-k", "timing", "--timeout", "1", "--report-json", json.string(), "--junitxml",
                  xml.string()});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  auto doc = json_file(json);
  BOOST_TEST(
      str(test_in(doc, "timing/waits_too_long").at("message")).rfind("timeout after 1 s", 0) == 0u);
  BOOST_TEST(str(test_in(doc, "timing/own_timeout").at("outcome")) == "passed");
  BOOST_TEST(contains(read_file(xml), "timeout after 1 s"));
  BOOST_TEST(contains(r.out, "FAILED timing/waits_too_long - timeout after 1 s"), r.out);
  BOOST_TEST(rerun({"--timeout", "0"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(prerequisites_run_with_the_selection, *attest::requirement("FR-083")) {
  TempDir tmp;
  auto r = rerun({"-k", "dependent", "--report-json", (tmp.path / "r.json").string()});
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  auto doc = json_file(tmp.path / "r.json");
  BOOST_TEST(ids_of(doc) == (strings{"chain/prerequisite", "chain/dependent"}));
  BOOST_TEST(str(test_in(doc, "chain/dependent").at("outcome")) == "passed");
}

BOOST_AUTO_TEST_CASE(an_aborted_module_reports_what_never_ran, *attest::requirement("FR-084")) {
  TempDir tmp;
  auto json = tmp.path / "r.json", xml = tmp.path / "j.xml";
  auto r = rerun(
      {"-k", "crash or after_crash", "--report-json", json.string(), "--junitxml", xml.string()});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  auto doc = json_file(json);
  BOOST_TEST(contains(str(test_in(doc, "crash/crashes").at("message")), "SIGSEGV"));
  for (const auto* id : {"crash/never_runs", "after_crash/never_runs_either"}) {
    const auto& t = test_in(doc, id);
    BOOST_TEST(str(t.at("outcome")) == "failed");
    BOOST_TEST(str(t.at("message")) == "not run: the test module aborted in crash/crashes");
  }
  BOOST_TEST(contains(read_file(xml), "not run: the test module aborted in crash/crashes"));
  BOOST_TEST(contains(r.out, "\nERROR crash/never_runs - not run: the test module aborted"), r.out);
  BOOST_TEST(last_line(r.out) == "attest: 0 passed, 3 failed", r.out);
}

BOOST_AUTO_TEST_CASE(wait_for_debugger_waits, *attest::requirement("FR-085")) {
  auto r = sample({"-m", "unit", "--wait_for_debugger"});  // stdin is empty: it continues at once
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(contains(r.out + r.err, "Press any key to continue..."), r.out + r.err);
  BOOST_TEST(contains(r.out + r.err, "Continuing..."), r.out + r.err);
}

BOOST_AUTO_TEST_CASE(template_cases_have_one_name, *attest::requirement("FR-086")) {
  for (const auto* k : {"sized<unsigned char>", "sized<unsigned_char>", "SIZED<UNSIGNED CHAR>"}) {
    auto r = rerun({"--collect-only=json", "-k", k});
    BOOST_TEST_REQUIRE(r.exit_code == 0, k << ": " << r.err);
    BOOST_TEST(ids_of(boost::json::parse(r.out).as_object()) == strings{"sized<unsigned char>"}, k);
  }
  TempDir tmp;
  auto json = tmp.path / "r.json", xml = tmp.path / "j.xml";
  auto r = rerun({"-k", "sized", "-v", "--report-json", json.string(), "--junitxml", xml.string()});
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(ids_of(json_file(json)) == (strings{"sized<int>", "sized<unsigned char>"}));
  BOOST_TEST(contains(r.out, "\nsized<unsigned char> PASSED"), r.out);
  BOOST_TEST(contains(read_file(xml), "name=\"sized&lt;unsigned char&gt;\""));
}

BOOST_AUTO_TEST_SUITE_END()
