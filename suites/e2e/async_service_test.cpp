// The coroutine suite of async_service/ as its user runs it: green twenty times in a row,
// its planted failures reported at their lines in the terminal, JUnit and the results
// JSON, clean under valgrind, and nothing left behind.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include <map>
#include <regex>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kSource = std::string(ATTEST_ORDERS_DIR) + "/orders_tests.cpp";

struct Run {
  attest::CommandResult result;
  boost::json::object report;
  std::string junit;
};

Run run_orders(const TempDir& tmp, std::vector<std::string> args,
               std::vector<std::string> prefix = {}) {
  fs::permissions(tmp.path, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  auto report = tmp.path / "results.json";
  auto junit = tmp.path / "junit.xml";
  fs::remove(report);
  fs::remove(junit);
  std::vector<std::string> argv = std::move(prefix);
  argv.insert(argv.end(),
              {ATTEST_ORDERS_BIN, "--report-json", report.string(), "--junitxml", junit.string()});
  argv.insert(argv.end(), args.begin(), args.end());
  Run run{attest_test::run_command(argv, ATTEST_ORDERS_DIR,
                                   {{"ATTEST_RUN_DIR", (tmp.path / "run").string()}}),
          {},
          {}};
  if (fs::exists(report))
    run.report = boost::json::parse(attest_test::read_file(report)).as_object();
  if (fs::exists(junit)) run.junit = attest_test::read_file(junit);
  return run;
}

// The line of orders_tests.cpp marked "// PLANTED: <what>".
unsigned planted_line(const std::string& what) {
  return static_cast<unsigned>(attest_test::line_of(kSource, "// PLANTED: " + what));
}

const boost::json::object& test_in(const boost::json::object& report, const std::string& id) {
  for (const auto& t : report.at("tests").as_array())
    if (t.as_object().at("id").as_string() == id) return t.as_object();
  throw std::runtime_error("no test " + id + " in the results");
}

// The <failure message="..."> of one testcase of the JUnit document.
std::string junit_failure(const std::string& junit, const std::string& name) {
  auto at = junit.find("name=\"" + name + "\"");
  if (at == std::string::npos) return "";
  auto failure = junit.find("<failure message=\"", at);
  if (failure == std::string::npos) return "";
  failure += 18;
  return junit.substr(failure, junit.find('"', failure) - failure);
}

void expect_nothing_left(const TempDir& tmp) {
  auto left = attest_test::leftovers(tmp.path / "run");
  BOOST_TEST(left.empty(), left);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(async_service, *attest::mark("e2e") * attest::requirement("FR-149"))

BOOST_AUTO_TEST_CASE(the_coroutine_suite_is_green_twenty_times_in_a_row, *attest::mark("slow")) {
  TempDir tmp;
  for (int i = 1; i <= 20; ++i) {
    auto r = run_orders(tmp, {"-m", "not planted"});
    BOOST_TEST_REQUIRE(r.result.exit_code == 0, "run " << i << ": " << r.result.out + r.result.err);
    const auto& summary = r.report.at("summary").as_object();
    BOOST_TEST_REQUIRE(summary.at("passed").as_int64() == 5, "run " << i);
    BOOST_TEST_REQUIRE(summary.at("failed").as_int64() == 0, "run " << i);
  }
  expect_nothing_left(tmp);
}

BOOST_AUTO_TEST_CASE(planted_failures_are_reported_at_their_lines_everywhere) {
  TempDir tmp;
  auto r = run_orders(tmp, {"-m", "planted"});
  BOOST_TEST(r.result.exit_code == 1, r.result.out + r.result.err);
  std::map<std::string, std::string> where{
      {"a_failing_assertion_after_awaits",
       "orders_tests.cpp:" + std::to_string(planted_line("assertion"))},
      {"a_timeout_while_waiting_on_redis",
       "orders_tests.cpp:" + std::to_string(planted_line("timeout"))},
      {"a_failing_assertion_on_several_threads",
       "orders_tests.cpp:" + std::to_string(planted_line("threads"))},
      {"an_exception_from_the_code_under_test",
       "orders_tests.cpp:" + std::to_string(planted_line("exception"))}};
  for (const auto& [name, line] : where) {
    BOOST_TEST_CONTEXT(name) {
      // The result's message (and so JUnit's failure message and the terminal's summary
      // line) begins at the planted line.
      std::string message(test_in(r.report, "planted/" + name).at("message").as_string());
      BOOST_TEST(message.substr(0, message.find(": ")).ends_with(line), message);
      BOOST_TEST(test_in(r.report, "planted/" + name).at("outcome").as_string() == "failed");
      std::string junit = junit_failure(r.junit, name);
      BOOST_TEST(junit.substr(0, junit.find(": ")).ends_with(line), junit);
      std::regex summary("FAILED planted/" + name + " - [^\\n]*" + line + ":");
      BOOST_TEST(std::regex_search(r.result.out, summary), r.result.out);
    }
  }
  // What each says: the values compared, where the timeout was waiting, the exception.
  BOOST_TEST(contains(r.result.out, "[21 != 22]"), r.result.out);
  BOOST_TEST(contains(r.result.out, "[8 != 9]"), r.result.out);
  BOOST_TEST(
      contains(r.result.out, ":" + std::to_string(planted_line("timeout")) + " (Redis BLPOP)"),
      r.result.out);
  BOOST_TEST(contains(r.result.out, "std::runtime_error: planted: the ledger is closed"),
             r.result.out);
  expect_nothing_left(tmp);
}

BOOST_AUTO_TEST_CASE(coroutine_tests_are_collected_selected_rerun_and_sharded_as_any_test,
                     *attest::requirement("FR-141")) {
  TempDir tmp;
  // Collection: ids, markers and requirements, as for any test.
  auto collected =
      attest_test::run_command({ATTEST_ORDERS_BIN, "--collect-only=json"}, ATTEST_ORDERS_DIR);
  BOOST_REQUIRE_MESSAGE(collected.exit_code == 0, collected.out + collected.err);
  auto manifest = boost::json::parse(collected.out).as_object();
  BOOST_TEST(manifest.at("tests").as_array().size() == 9u);
  const auto& cached =
      test_in(manifest, "orders_service/a_read_comes_from_the_cache_when_it_holds_the_order");
  BOOST_TEST(boost::json::serialize(cached.at("requirements")) == R"(["ORD-003"])");
  BOOST_TEST(boost::json::serialize(cached.at("markers")) == R"(["service"])");
  // Selection by requirement.
  auto by_req = attest_test::run_command({ATTEST_ORDERS_BIN, "--req", "ORD-005", "--collect-only"},
                                         ATTEST_ORDERS_DIR);
  BOOST_TEST(contains(by_req.out, "a_failing_pricing_service_gives_bad_gateway"), by_req.out);
  BOOST_TEST(contains(by_req.out, "1/9 tests collected"), by_req.out);
  // --lf: the coroutine test that failed is the one selected next time.
  auto cache = (tmp.path / "cache").string();
  auto failing =
      run_orders(tmp, {"--cache-dir", cache, "-m", "planted", "-k", "assertion_after_awaits"});
  BOOST_TEST(failing.result.exit_code == 1, failing.result.out);
  auto last_failed = attest_test::run_command(
      {ATTEST_ORDERS_BIN, "--cache-dir", cache, "--lf", "--collect-only"}, ATTEST_ORDERS_DIR);
  BOOST_TEST(contains(last_failed.out, "planted/a_failing_assertion_after_awaits"),
             last_failed.out);
  BOOST_TEST(contains(last_failed.out, "1/9 tests collected"), last_failed.out);  // that one only
  // --reruns: a failing coroutine test runs again, each attempt reported.
  auto rerun = run_orders(tmp, {"-m", "planted", "-k", "assertion_after_awaits", "--reruns", "1"});
  BOOST_TEST(rerun.result.exit_code == 1, rerun.result.out);
  const auto& retried = test_in(rerun.report, "planted/a_failing_assertion_after_awaits");
  BOOST_TEST(retried.at("failed_attempts").as_array().size() == 1u);
  // Shards: two runs split the suite, each test in exactly one, all green.
  std::map<std::string, int> seen;
  for (const char* shard : {"0/2", "1/2"}) {
    auto r = run_orders(tmp, {"-m", "not planted", "--shard", shard});
    BOOST_TEST(r.result.exit_code == 0, r.result.out + r.result.err);
    for (const auto& t : r.report.at("tests").as_array()) {
      BOOST_TEST(t.as_object().at("outcome").as_string() == "passed");
      ++seen[std::string(t.as_object().at("id").as_string())];
    }
  }
  BOOST_TEST(seen.size() == 5u);
  for (const auto& [id, times] : seen) BOOST_TEST(times == 1, id);
  expect_nothing_left(tmp);
}

BOOST_AUTO_TEST_CASE(the_coroutine_suite_is_clean_under_valgrind, *attest::mark("slow")) {
  TempDir tmp;
  auto r =
      run_orders(tmp, {"-m", "not planted"},
                 {"valgrind", "--error-exitcode=99", "--errors-for-leak-kinds=none", "--quiet"});
  BOOST_TEST(r.result.exit_code == 0, r.result.out + r.result.err);
  BOOST_TEST(!contains(r.result.err, "Invalid read"), r.result.err);
  BOOST_TEST(!contains(r.result.err, "Invalid free"), r.result.err);
  expect_nothing_left(tmp);
}

BOOST_AUTO_TEST_SUITE_END()
