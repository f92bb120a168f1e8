// Fixture scopes driven from outside: the order resources are made and go in,
// a failing suite keeping its database, and the function-static database that
// used to read freed memory at exit — now clean under valgrind.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::read_file;
using attest_test::TempDir;

namespace {

attest::CommandResult run_scopes(const TempDir& tmp, std::vector<std::string> args,
                                 std::vector<std::string> prefix = {}, bool cold_cache = false) {
  std::vector<std::string> argv = std::move(prefix);
  argv.push_back(ATTEST_SCOPES_BIN);
  argv.insert(argv.end(), args.begin(), args.end());
  std::map<std::string, std::string> env = {
      {"ATTEST_SAMPLE_JOURNAL", (tmp.path / "journal").string()},
      {"ATTEST_SAMPLE_MIGRATIONS", ATTEST_MIGRATIONS_DIR}};
  // A cold cache makes the server's start run initdb: seconds, not the tenths a cached
  // cluster takes, so a start charged to a test cannot hide in a loaded machine's noise.
  if (cold_cache) env.emplace("XDG_CACHE_HOME", (tmp.path / "cache").string());
  return attest_test::run_command(argv, ATTEST_SAMPLE_DIR, env);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scopes, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(suite_and_session_resources_come_and_go_in_order,
                     *attest::requirement("FR-062", "FR-067", "FR-070")) {
  TempDir tmp;
  auto report = tmp.path / "r.json";
  auto r = run_scopes(tmp, {"-m", "not failing", "--report-json", report.string()}, {}, true);
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  // The server's start is reported on its own line, not charged to the first test.
  const std::string started = "attest: session set-up: starting PostgreSQL in ";
  auto setup = r.out.find(started);
  BOOST_TEST_REQUIRE(setup != std::string::npos, r.out);
  double setup_s = std::stod(r.out.substr(setup + started.size()));
  auto results = boost::json::parse(read_file(report)).as_object();
  double first_ms = results.at("tests").as_array()[0].at("duration_ms").to_number<double>();
  BOOST_TEST(first_ms < setup_s * 1000.0, first_ms << " ms vs a " << setup_s << " s start");
  // A fixture's SkipTest (here pg::require_extension) is reported as skipped, with its reason.
  bool skipped = false;
  for (const auto& t : results.at("tests").as_array())
    if (t.at("id").as_string() == "orders/needs_an_extension_the_server_lacks")
      skipped = t.at("outcome").as_string() == "skipped" &&
                contains(std::string(t.at("message").as_string()),
                         "extension 'no_such_extension_xyz' is not available");
  BOOST_TEST(skipped, boost::json::serialize(results.at("tests")));
  auto j = lines(read_file(tmp.path / "journal"));
  BOOST_REQUIRE_EQUAL(j.size(), 7u);
  BOOST_TEST(j[0].rfind("suite database made orders_", 0) == 0, j[0]);
  std::string name = j[0].substr(std::string("suite database made ").size());
  BOOST_TEST(j[1] == "session resource made");
  BOOST_TEST(j[2] == "test 1 used " + name);
  BOOST_TEST(j[3] == "test 2 used " + name);  // made once for the suite
  BOOST_TEST(j[4] == "suite database gone");  // when its suite ended...
  BOOST_TEST(j[5] == "next suite runs");      // ...before the next one ran
  // Session resources go at the end of the run, while the server still answers.
  BOOST_TEST(j[6] == "session resource gone, server answered 1");
}

BOOST_AUTO_TEST_CASE(a_failed_suite_keeps_its_database, *attest::requirement("FR-062")) {
  TempDir tmp;
  auto r = run_scopes(tmp, {"-m", "failing"});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  BOOST_TEST(contains(r.err, "attest: suite failing_suite: kept database orders_"), r.err);
}

BOOST_AUTO_TEST_CASE(a_static_database_is_clean_at_exit_under_valgrind,
                     *attest::requirement("FR-063") * attest::mark("slow")) {
  TempDir tmp;
  auto r =
      run_scopes(tmp, {"-k", "static_database"},
                 {"valgrind", "--error-exitcode=99", "--errors-for-leak-kinds=none", "--quiet"});
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(!contains(r.err, "Invalid read"), r.err);
  BOOST_TEST(!contains(r.err, "pool stopped dropping"), r.err);
  BOOST_TEST(contains(r.out, "attest: 1 passed, 0 failed"), r.out);
}

BOOST_AUTO_TEST_CASE(attest_assertions_fail_at_the_callers_line, *attest::requirement("FR-064")) {
  TempDir tmp;
  auto report = tmp.path / "r.json";
  // Boost's own log, asked for, shows them at the user's line as its own failed checks do...
  auto r = run_scopes(tmp, {"--run_test=located", "--color_output=no", "--log_level=error",
                            "--report-json", report.string()});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  auto location_of = [](const std::string& needle) {
    return "scopes_tests.cpp:" + std::to_string(attest_test::line_of(
                                     std::string(ATTEST_SAMPLE_DIR) + "/scopes_tests.cpp", needle));
  };
  auto row_count = location_of("// LINE-ROW-COUNT");
  auto verify = location_of("// LINE-VERIFY");
  auto paren = [](std::string loc) {  // Boost's log writes file(line)
    auto colon = loc.rfind(':');
    return loc.substr(0, colon) + "(" + loc.substr(colon + 1) + ")";
  };
  BOOST_TEST(contains(r.out, paren(row_count) +
                                 ": fatal error: in \"located/row_count_fails_at_this_line\": "
                                 "table currency: expected exactly 4 rows, found 5"),
             r.out);
  BOOST_TEST(contains(r.out, paren(verify) + ": fatal error"), r.out);
  BOOST_TEST(!contains(r.out, "unknown location"), r.out);
  auto json = read_file(report);
  BOOST_TEST(contains(json, row_count + ": table currency: expected exactly 4 rows, found 5"),
             json);
  // ...and so does attest's terminal reporter by default.
  auto plain = run_scopes(tmp, {"--run_test=located"});
  BOOST_TEST(contains(plain.out, row_count + ": table currency: expected exactly 4 rows, found 5"),
             plain.out);
  BOOST_TEST(contains(plain.out, verify + ": expectation 'expectation-1'"), plain.out);
  BOOST_TEST(!contains(plain.out, "fatal error"), plain.out);  // Boost's log stays silent
}

BOOST_AUTO_TEST_SUITE_END()
