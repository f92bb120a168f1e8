// IntegrationTestBase, skips and phases, driven through the sample binary.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include "test_support.hpp"

namespace {

using attest_test::contains;

struct Run {
  attest::CommandResult result;
  boost::json::object report;
};

Run run_infra(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  attest_test::TempDir tmp;
  auto report = tmp.path / "r.json";
  args.insert(args.begin(), {ATTEST_INFRA_BIN, "--report-json", report.string()});
  Run run{attest_test::run_command(args, tmp.path, env), {}};
  if (std::filesystem::exists(report))
    run.report = boost::json::parse(attest_test::read_file(report)).as_object();
  return run;
}

const boost::json::object& only_test(const Run& r) {
  BOOST_TEST_REQUIRE(r.report.at("tests").as_array().size() == 1u);
  return r.report.at("tests").as_array()[0].as_object();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(integration_base, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(missing_service_fails_naming_it, *attest::requirement("FR-032")) {
  auto r = run_infra({"--run_test=needs_missing_service"});
  BOOST_TEST(r.result.exit_code == 1, r.result.out + r.result.err);
  const auto& t = only_test(r);
  BOOST_TEST(t.at("outcome").as_string() == "failed");
  std::string message(t.at("message").as_string());
  BOOST_TEST(
      contains(message,
               "message-queue is not available: start it with `make queue` or set QUEUE_URL"),
      message);
}

BOOST_AUTO_TEST_CASE(or_skips_it_when_asked, *attest::requirement("FR-032")) {
  auto r = run_infra({"--run_test=needs_missing_service"}, {{"ATTEST_SKIP_UNAVAILABLE", "1"}});
  BOOST_TEST(r.result.exit_code == 0, r.result.out + r.result.err);  // skipped is not a failure...
  const auto& t = only_test(r);
  BOOST_TEST(t.at("outcome").as_string() == "skipped");  // ...and never a pass
  BOOST_TEST(contains(std::string(t.at("message").as_string()), "message-queue is not available"));
  BOOST_TEST(r.report.at("summary").at("skipped").as_int64() == 1);
  BOOST_TEST(r.report.at("summary").at("passed").as_int64() == 0);
  BOOST_TEST(contains(r.result.out, "attest: 0 passed, 0 failed, 1 skipped"), r.result.out);
}

BOOST_AUTO_TEST_CASE(phases_are_logged_and_reported, *attest::requirement("FR-033")) {
  auto r = run_infra({"--run_test=phases"});
  BOOST_TEST(r.result.exit_code == 1);
  BOOST_TEST(contains(r.result.out, "[PHASE] load started\n"), r.result.out);
  BOOST_TEST(contains(r.result.out, "[PHASE] load passed in 0.0"), r.result.out);
  BOOST_TEST(contains(r.result.out, "[PHASE] verify failed in "), r.result.out);
  const auto& phases = only_test(r).at("phases").as_array();
  BOOST_TEST_REQUIRE(phases.size() == 2u);
  BOOST_TEST(phases[0].at("name").as_string() == "load");
  BOOST_TEST(phases[0].at("outcome").as_string() == "passed");
  BOOST_TEST(phases[1].at("outcome").as_string() == "failed");
  BOOST_TEST(phases[1].at("duration_ms").as_double() >= 0.0);
}

BOOST_AUTO_TEST_CASE(teardown_runs_when_the_body_or_setup_throws, *attest::requirement("FR-032")) {
  attest_test::TempDir tmp;
  auto journal = (tmp.path / "journal").string();
  auto body = run_infra({"--run_test=teardown_after_throw"}, {{"ATTEST_SAMPLE_JOURNAL", journal}});
  BOOST_TEST(body.result.exit_code == 1);
  auto setup = run_infra({"--run_test=teardown_after_throw"},
                         {{"ATTEST_SAMPLE_JOURNAL", journal}, {"ATTEST_SAMPLE_FAIL_SETUP", "1"}});
  BOOST_TEST(setup.result.exit_code == 1);
  std::string lines = attest_test::read_file(journal);
  std::size_t teardowns = 0;
  for (auto p = lines.find("\nteardown\n"); p != std::string::npos;
       p = lines.find("\nteardown\n", p + 1))
    ++teardowns;
  BOOST_TEST(teardowns == 2u, lines);
}

BOOST_AUTO_TEST_CASE(each_test_has_its_namespace, *attest::requirement("FR-029", "FR-032")) {
  auto r = run_infra({"--run_test=unique_namespace"});
  BOOST_TEST(r.result.exit_code == 0, r.result.out + r.result.err);
}

BOOST_AUTO_TEST_CASE(failures_carry_the_service_log_tails, *attest::requirement("FR-028")) {
  auto r = run_infra({"--run_test=fails_with_a_service"});
  BOOST_TEST(r.result.exit_code == 1);
  std::string message(only_test(r).at("message").as_string());
  BOOST_TEST(contains(message, "the sync did not finish"), message);
  BOOST_TEST(contains(message, "--- last lines of orders-api ("), message);
  BOOST_TEST(contains(message, "orders-api: ERROR db timeout"), message);
  BOOST_TEST(
      contains(r.result.err, "attest: service logs for the failed test fails_with_a_service:"),
      r.result.err);
}

BOOST_AUTO_TEST_CASE(a_failed_test_keeps_its_database, *attest::requirement("FR-035")) {
  auto r = run_infra({"--run_test=fails_with_a_database"});
  BOOST_TEST(r.result.exit_code == 1, r.result.out + r.result.err);
  std::string message(only_test(r).at("message").as_string());
  BOOST_TEST(contains(message, "kept database kept_"), message);
  BOOST_TEST(contains(message, "inspect it with: psql 'postgresql://postgres:***@127.0.0.1:"),
             message);
  BOOST_TEST(contains(message, "--- last lines of postgres ("), message);  // the server's log, too
  BOOST_TEST(contains(r.result.err, "attest: kept database kept_"), r.result.err);
}

BOOST_AUTO_TEST_SUITE_END()
