// One test environment for a whole run, driven as a user drives it: attest-env up,
// status, exec, down on a project's attest.json; test processes that use it through
// ATTEST_ENV; a supervisor killed with SIGKILL; bad declarations; the CTest fixture.
#include <attest/attest.hpp>
#include <attest/environment.hpp>
#include <attest/http_client.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

#include <signal.h>

#include <fstream>
#include <regex>

#include "environment_support.hpp"
#include "test_support.hpp"

using attest_test::CommandResult;
using attest_test::contains;
using attest_test::read_file;
using attest_test::TempDir;
using attest_test::write_file;
using strings = std::vector<std::string>;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A project: a database, a cache, two JSON mocks (MockServer's files and REST API), an HTTP
// service in another language that gets the database's URL, and a process wanted only by
// integration tests.
const char* kProject = R"({
  "markers": {"integration": "talks to the environment"},
  "services": {
    "db": {"type": "postgres"},
    "cache": {"type": "redis"},
    "auth": {"type": "mock", "files": ["mocks/auth.json"]},
    "storage": {"type": "mock", "files": "mocks/storage.json"},
    "api": {
      "type": "process",
      "command": ["sh", "-c", "echo db=$DATABASE_URL; exec python3 -m http.server {port} --bind 127.0.0.1"],
      "env": {"DATABASE_URL": "${db.url}"},
      "ready": {"http": "/"},
      "start_timeout": 30
    },
    "payments": {
      "type": "process",
      "when": "integration",
      "command": ["python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1"]
    }
  }
})";

const char* kAuthMock = R"([{"id": "token", "httpRequest": {"method": "POST", "path": "/token"},
  "httpResponse": {"statusCode": 200, "body": {"token": "t-1"}}}])";
const char* kStorageMock =
    R"([{"id": "upload", "httpRequest": {"method": "PUT", "path": "/objects/.+"},
  "httpResponse": {"statusCode": 201}}])";

// The project's files in `dir`: attest.json and its mocks.
void write_project(const fs::path& dir, const std::string& config = kProject) {
  write_file(dir / "attest.json", config);
  fs::create_directories(dir / "mocks");
  write_file(dir / "mocks" / "auth.json", kAuthMock);
  write_file(dir / "mocks" / "storage.json", kStorageMock);
}

CommandResult attest_env(const fs::path& project, strings args) {
  args.insert(args.begin(), {ATTEST_ENV_BIN, "--dir", (project / "env").string()});
  return attest_test::run_command(args, project);
}

bool listening(unsigned short port) {
  try {
    attest::wait_for_tcp("127.0.0.1", port, {.timeout = 0ms});
    return true;
  } catch (const attest::TimeoutError&) {
    return false;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(environment, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(up_status_use_down, *attest::requirement("FR-089", "FR-090", "FR-091")) {
  TempDir project;
  write_project(project.path);
  auto up = attest_env(project.path, {"up", "--env-file", (project.path / "vars.env").string(),
                                      "--env-file", (project.path / "vars.json").string()});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.out + up.err);
  BOOST_TEST(contains(up.out, "db (postgres): postgresql://postgres:***@127.0.0.1:"), up.out);
  auto env = attest::Environment::load(project.path / "env");
  // The database's password is in env.json and the env files, never on the terminal.
  auto url = env.service("db").url();
  auto password = url.substr(url.find(':', 14) + 1, url.find('@') - url.find(':', 14) - 1);
  BOOST_TEST(password.size() >= 16u, url);
  BOOST_TEST(!contains(up.out + up.err, password));
  BOOST_TEST(env.services().size() == 6u);
  for (const auto* name : {"db", "cache", "auth", "storage", "api", "payments"})
    BOOST_TEST(listening(env.service(name).port()), name);
  // The env files: dotenv and JSON, readable by their owner only (they hold passwords).
  auto dotenv = read_file(project.path / "vars.env");
  BOOST_TEST(contains(dotenv, "ATTEST_POSTGRES_URL=" + env.service("db").url() + "\n"));
  BOOST_TEST(contains(dotenv, "ATTEST_SERVICE_API_URL=" + env.service("api").url() + "\n"));
  auto json = boost::json::parse(read_file(project.path / "vars.json")).as_object();
  BOOST_TEST(std::string(json.at("ATTEST_REDIS_URL").as_string()) == env.service("cache").url());
  BOOST_TEST(((fs::status(project.path / "vars.env").permissions() & fs::perms::others_read) ==
              fs::perms::none));

  // A second up attaches to it instead of starting another.
  auto again = attest_env(project.path, {"up"});
  BOOST_TEST(again.exit_code == 0);
  BOOST_TEST(contains(again.out, "attached to the running environment"), again.out);
  BOOST_TEST(attest::Environment::load(project.path / "env").service("db").port() ==
             env.service("db").port());
  auto status = attest_env(project.path, {"status"});
  BOOST_TEST(status.exit_code == 0);
  BOOST_TEST(contains(status.out, "api (process): " + env.service("api").url()), status.out);
  auto logs = attest_env(project.path, {"logs", "api"});
  BOOST_TEST(contains(logs.out, "db=postgresql://"), logs.out);

  // Two test processes at once, both on the environment's servers and mocks.
  auto runs = attest_test::run_two_at_once(ATTEST_ENVUSER_BIN, project.path / "env", project.path,
                                           ATTEST_SAMPLE_DIR);
  auto* one = runs[0].get();
  auto* two = runs[1].get();
  for (auto* r : {one, two})
    BOOST_TEST(contains(r->exit_status(), "exit code 0"),
               r->exit_status() + read_file(r->log_path()));
  BOOST_TEST(contains(read_file(one->log_path()), "connecting to PostgreSQL"));
  BOOST_TEST(contains(read_file(two->log_path()), "attest: 4 passed, 0 failed, 1 skipped"));
  // Both binaries' requests reached the one auth mock.
  attest::HttpClient auth(env.service("auth").url());
  auto verified =
      auth.request("PUT", "/mockserver/verify",
                   R"({"httpRequest": {"path": "/token"}, "times": {"atLeast": 2, "atMost": 2}})");
  BOOST_TEST(verified.status == 202u, verified.body);

  // exec attaches too, runs the command with the variables, keeps what it did not start.
  auto exec = attest_env(
      project.path, {"exec", "--", "sh", "-c", "test -n \"$ATTEST_SERVICE_API_URL\" && exit 7"});
  BOOST_TEST(exec.exit_code == 7, exec.out + exec.err);
  BOOST_TEST(listening(env.service("db").port()));

  auto down = attest_env(project.path, {"down"});
  BOOST_TEST(down.exit_code == 0, down.out + down.err);
  for (const auto* name : {"db", "cache", "auth", "storage", "api", "payments"})
    BOOST_TEST(!listening(env.service(name).port()), name);
  BOOST_TEST(!fs::exists(project.path / "env"));
  BOOST_TEST(attest_env(project.path, {"status"}).exit_code == 1);
}

BOOST_AUTO_TEST_CASE(exec_brings_it_up_and_down, *attest::requirement("FR-090")) {
  TempDir project;
  write_project(project.path);
  // Only the services the markers need: no integration test here, so no payments mock.
  auto r = attest_env(project.path, {"exec", "--markers", "unit", "--", ATTEST_ENVUSER_BIN,
                                     "--config", std::string(ATTEST_SAMPLE_DIR) + "/attest.json"});
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(contains(r.out, "attest: 4 passed, 0 failed, 1 skipped"), r.out);
  BOOST_TEST(!fs::exists(project.path / "env"));
  auto failing = attest_env(project.path, {"exec", "--", "false"});
  BOOST_TEST(failing.exit_code == 1);
  BOOST_TEST(!fs::exists(project.path / "env"));
}

BOOST_AUTO_TEST_CASE(a_killed_supervisor_leaves_nothing, *attest::requirement("FR-088", "FR-090")) {
  TempDir project;
  write_project(project.path);
  BOOST_TEST_REQUIRE(attest_env(project.path, {"up", "--markers", "unit"}).exit_code == 0);
  auto env = attest::Environment::load(project.path / "env");
  BOOST_TEST(!env.services().count("payments"));  // "when": integration
  pid_t supervisor = 0;
  std::ifstream(project.path / "env" / "supervisor.pid") >> supervisor;
  BOOST_TEST_REQUIRE(supervisor > 1);
  auto killed = std::chrono::steady_clock::now();
  ::kill(supervisor, SIGKILL);
  attest::wait_for_condition(
      [&] {
        return !listening(env.service("db").port()) && !listening(env.service("cache").port()) &&
               !listening(env.service("api").port());
      },
      {.timeout = 5s, .description = "the services to stop"});
  BOOST_TEST((std::chrono::steady_clock::now() - killed <= 1s));
  auto down = attest_env(project.path, {"down"});  // nothing running: says so, exit 0
  BOOST_TEST(down.exit_code == 0, down.out + down.err);
}

BOOST_AUTO_TEST_CASE(bad_declarations_point_at_their_line, *attest::requirement("FR-089")) {
  TempDir project;
  auto error_for = [&](const std::string& config) {
    write_file(project.path / "attest.json", config);
    auto r = attest_env(project.path, {"up"});
    BOOST_TEST(r.exit_code == 2, r.out + r.err);
    BOOST_TEST(!fs::exists(project.path / "env" / "env.json"));
    return r.err;
  };
  auto config = (project.path / "attest.json").string();
  auto unknown =
      error_for("{\"services\": {\n  \"api\": {\"type\": \"process\",\n    \"comand\": [\"x\"]}}}");
  BOOST_TEST(contains(unknown, config + ":3:5: services.api.comand: unknown key \"comand\""),
             unknown);
  auto cycle = error_for(
      "{\"services\": {\n  \"a\": {\"type\": \"redis\", \"depends_on\": [\"b\"]},\n"
      "  \"b\": {\"type\": \"redis\", \"depends_on\": \"a\"}}}");
  BOOST_TEST(contains(cycle, "a cycle: a -> b -> a"), cycle);
  auto reference = error_for(
      "{\"services\": {\n  \"api\": {\"type\": \"process\", \"command\": [\"x\"],\n"
      "    \"env\": {\"DB\": \"${nope.url}\"}}}}");
  BOOST_TEST(contains(reference, config + ":3:"), reference);
  BOOST_TEST(contains(reference, "\"${nope.url}\" names no declared service"), reference);
  auto type = error_for("{\"services\": {\"q\": {\"type\": \"rabbitmq\"}}}");
  BOOST_TEST(
      contains(type,
               "unknown type \"rabbitmq\" (expected postgres, redis, mock, process, container)"),
      type);
  auto mock_key = error_for("{\"services\": {\"m\": {\"type\": \"mock\", \"port\": 70000}}}");
  BOOST_TEST(contains(mock_key, "services.m.port: expected a port number (1-65535)"), mock_key);
}

BOOST_AUTO_TEST_CASE(faults_say_what_happened, *attest::requirement("FR-090")) {
  TempDir project;
  // A service that never becomes ready: a clear error with its log, and nothing left running.
  write_file(project.path / "attest.json", R"({"services": {
    "db": {"type": "redis"},
    "stuck": {"type": "process", "command": ["sh", "-c", "echo still warming up; exec sleep 60"],
              "ready": {"log": "^ready$"}, "start_timeout": 1, "depends_on": ["db"]}}})");
  auto stuck = attest_env(project.path, {"up"});
  BOOST_TEST(stuck.exit_code == 1, stuck.out + stuck.err);
  BOOST_TEST(contains(stuck.err, "the environment did not start: timed out waiting for"),
             stuck.err);
  BOOST_TEST(contains(stuck.err, "still warming up"), stuck.err);
  BOOST_TEST(attest_env(project.path, {"status"}).exit_code == 1);

  // A service that dies: status says which, and fails.
  write_file(project.path / "attest.json", R"({"services": {"cache": {"type": "redis"},
    "api": {"type": "process", "command": ["python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1"]}}})");
  BOOST_TEST_REQUIRE(attest_env(project.path, {"up"}).exit_code == 0);
  const auto api = attest::Environment::load(project.path / "env").service("api");
  auto api_port = api.port();
  BOOST_TEST(attest_env(project.path, {"status"}).exit_code == 0);
  BOOST_TEST_REQUIRE(api.pid() > 1);
  ::kill(api.pid(), SIGKILL);
  attest::wait_for_condition([&] { return !listening(api_port); }, {.timeout = 5s});
  auto dead = attest_env(project.path, {"status"});
  BOOST_TEST(dead.exit_code == 1, dead.out);
  BOOST_TEST(contains(dead.out,
                      "DOWN: not running or nothing answers on its port; see attest-env logs api"),
             dead.out);
  BOOST_TEST(attest_env(project.path, {"down"}).exit_code == 0);

  // Two ups racing: one starts it, the other attaches once it is ready; one supervisor.
  write_file(project.path / "attest.json", R"({"services": {"cache": {"type": "redis"}}})");
  attest::Process a(ATTEST_ENV_BIN, {.args = {"--dir", (project.path / "env").string(), "up"},
                                     .cwd = project.path,
                                     .name = "up-a"});
  attest::Process b(ATTEST_ENV_BIN, {.args = {"--dir", (project.path / "env").string(), "up"},
                                     .cwd = project.path,
                                     .name = "up-b"});
  attest::wait_for_condition([&] { return !a.running() && !b.running(); },
                             {.timeout = 30s, .description = "both ups to finish"});
  auto logs = read_file(a.log_path()) + read_file(b.log_path());
  BOOST_TEST(contains(logs, "attest-env: up in "), logs);
  BOOST_TEST(contains(logs, "attached to the running environment"), logs);
  BOOST_TEST(contains(attest_env(project.path, {"status", "--show-secrets"}).out, "redis://:"));
  BOOST_TEST(attest_env(project.path, {"down"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(a_taken_port_is_named, *attest::requirement("FR-094")) {
  TempDir project;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(
      io, {boost::asio::ip::make_address("127.0.0.1"), 0});  // listening, as another program would
  auto port = std::to_string(taken.local_endpoint().port());
  write_project(project.path, R"({"services": {"cache": {"type": "redis"},
    "storage": {"type": "mock", "files": "mocks/storage.json", "port": )" +
                                  port + "}}}");
  auto up = attest_env(project.path, {"up"});
  BOOST_TEST(up.exit_code == 1, up.out + up.err);
  BOOST_TEST(contains(up.err, "storage exited before it was ready"), up.err);
  BOOST_TEST(contains(up.err, "cannot listen on 127.0.0.1:" + port + ": Address already in use"),
             up.err);
  BOOST_TEST(attest_env(project.path, {"status"}).exit_code == 1);  // the redis it started is gone
}

BOOST_AUTO_TEST_CASE(independent_services_start_together, *attest::requirement("FR-095")) {
  TempDir project;
  // Each is ready only once the other has started: started one after the other, neither would be.
  write_project(project.path, R"({"services": {
    "a": {"type": "process", "command": ["sh", "-c", "touch a.started; exec tail -f /dev/null"],
          "ready": {"command": ["test", "-e", "b.started"]}, "start_timeout": 20},
    "b": {"type": "process", "command": ["sh", "-c", "touch b.started; exec tail -f /dev/null"],
          "ready": {"command": ["test", "-e", "a.started"]}, "start_timeout": 20},
    "after": {"type": "process", "depends_on": ["a", "b"],
              "command": ["sh", "-c", "test -e a.started && test -e b.started && exec tail -f /dev/null"],
              "ready": {"started": true}}}})");
  auto up = attest_env(project.path, {"up"});
  BOOST_TEST(up.exit_code == 0, up.out + up.err);
  BOOST_TEST(attest_env(project.path, {"status"}).exit_code == 0);
  BOOST_TEST(attest_env(project.path, {"down"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(down_while_tests_run, *attest::requirement("FR-095")) {
  TempDir project;
  write_project(project.path);
  BOOST_TEST_REQUIRE(attest_env(project.path, {"up", "--markers", "unit"}).exit_code == 0);
  auto env = attest::Environment::load(project.path / "env");
  // A test holding a connection to the environment's PostgreSQL...
  attest::Process runner(ATTEST_ENVUSER_BIN,
                         {.args = {"--run_test=shared_environment/outlived_by_no_service"},
                          .env = {{"ATTEST_ENV", (project.path / "env").string()},
                                  {"ATTEST_CACHE_DIR", (project.path / "cache").string()}},
                          .cwd = ATTEST_SAMPLE_DIR,
                          .name = "runner"});
  attest::wait_for_log(runner.log_path(), "holding a connection", {.timeout = 30s});
  // ...does not keep down waiting: the server is stopped under it, and the runner sees that.
  auto down = attest_env(project.path, {"down"});
  BOOST_TEST(down.exit_code == 0, down.out + down.err);
  for (const auto* name : {"db", "cache", "auth", "storage", "api"})
    BOOST_TEST(!listening(env.service(name).port()), name);
  attest::wait_for_condition([&] { return !runner.running(); },
                             {.timeout = 30s, .description = "the runner to finish"});
  BOOST_TEST(contains(runner.exit_status(), "exit code 0"), runner.exit_status());
  BOOST_TEST(!fs::exists(project.path / "env"));
}

BOOST_AUTO_TEST_CASE(ctest_fixture_brings_it_up_once, *attest::requirement("FR-092")) {
  TempDir project;
  write_project(project.path);
  // A project whose two tests need the environment; CTest brings it up once, before both.
  write_file(project.path / "CMakeLists.txt", R"(cmake_minimum_required(VERSION 3.25)
project(uses_env NONE)
enable_testing()
add_executable(attest::attest-env IMPORTED)
set_target_properties(attest::attest-env PROPERTIES IMPORTED_LOCATION ")" ATTEST_ENV_BIN R"(")
include(")" ATTEST_SOURCE_DIR R"(/cmake/AttestEnvironment.cmake")
attest_add_environment(NAME services MARKERS unit)
add_test(NAME first COMMAND sh -c "test -f \"$ATTEST_ENV/env.json\" && cat \"$ATTEST_ENV/supervisor.pid\" >> ${CMAKE_BINARY_DIR}/pids")
add_test(NAME second COMMAND sh -c "test -f \"$ATTEST_ENV/env.json\" && cat \"$ATTEST_ENV/supervisor.pid\" >> ${CMAKE_BINARY_DIR}/pids")
add_test(NAME unrelated COMMAND sh -c "test -z \"$ATTEST_ENV\"")
attest_use_environment(NAME services TESTS first second)
)");
  auto build = project.path / "build";
  auto configure =
      attest_test::run_command({"cmake", "-S", project.path.string(), "-B", build.string()});
  BOOST_TEST_REQUIRE(configure.exit_code == 0, configure.out + configure.err);
  auto ctest = attest_test::run_command({"ctest", "-j2", "--output-on-failure"}, build);
  BOOST_TEST(ctest.exit_code == 0, ctest.out + ctest.err);
  BOOST_TEST(contains(ctest.out, "100% tests passed, 0 tests failed out of 5"), ctest.out);
  auto pids = read_file(build / "pids");
  BOOST_TEST(std::count(pids.begin(), pids.end(), '\n') == 2);
  BOOST_TEST(pids.substr(0, pids.find('\n')) == pids.substr(pids.find('\n') + 1, pids.find('\n')),
             pids);                                            // one supervisor for both
  BOOST_TEST(!fs::exists(build / "attest-env" / "services"));  // down after the last
  // ctest -R one_test still brings it up and down around that test.
  auto one = attest_test::run_command({"ctest", "-R", "^first$"}, build);
  BOOST_TEST(one.exit_code == 0, one.out + one.err);
  BOOST_TEST(contains(one.out, "services_up"), one.out);
  BOOST_TEST(contains(one.out, "services_down"), one.out);
}

BOOST_AUTO_TEST_SUITE_END()
