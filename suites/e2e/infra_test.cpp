// IntegrationTestBase, skips and phases, driven through the sample binary.
#include <attest/attest.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <iterator>
#include <thread>

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
  // The terminal's failures section shows them under the test.
  auto section = r.result.out.find("_ fails_with_a_service _");
  BOOST_TEST_REQUIRE(section != std::string::npos, r.result.out);
  BOOST_TEST(contains(r.result.out.substr(section), "orders-api: ERROR db timeout"), r.result.out);
}

BOOST_AUTO_TEST_CASE(a_failed_test_keeps_its_database, *attest::requirement("FR-035", "FR-069")) {
  auto r = run_infra({"--run_test=fails_with_a_database"});
  BOOST_TEST(r.result.exit_code == 1, r.result.out + r.result.err);
  std::string message(only_test(r).at("message").as_string());
  BOOST_TEST(contains(message, "kept database kept_"), message);
  // A command that works as printed (the 0700 unix socket; no password, masked or not)...
  BOOST_TEST(contains(message, "inspect it with: psql -h '"), message);
  BOOST_TEST(!contains(message, "***"), message);
  // ...and, without --keep-failed, how to keep the server next time.
  BOOST_TEST(contains(message, "run again with --keep-failed, or ATTEST_KEEP_FAILED=1"), message);
  // The server's log of the test's time at WARNING and above, with the statement: no
  // start-up, no checkpoints.
  BOOST_TEST(contains(message, "--- last lines of postgres ("), message);
  BOOST_TEST(contains(message, "ERROR:  relation \"no_such_table\" does not exist"), message);
  BOOST_TEST(contains(message, "STATEMENT:  SELECT * FROM no_such_table"), message);
  BOOST_TEST(!contains(message, "checkpoint"), message);
  BOOST_TEST(!contains(message, "ready to accept connections"), message);
  BOOST_TEST(contains(r.result.out, "kept database kept_"), r.result.out);
}

BOOST_AUTO_TEST_CASE(redis_service_providers_and_their_errors,
                     *attest::requirement("FR-040", "FR-041")) {
  auto local = run_infra({"--run_test=needs_redis"});
  BOOST_TEST(local.result.exit_code == 0, local.result.out + local.result.err);

  auto server =
      attest::RedisServer::start_local();  // an "existing" server for the external provider
  auto external = run_infra({"--run_test=needs_redis"}, {{"ATTEST_REDIS_URL", server->url()}});
  BOOST_TEST(external.result.exit_code == 0, external.result.out + external.result.err);
  BOOST_TEST(server->client().command("DBSIZE").integer() == 0);  // its keys went with the test

  auto no_binary = run_infra({"--run_test=needs_redis"}, {{"ATTEST_REDIS_BIN", "/nonexistent"}});
  std::string message(only_test(no_binary).at("message").as_string());
  BOOST_TEST(contains(message,
                      "Redis is not available (ATTEST_REDIS_BIN=/nonexistent is not an "
                      "executable redis-server): install the redis-server package"),
             message);

  auto refused = run_infra({"--run_test=needs_redis"},
                           {{"ATTEST_REDIS_URL", "redis://:secret@127.0.0.1:1/0"}});
  message = std::string(only_test(refused).at("message").as_string());
  BOOST_TEST(contains(message, "cannot connect to redis://:***@127.0.0.1:1/0"), message);
  BOOST_TEST(!contains(message, "secret"), message);
}

BOOST_AUTO_TEST_CASE(services_start_in_a_run_directory_with_spaces,
                     *attest::requirement("FR-034", "FR-041")) {
  attest_test::TempDir tmp;
  std::filesystem::permissions(tmp.path, std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);  // `nobody` runs PostgreSQL
  auto dir = tmp.path / "my runs";
  std::filesystem::create_directories(dir);
  for (const char* test : {"needs_postgres", "needs_redis"}) {
    auto r = run_infra({std::string("--run_test=") + test}, {{"ATTEST_RUN_DIR", dir.string()}});
    BOOST_TEST(r.result.exit_code == 0, test << ": " << r.result.out + r.result.err);
  }
  BOOST_TEST(std::filesystem::is_empty(dir), "left behind in " << dir);
}

BOOST_AUTO_TEST_CASE(a_failed_test_shows_what_its_mock_received, *attest::requirement("FR-046")) {
  auto r = run_infra({"--run_test=fails_with_a_mock"});
  BOOST_TEST(r.result.exit_code == 1, r.result.out + r.result.err);
  std::string message(only_test(r).at("message").as_string());
  BOOST_TEST(contains(message,
                      "received 2 requests (1 unmatched)\n"
                      "  - POST /api/auth/token (2 bytes) → 200 by 'token'\n"
                      "  - GET /api/wrong → 404"),
             message);
  BOOST_TEST(contains(message, "mock server http://127.0.0.1:"), message);
}

BOOST_AUTO_TEST_CASE(a_failed_test_shows_its_redis_keys, *attest::requirement("FR-042")) {
  auto r = run_infra({"--run_test=fails_with_redis_keys"});
  BOOST_TEST(r.result.exit_code == 1, r.result.out + r.result.err);
  std::string message(only_test(r).at("message").as_string());
  BOOST_TEST(contains(message, "when the test failed, redis held 2 keys under failing_"), message);
  BOOST_TEST(contains(message, ":count (string)\n"), message);
  BOOST_TEST(contains(message, ":objects (set)"), message);
  BOOST_TEST(contains(message, "--- last lines of redis ("), message);  // the server's log, too
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// Runs the sample's many_databases test in `n` processes at once.
std::vector<attest::CommandResult> run_concurrently(int n, std::map<std::string, std::string> env) {
  env["ATTEST_SAMPLE_MIGRATIONS"] = ATTEST_MIGRATIONS_DIR;
  std::vector<attest::CommandResult> results(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (auto& r : results)
    threads.emplace_back([&r, &env] {
      r = attest_test::run_command({ATTEST_INFRA_BIN, "--run_test=many_databases"}, {}, env);
    });
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(postgres_service, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(ready_made_service_declaration, *attest::requirement("FR-040", "FR-032")) {
  auto ok = run_infra({"--run_test=needs_postgres"});
  BOOST_TEST(ok.result.exit_code == 0, ok.result.out + ok.result.err);
  BOOST_TEST(only_test(ok).at("outcome").as_string() == "passed");

  auto bad = run_infra({"--run_test=needs_postgres"}, {{"ATTEST_PG_BIN", "/nonexistent/bin"}});
  BOOST_TEST(bad.result.exit_code == 1, bad.result.out + bad.result.err);
  std::string message(only_test(bad).at("message").as_string());
  BOOST_TEST(contains(message,
                      "PostgreSQL is not available (ATTEST_PG_BIN=/nonexistent/bin has no "
                      "postgres and initdb): install the postgresql package"),
             message);
}

BOOST_AUTO_TEST_CASE(concurrent_first_runs_build_one_cached_cluster,
                     *attest::requirement("FR-039", "FR-034")) {
  attest_test::TempDir cache;  // empty: both processes find no cluster and race to initdb
  for (const auto& r : run_concurrently(2, {{"XDG_CACHE_HOME", cache.path.string()}}))
    BOOST_TEST(r.exit_code == 0, r.describe_status() + "\n" + r.out + r.err);
  std::vector<std::string> entries;
  for (const auto& e : std::filesystem::recursive_directory_iterator(cache.path))
    if (e.path().parent_path().filename().string().rfind("postgres-", 0) == 0)
      entries.push_back(e.path().filename().string());
  std::sort(entries.begin(), entries.end());
  BOOST_TEST(entries == (std::vector<std::string>{"lock", "template"}),
             "no half-built copies left in the cache");
}

BOOST_AUTO_TEST_CASE(concurrent_processes_share_an_external_server,
                     *attest::requirement("FR-039", "FR-037")) {
  auto server = attest::PostgresServer::start_local();
  auto databases = [&] {
    pqxx::connection c(server->connection_string("postgres"));
    pqxx::nontransaction tx(c);
    std::vector<std::string> names;
    for (const auto& row : tx.exec("SELECT datname FROM pg_database ORDER BY datname"))
      names.push_back(row[0].as<std::string>());
    return names;
  };
  auto before = databases();
  for (const auto& r : run_concurrently(3, {{"ATTEST_POSTGRES_URL", server->url()}}))
    BOOST_TEST(r.exit_code == 0, r.describe_status() + "\n" + r.out + r.err);
  auto after = databases();
  std::vector<std::string> added;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));
  // One template for the one migration set; every test database and spare dropped.
  std::string listed;
  for (const auto& a : added) listed += a + " ";
  BOOST_TEST_REQUIRE(added.size() == 1u, listed);
  BOOST_TEST(added[0].rfind("attest_tpl_", 0) == 0u, added[0]);
}

BOOST_AUTO_TEST_CASE(keep_failed_leaves_an_inspectable_server,
                     *attest::requirement("FR-071") * attest::mark("slow")) {
  auto r = run_infra({"--run_test=fails_with_a_database", "--keep-failed"});
  BOOST_TEST_REQUIRE(r.result.exit_code == 1, r.result.out + r.result.err);
  std::string message(only_test(r).at("message").as_string());
  auto at = message.find("psql -h '");
  BOOST_TEST_REQUIRE(at != std::string::npos, message);
  std::string psql = message.substr(at, message.find('\n', at) - at);
  BOOST_TEST(contains(message, "the server keeps running after the run"), message);
  // The run is over; its server is not, and the command works as printed.
  auto inspect = attest_test::run_command({"sh", "-c", psql + " -Atc 'SELECT count(*) FROM pg_database'"});
  BOOST_TEST(inspect.exit_code == 0, psql << "\n" << inspect.err);
  auto listed = attest_test::run_command({ATTEST_INFRA_BIN, "--list-kept"});
  BOOST_TEST(listed.exit_code == 0);
  BOOST_TEST(contains(listed.out, psql), listed.out);
  auto stopped = attest_test::run_command({ATTEST_INFRA_BIN, "--stop-kept"});
  BOOST_TEST(contains(stopped.out, "attest: stopped "), stopped.out);
  auto gone = attest_test::run_command({"sh", "-c", psql + " -Atc 'SELECT 1'"});
  BOOST_TEST(gone.exit_code != 0);  // stopped, and its directory removed
  BOOST_TEST(!contains(attest_test::run_command({ATTEST_INFRA_BIN, "--list-kept"}).out, psql));

  // Kept runs never leak: a later run reaps them once older than ATTEST_KEEP_MAX_AGE.
  auto again = run_infra({"--run_test=fails_with_a_database", "--keep-failed"});
  std::string second(only_test(again).at("message").as_string());
  at = second.find("psql -h '");
  BOOST_TEST_REQUIRE(at != std::string::npos, second);
  psql = second.substr(at, second.find('\n', at) - at);
  run_infra({"--run_test=fails_with_a_database"}, {{"ATTEST_KEEP_MAX_AGE", "0"}});
  BOOST_TEST(!contains(attest_test::run_command({ATTEST_INFRA_BIN, "--list-kept"}).out, psql));
  BOOST_TEST(attest_test::run_command({"sh", "-c", psql + " -Atc 'SELECT 1'"}).exit_code != 0);
}

BOOST_AUTO_TEST_SUITE_END()
