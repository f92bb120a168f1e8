// Session servers in containers: ATTEST_POSTGRES_IMAGE / ATTEST_REDIS_IMAGE make
// PostgresServer::session() / RedisServer::session() containers of an image, with the whole API
// unchanged — shown with attest's own test images (ci/build-images.sh: PostgreSQL 15 from
// Debian bookworm, PostgreSQL 17 with pgvector from trixie, Redis 7), which follow the official
// postgres and redis images' conventions.
#include <attest/attest.hpp>
#include <attest/container.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>
#include <attest/run_dir.hpp>

#include <boost/json.hpp>

#include <fstream>

#include "container_support.hpp"
#include "test_support.hpp"

using attest_test::contains;
using attest_test::TempDir;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string pg15 = "attest-test/postgres15:latest-local";
const std::string pg17 = "attest-test/postgres17:latest-local";
const std::string redis = "attest-test/redis:latest-local";

json::value inspect(attest::ContainerEngine& engine, const std::string& id) {
  return json::parse(engine.call("GET", "/containers/" + id + "/json").body);
}

bool exists(attest::ContainerEngine& engine, const std::string& id) {
  return engine.call("GET", "/containers/" + id + "/json", {}, 404).status != 404;
}

// The containers whose run directory is below `dir`: what runs started there left.
std::vector<std::string> containers_of_runs_in(attest::ContainerEngine& engine,
                                               const fs::path& dir) {
  std::vector<std::string> out;
  auto all = json::parse(engine.call("GET", "/containers/json?all=1").body).as_array();
  for (const auto& c : all) {
    const auto& labels = c.at("Labels").as_object();
    auto run_dir = labels.find("attest.run_dir");
    if (run_dir != labels.end() &&
        std::string(run_dir->value().as_string()).rfind(dir.string(), 0) == 0)
      out.emplace_back(c.at("Id").as_string());
  }
  return out;
}

struct Run {
  attest::CommandResult result;
  json::object report;
};

// A test binary run with its run directory under `tmp` and `env` added.
Run run_binary(const TempDir& tmp, std::vector<std::string> argv,
               std::map<std::string, std::string> env, const fs::path& cwd = {}) {
  auto report = tmp.path / "results.json";
  argv.insert(argv.begin() + 1, {"--report-json", report.string()});
  env.emplace("ATTEST_RUN_DIR", (tmp.path / "run").string());
  Run run{attest_test::run_command(argv, cwd.empty() ? tmp.path : cwd, env), {}};
  if (fs::exists(report)) run.report = json::parse(attest_test::read_file(report)).as_object();
  return run;
}

std::string only_message(const Run& r) {
  const auto& tests = r.report.at("tests").as_array();
  BOOST_TEST_REQUIRE(tests.size() == 1u);
  const auto& t = tests[0].as_object();
  auto m = t.find("message");
  return m == t.end() ? "" : std::string(m->value().as_string());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(container_servers, *attest::mark("e2e") * attest::mark("container"))

BOOST_AUTO_TEST_CASE(postgres_in_a_container_keeps_the_whole_api, *attest::requirement("FR-127")) {
  auto& engine = attest_test::need_images({pg17});
  auto server = attest::PostgresServer::start_container(pg17);
  BOOST_TEST(!server->is_local());
  BOOST_TEST(server->owned());
  BOOST_TEST_REQUIRE(server->container() != nullptr);
  std::string id = server->container()->id();
  // Published on loopback only, the password random and masked.
  BOOST_TEST(contains(server->url(), "@127.0.0.1:"), server->display_url());
  auto url = server->url();
  auto from = url.find(':', std::string("postgresql://").size()) + 1;
  std::string password = url.substr(from, url.find('@') - from);
  BOOST_TEST(password.size() == 32u, server->display_url());
  BOOST_TEST(!contains(server->display_url(), password), server->display_url());

  // A database from migrations (a template, cloned), an application role, rollback, an extension.
  TempDir migrations;
  {
    std::ofstream(migrations.path / "001_items.sql")
        << "CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL);\n";
    attest::PostgresDatabase db(*server, "items", migrations.path, {.roles = {"app"}});
    attest::pg::expect_table_exists(db.connection(), "item");
    {
      attest::PostgresTransaction tx(db);
      tx->exec("INSERT INTO item (name) VALUES ('rolled back')");
      attest::pg::expect_row_count(tx.work(), "item", 1);
    }
    attest::pg::expect_row_count(db.connection(), "item", 0);
    {
      auto app = db.connect_as("app");
      pqxx::work w(*app);
      w.exec("INSERT INTO item (name) VALUES ('by the app')");
      BOOST_TEST(w.exec1("SELECT current_user")[0].as<std::string>() == db.role_name("app"));
      w.commit();
    }
    attest::pg::expect_row_count(db.connection(), "item", 1);
    attest::pg::require_extension(db.connection(), "vector");  // pgvector, in the 17 image
    attest::pg::expect_extension(db.connection(), "vector");

    // The psql line a failure report prints reaches the database (here without a terminal: -i).
    std::string psql = db.psql_command();
    BOOST_TEST(contains(psql, "docker exec -it " + id.substr(0, 12) + " psql"), psql);
    psql.replace(psql.find(" -it "), 5, " -i ");
    auto count = attest_test::run_command({"sh", "-c", psql + " -Atc 'SELECT count(*) FROM item'"});
    BOOST_TEST(count.out == "1\n", psql << ": " << count.out << count.err);

    // The password is nowhere in what the engine shows of the container but its environment,
    // and never in the log attest keeps.
    BOOST_TEST(!contains(server->container()->logs(), password));
  }  // the database goes while its server runs
  BOOST_TEST(exists(engine, id));
  server->shutdown();
  BOOST_TEST(!exists(engine, id), "the container outlived its server");
}

// The test process reaches a container's server as it reaches a local one, through its socket
// (a directory of the run mounted into the container): no port proxy, no TCP, no SCRAM per
// connection. attest-env's server the same way, through ATTEST_POSTGRES_SOCKET.
BOOST_AUTO_TEST_CASE(a_postgres_container_is_reached_through_its_socket,
                     *attest::requirement("FR-166")) {
  attest_test::need_images({pg15});
  auto server = attest::PostgresServer::start_container(pg15);
  std::string socket = server->socket_path();
  BOOST_TEST_REQUIRE(!socket.empty(), "the container's server is reached over TCP only");
  BOOST_TEST(fs::is_socket(socket), socket);
  BOOST_TEST(contains(socket, attest::RunDir::current().path().string()), socket);
  BOOST_TEST(contains(server->connection_string("postgres"), "host="), "not the socket");
  BOOST_TEST(contains(server->url(), "@127.0.0.1:"), "the URL stays TCP for other processes");
  {
    // Databases and roles through it (an image's server may want the role's password there).
    attest::PostgresDatabase db(*server, "sock", {}, {.roles = {"app"}});
    auto app = db.connect_as("app");
    pqxx::work w(*app);
    // No client address: a unix-socket connection.
    BOOST_TEST(w.exec1("SELECT inet_client_addr() IS NULL")[0].as<bool>());
  }

  // What attest-env gives: the URL and the socket, from the same place.
  auto url = server->url("postgres");
  struct Unset {
    ~Unset() {
      ::unsetenv("ATTEST_POSTGRES_URL");
      ::unsetenv("ATTEST_POSTGRES_SOCKET");
    }
  } unset;
  ::setenv("ATTEST_POSTGRES_URL", url.c_str(), 1);
  ::setenv("ATTEST_POSTGRES_SOCKET", socket.c_str(), 1);
  auto through_env = attest::PostgresServer::connect_external(url);
  BOOST_TEST(through_env->socket_path() == socket);
  // Another URL is another server: the socket is not used for it.
  auto other = url;
  other.replace(other.rfind('/'), std::string::npos, "/template1");
  BOOST_TEST(attest::PostgresServer::connect_external(other)->socket_path() == "");
  // A socket that does not answer: TCP, as before.
  ::setenv("ATTEST_POSTGRES_SOCKET", "/nonexistent/.s.PGSQL.5432", 1);
  auto fallback = attest::PostgresServer::connect_external(url);
  BOOST_TEST(fallback->socket_path() == "");
  pqxx::connection tcp(fallback->connection_string("postgres"));
  BOOST_TEST(tcp.is_open());
  through_env->shutdown();
  fallback->shutdown();
}

// An engine that does not see this process's files (one in a VM, or the host's engine used from
// a runner in a container) cannot mount the socket's directory: the container starts without it
// and the test process reaches the server over TCP, leaving nothing on the engine's side. Shown
// with the run directory on a tmpfs only the test binary's mount namespace has.
BOOST_AUTO_TEST_CASE(a_postgres_container_is_reached_over_tcp_when_the_engine_cannot_mount,
                     *attest::requirement("FR-166")) {
  auto& engine = attest_test::need_images({pg15});
  if (::geteuid() != 0) throw attest::SkipTest("a mount namespace of its own needs root here");
  TempDir tmp;
  fs::path hidden = tmp.path / "hidden";
  fs::create_directory(hidden);
  auto r = attest_test::run_command({"unshare", "-m", "--propagation", "private", "sh", "-c",
                                     "mount -t tmpfs tmpfs \"$0\" && exec \"$@\"", hidden.string(),
                                     ATTEST_INFRA_BIN, "--run_test=many_databases"},
                                    tmp.path,
                                    {{"ATTEST_POSTGRES_IMAGE", pg15},
                                     {"ATTEST_RUN_DIR", (hidden / "run").string()},
                                     {"ATTEST_SAMPLE_MIGRATIONS", ATTEST_MIGRATIONS_DIR}});
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(contains(r.out, "1 passed"), r.out);
  // The engine made no directory of its own where the mount's source was.
  BOOST_TEST(fs::is_empty(hidden), "the engine created " << hidden.string() << "/...");
  BOOST_TEST(containers_of_runs_in(engine, hidden).empty(), "a container was left");
}

BOOST_AUTO_TEST_CASE(redis_in_a_container_keeps_the_whole_api, *attest::requirement("FR-128")) {
  auto& engine = attest_test::need_images({redis});
  auto server = attest::RedisServer::start_container(redis);
  BOOST_TEST(!server->is_local());
  BOOST_TEST_REQUIRE(server->container() != nullptr);
  std::string id = server->container()->id();
  {
    attest::RedisNamespace keys(*server, "orders");
    keys.client().command("SET", keys.key("count"), 3);
    BOOST_TEST(keys.client().command("GET", keys.key("count")).str() == "3");
  }
  // A password is needed, and it is not on the server's command line.
  auto url = server->url();
  std::string password = url.substr(9, url.find('@') - 9);
  BOOST_TEST(password.size() == 32u, server->display_url());
  std::string no_password = "redis://" + url.substr(url.find('@') + 1);
  BOOST_CHECK_THROW(attest::RedisClient(no_password).command("SET", "x", 1), std::exception);
  auto info = inspect(engine, id);
  BOOST_TEST(!contains(json::serialize(info.at("Args")), password));
  BOOST_TEST(!contains(json::serialize(info.at("Config").at("Cmd")), password));
  server->shutdown();
  BOOST_TEST(!exists(engine, id), "the container outlived its server");
}

// The switch users have: the same suite, unchanged, on two PostgreSQL versions in containers.
BOOST_AUTO_TEST_CASE(the_dblayer_suite_is_green_on_postgres_15_and_17_containers,
                     *attest::requirement("FR-129") * attest::mark("slow")) {
  auto& engine = attest_test::need_images({pg15, pg17});
  for (const auto& image : {pg15, pg17}) {
    TempDir tmp;
    fs::permissions(tmp.path,
                    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    auto r = run_binary(tmp, {ATTEST_DBLAYER_BIN},
                        {{"ATTEST_POSTGRES_IMAGE", image},
                         {"DBLAYER_MIGRATIONS", std::string(ATTEST_DBLAYER_DIR) + "/migrations"}},
                        ATTEST_DBLAYER_DIR);
    BOOST_TEST(r.result.exit_code == 0, image << ":\n" << r.result.out << r.result.err);
    BOOST_TEST(contains(r.result.out, "starting PostgreSQL (container " + image + ")"),
               r.result.out);
    BOOST_TEST_REQUIRE(r.report.count("summary"));
    const auto& summary = r.report.at("summary").as_object();
    BOOST_TEST(summary.at("passed").as_int64() >= 60, image);
    BOOST_TEST(summary.at("failed").as_int64() == 0, image);
    BOOST_TEST(containers_of_runs_in(engine, tmp.path).empty(), image << ": a container was left");
  }
}

BOOST_AUTO_TEST_CASE(a_failed_tests_container_is_kept_and_reported_with_its_log,
                     *attest::requirement("FR-130") * attest::mark("slow")) {
  auto& engine = attest_test::need_images({pg15});
  TempDir tmp;
  auto r = run_binary(tmp, {ATTEST_INFRA_BIN, "--run_test=fails_with_a_database", "--keep-failed"},
                      {{"ATTEST_POSTGRES_IMAGE", pg15}});
  BOOST_TEST_REQUIRE(r.result.exit_code == 1, r.result.out + r.result.err);
  std::string message = only_message(r);
  // The report quotes the container's log of the test's window: the server's error, not its
  // start-up.
  BOOST_TEST(contains(message, "relation \"no_such_table\" does not exist"), message);
  BOOST_TEST(!contains(message, "database system is ready"), message);
  auto at = message.find("docker exec -it ");
  BOOST_TEST_REQUIRE(at != std::string::npos, message);
  std::string psql = message.substr(at, message.find('\n', at) - at);
  BOOST_TEST(contains(message, "the server keeps running after the run"), message);

  // The run is over; its container is not, and the line works as printed (-i: no terminal here).
  auto kept = containers_of_runs_in(engine, tmp.path);
  BOOST_TEST_REQUIRE(kept.size() == 1u);
  std::string command = psql;
  command.replace(command.find(" -it "), 5, " -i ");
  auto inspect_db = attest_test::run_command({"sh", "-c", command + " -Atc 'SELECT 1'"});
  BOOST_TEST(inspect_db.out == "1\n", command << ": " << inspect_db.out << inspect_db.err);
  std::map<std::string, std::string> env{{"ATTEST_RUN_DIR", (tmp.path / "run").string()}};
  auto listed = attest_test::run_command({ATTEST_INFRA_BIN, "--list-kept"}, tmp.path, env);
  BOOST_TEST(contains(listed.out, psql), listed.out);
  auto stopped = attest_test::run_command({ATTEST_INFRA_BIN, "--stop-kept"}, tmp.path, env);
  BOOST_TEST(contains(stopped.out, "attest: stopped "), stopped.out);
  BOOST_TEST(containers_of_runs_in(engine, tmp.path).empty(), "--stop-kept left the container");

  // Kept containers never leak: a later run reaps them once older than ATTEST_KEEP_MAX_AGE.
  run_binary(tmp, {ATTEST_INFRA_BIN, "--run_test=fails_with_a_database", "--keep-failed"},
             {{"ATTEST_POSTGRES_IMAGE", pg15}});
  BOOST_TEST_REQUIRE(containers_of_runs_in(engine, tmp.path).size() == 1u);
  env["ATTEST_KEEP_MAX_AGE"] = "0";
  attest_test::run_command({ATTEST_INFRA_BIN, "--run_test=fails_with_a_service"}, tmp.path, env);
  BOOST_TEST(containers_of_runs_in(engine, tmp.path).empty(), "a later run left the container");
}

BOOST_AUTO_TEST_CASE(redis_sessions_from_an_image, *attest::requirement("FR-128")) {
  auto& engine = attest_test::need_images({redis});
  TempDir tmp;
  auto r = run_binary(tmp, {ATTEST_INFRA_BIN, "--run_test=needs_redis,fails_with_redis_keys"},
                      {{"ATTEST_REDIS_IMAGE", redis}});
  BOOST_TEST(r.result.exit_code == 1,
             r.result.out + r.result.err);  // the one that fails on purpose
  BOOST_TEST(contains(r.result.out, "starting Redis (container " + redis + ")"), r.result.out);
  const auto& summary = r.report.at("summary").as_object();
  BOOST_TEST(summary.at("passed").as_int64() == 1);
  BOOST_TEST(summary.at("failed").as_int64() == 1);
  BOOST_TEST(containers_of_runs_in(engine, tmp.path).empty(), "a container was left");
}

// The same switch in attest.json: attest-env starts the declared servers as containers and the
// test processes under it get their URLs.
BOOST_AUTO_TEST_CASE(declared_servers_with_an_image_are_containers,
                     *attest::requirement("FR-131") * attest::requirement("FR-166")) {
  auto& engine = attest_test::need_images({pg15, redis});
  TempDir project;
  attest_test::write_file(project.path / "attest.json", R"({
  "services": {
    "postgres": {"image": ")" + pg15 + R"("},
    "cache": {"type": "redis", "image": ")" + redis + R"("}
  }
})");
  std::map<std::string, std::string> env{{"ATTEST_RUN_DIR", (project.path / "run").string()}};
  auto r = attest_test::run_command(
      {ATTEST_ENV_BIN, "--dir", (project.path / "env").string(), "exec", "--", "sh", "-c",
       "psql \"$ATTEST_POSTGRES_URL\" -Atc 'SELECT 40 + 2' && "
       "test -S \"$ATTEST_POSTGRES_SOCKET\" && "
       "pw=${ATTEST_REDIS_URL#redis://:} && pw=${pw%%@*} && "
       "redis-cli -h 127.0.0.1 -p \"$ATTEST_SERVICE_CACHE_PORT\" -a \"$pw\" --no-auth-warning "
       "PING && "
       "echo \"$ATTEST_SERVICE_CACHE_PORT\""},
      project.path, env);
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(contains(r.out, "42\nPONG\n"), r.out);
  BOOST_TEST(containers_of_runs_in(engine, project.path).empty(), "a container was left");

  // An image for a service that has none, and an empty one, are errors at their line.
  attest_test::write_file(project.path / "attest.json", R"({
  "services": {
    "auth": {"type": "process", "command": ["x"], "image": "mockserver"}
  }
})");
  auto bad = attest_test::run_command(
      {ATTEST_ENV_BIN, "--dir", (project.path / "env").string(), "exec", "--", "true"},
      project.path, env);
  BOOST_TEST(bad.exit_code == 2, bad.out + bad.err);
  BOOST_TEST(contains(bad.err, "attest.json:3:"), bad.err);
  BOOST_TEST(contains(bad.err, "unknown key \"image\" for a process service"), bad.err);
}

BOOST_AUTO_TEST_SUITE_END()
