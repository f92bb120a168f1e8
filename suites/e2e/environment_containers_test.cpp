// The declared environment with containers, driven as a user drives it: attest.json services
// that are containers (PostgreSQL and Redis from images, a one-shot seed job, the team's service
// built from its Dockerfile) beside local mocks and processes, shared by two test binaries; a
// Compose file in our users' shape run as it is; a typo in it; a supervisor killed with SIGKILL.
// Nothing of any of them may stay on the engine.
#include <attest/attest.hpp>
#include <attest/container.hpp>
#include <attest/environment.hpp>
#include <attest/http_client.hpp>

#include <boost/json.hpp>

#include <signal.h>

#include <fstream>

#include "container_support.hpp"
#include "environment_support.hpp"
#include "test_support.hpp"

using attest_test::contains;
using attest_test::TempDir;
using strings = std::vector<std::string>;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string pg15 = "attest-test/postgres15:latest-local";
const std::string redis = "attest-test/redis:latest-local";
const std::string debian = "attest-debian:bookworm";
const fs::path data = fs::path(ATTEST_E2E_DATA) / "containers";

// What runs whose run directory is below `dir` left on the engine: "container <name>", ...
strings engine_objects_of_runs_in(attest::ContainerEngine& engine, const fs::path& dir) {
  strings out;
  auto mine = [&](const json::value& labels) {
    if (!labels.is_object()) return false;
    auto* run_dir = labels.as_object().if_contains("attest.run_dir");
    return run_dir && std::string(run_dir->as_string()).rfind(dir.string(), 0) == 0;
  };
  auto containers = json::parse(engine.call("GET", "/containers/json?all=1").body);
  for (const auto& c : containers.as_array())
    if (mine(c.at("Labels")))
      out.push_back("container " + std::string(c.at("Names").at(0).as_string()));
  auto networks = json::parse(engine.call("GET", "/networks").body);
  for (const auto& n : networks.as_array())
    if (mine(n.at("Labels"))) out.push_back("network " + std::string(n.at("Name").as_string()));
  auto volumes = json::parse(engine.call("GET", "/volumes").body);
  if (volumes.at("Volumes").is_array())
    for (const auto& v : volumes.at("Volumes").as_array())
      if (mine(v.at("Labels"))) out.push_back("volume " + std::string(v.at("Name").as_string()));
  return out;
}

std::string joined(const strings& items) {
  std::string out;
  for (const auto& i : items) out += i + "; ";
  return out;
}

// attest-env with the project's environment directory and run directory.
attest::CommandResult attest_env(const fs::path& project, strings args) {
  args.insert(args.begin(), {ATTEST_ENV_BIN, "--dir", (project / "env").string()});
  return attest_test::run_command(args, project, {{"ATTEST_RUN_DIR", (project / "run").string()}});
}

// Takes the project's environment down however the test ends: a failed check must not leave
// a supervisor and its containers running.
struct DownAtEnd {
  fs::path project;
  ~DownAtEnd() { attest_env(project, {"down"}); }
};

// Our users' Compose file (data/containers), copied into `project`, up with its `integration`
// profile; returns the file's path in the copy and what attest-env said.
std::pair<std::string, attest::CommandResult> up_compose_project(const fs::path& project) {
  fs::copy(data, project / "app", fs::copy_options::recursive);
  auto file = (project / "app" / "docker-compose.test.yml").string();
  return {file, attest_env(project, {"up", "-f", file, "--profile", "integration"})};
}

std::string get(unsigned short port, const std::string& path, unsigned expected = 200) {
  attest::HttpClient client("http://127.0.0.1:" + std::to_string(port));
  auto r = client.get(path);
  BOOST_TEST(r.status == expected, path << ": " << r.status << " " << r.body);
  return r.body;
}

std::string project_config(const std::string& orders_context) {
  return R"({
  "services": {
    "db": {"type": "postgres", "image": ")" +
         pg15 + R"("},
    "cache": {"type": "redis", "image": ")" +
         redis + R"("},
    "auth": {"type": "mock", "files": ["mocks/auth.json"]},
    "storage": {"type": "mock", "files": "mocks/storage.json"},
    "api": {
      "type": "process",
      "command": ["sh", "-c", "echo db=$DATABASE_URL; exec python3 -m http.server {port} --bind 127.0.0.1"],
      "env": {"DATABASE_URL": "${db.url}"},
      "ready": {"http": "/"}
    },
    "seed": {
      "type": "container", "image": ")" +
         debian + R"(",
      "command": ["sh", "-c", "echo hello from seed > /shared/greeting"],
      "volumes": ["shared:/shared"]
    },
    "orders": {
      "type": "container",
      "build": {"context": ")" +
         orders_context + R"("},
      "ports": [8080],
      "env": {"DB_HOST": "${db.host}", "DB_PORT": "${db.port}", "GREETING": "${cache.url}"},
      "volumes": ["shared:/shared:ro"],
      "depends_on": {"seed": "completed"},
      "ready": {"http": "/health"}
    }
  }
})";
}

void write_mocks(const fs::path& dir) {
  fs::create_directories(dir / "mocks");
  attest_test::write_file(dir / "mocks" / "auth.json",
                          R"([{"id": "token", "httpRequest": {"method": "POST", "path": "/token"},
  "httpResponse": {"statusCode": 200, "body": {"token": "t-1"}}}])");
  attest_test::write_file(
      dir / "mocks" / "storage.json",
      R"([{"id": "upload", "httpRequest": {"method": "PUT", "path": "/objects/.+"},
  "httpResponse": {"statusCode": 201}}])");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(environment_containers, *attest::mark("e2e") * attest::mark("container"))

BOOST_AUTO_TEST_CASE(declared_containers_come_up_are_shared_and_leave_nothing,
                     *attest::requirement("FR-159", "FR-162")) {
  auto& engine = attest_test::need_images({pg15, redis, debian});
  TempDir project;
  write_mocks(project.path);
  attest_test::write_file(project.path / "attest.json", project_config((data / "orders").string()));
  DownAtEnd down_at_end{project.path};
  auto up = attest_env(project.path, {"up"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.out + up.err);
  auto env = attest::Environment::load(project.path / "env");
  BOOST_TEST(env.services().size() == 7u);
  BOOST_TEST(contains(up.out, "orders (container): 127.0.0.1 8080 -> "), up.out);

  // The team's service, built from its Dockerfile: it reached the database by its service name
  // on the environment's network (its /health connects to it), read what the seed job left in
  // the shared volume, and got the cache's URL as a container sees it.
  auto orders = env.service("orders").port("8080");
  BOOST_TEST(env.variable("ATTEST_SERVICE_ORDERS_PORT_8080").value() == std::to_string(orders));
  BOOST_TEST(env.variable("ATTEST_SERVICE_ORDERS_PORT").value() == std::to_string(orders));
  BOOST_TEST(!env.variable("ATTEST_SERVICE_ORDERS_URL"));  // no scheme known for a container
  BOOST_TEST(get(orders, "/health") == "ok: db:5432\n");
  BOOST_TEST(get(orders, "/shared") == "hello from seed\n");
  BOOST_TEST(contains(get(orders, "/env"), "@cache:6379/0"));
  // PostgreSQL and Redis from images are reached from the host as local servers are.
  BOOST_TEST(contains(env.variable("ATTEST_POSTGRES_URL").value(), "@127.0.0.1:"));

  // Two test binaries at once, both on the environment's containers, mocks and process.
  auto runs = attest_test::run_two_at_once(ATTEST_ENVUSER_BIN, project.path / "env", project.path,
                                           ATTEST_SAMPLE_DIR);
  for (const auto& r : runs)
    BOOST_TEST(contains(attest_test::read_file(r->log_path()), "4 passed, 0 failed"),
               r->exit_status() + attest_test::read_file(r->log_path()));

  BOOST_TEST(engine_objects_of_runs_in(engine, project.path).size() >= 5u);  // 3 + network + volume
  auto down = attest_env(project.path, {"down"});
  BOOST_TEST(down.exit_code == 0, down.out + down.err);
  auto left = engine_objects_of_runs_in(engine, project.path);
  BOOST_TEST(left.empty(), "left on the engine: " + joined(left));
}

BOOST_AUTO_TEST_CASE(a_mock_from_an_image_is_loaded_through_the_rest_api,
                     *attest::requirement("FR-159", "FR-162")) {
  auto& engine = attest_test::need_images({debian});
  TempDir project;
  write_mocks(project.path);
  // The image's context: its Dockerfile, attest-mock and the library it links.
  auto context = project.path / "mockserver";
  fs::create_directories(context);
  fs::copy_file(data / "mockserver" / "Dockerfile", context / "Dockerfile");
  fs::copy_file(ATTEST_MOCK_BIN, context / "attest-mock");
  auto ldd = attest_test::run_command({"ldd", ATTEST_MOCK_BIN}, project.path);
  auto at = ldd.out.find("libboost_json.so.1.81.0 => ");
  BOOST_TEST_REQUIRE(at != std::string::npos, ldd.out);
  auto lib = ldd.out.substr(at + 27, ldd.out.find(' ', at + 27) - at - 27);
  fs::copy_file(lib, context / "libboost_json.so.1.81.0");
  attest_test::write_file(project.path / "attest.json", R"({"services": {
    "auth": {"type": "mock", "build": "mockserver", "files": ["mocks/auth.json"]},
    "probe": {"type": "container", "image": ")" + debian + R"(",
              "command": ["sh", "-c", "echo auth is $AUTH_URL"],
              "env": {"AUTH_URL": "${auth.url}"}, "ready": {"exited": 0}}
  }})");
  DownAtEnd down_at_end{project.path};
  auto up = attest_env(project.path, {"up"});
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.out + up.err);
  auto env = attest::Environment::load(project.path / "env");
  const auto& auth = env.service("auth");
  BOOST_TEST(auth.url() == "http://127.0.0.1:" + std::to_string(auth.port("1080")));
  BOOST_TEST(env.variable("ATTEST_SERVICE_AUTH_URL").value() == auth.url());
  // The file's expectation answers; the journal verifies over the REST API.
  attest::HttpClient client(auth.url());
  auto token = client.post("/token", "{}");
  BOOST_TEST(token.status == 200u);
  BOOST_TEST(token.body == R"({"token":"t-1"})");
  auto verified = client.request("PUT", "/mockserver/verify",
                                 R"({"httpRequest": {"path": "/token"}, "times": {"atLeast": 1}})");
  BOOST_TEST(verified.status == 202u, verified.body);
  // A container reaches it by name.
  BOOST_TEST(
      contains(attest_test::read_file(env.service("probe").log()), "auth is http://auth:1080"));
  BOOST_TEST(attest_env(project.path, {"down"}).exit_code == 0);
  auto left = engine_objects_of_runs_in(engine, project.path);
  BOOST_TEST(left.empty(), "left on the engine: " + joined(left));
}

BOOST_AUTO_TEST_CASE(a_compose_file_runs_as_it_is, *attest::requirement("FR-160", "FR-162")) {
  auto& engine = attest_test::need_images({pg15, "attest-test/redis:7", debian});
  TempDir project;
  DownAtEnd down_at_end{project.path};
  auto [file, up] = up_compose_project(project.path);
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.out + up.err);
  // The password from .env is in the database's environment, never on the terminal.
  BOOST_TEST(!contains(up.out + up.err, "compose-secret-1234"), up.out + up.err);
  auto env = attest::Environment::load(project.path / "env");
  BOOST_TEST(env.services().size() == 5u);
  // `condition: service_healthy` on a socket pg_isready held: the one-shot reached the database
  // over TCP (the init server's moment did not count), and its exit 0 was its readiness.
  BOOST_TEST(contains(attest_test::read_file(env.service("smoke").log()), "smoke 42"));
  // Ports on free host ports of 127.0.0.1, whatever the file publishes (5432:5432, 18080).
  auto orders = env.service("orders").port("8080");
  BOOST_TEST(orders != 18080);
  BOOST_TEST(env.service("db").port("5432") != 5432);
  // `condition: service_healthy` held: the database answered when the service started.
  BOOST_TEST(get(orders, "/health") == "ok: db:5432\n");
  BOOST_TEST(get(orders, "/shared") == "hello from seed\n");  // service_completed_successfully
  BOOST_TEST(get(orders, "/env") == "hello\n");               // ${GREETING:-hello}
  // A service of the official postgres image's conventions (5432, POSTGRES_PASSWORD) is the
  // session PostgreSQL of every test process: ATTEST_POSTGRES_URL, its password percent-encoded;
  // a redis image's, ATTEST_REDIS_URL.
  auto psql = attest_env(
      project.path, {"exec", "-f", file, "--profile", "integration", "--", "sh", "-c",
                     "psql \"$ATTEST_POSTGRES_URL\" -Atc 'SELECT current_database(), 6 * 7' && "
                     "redis-cli -u \"$ATTEST_REDIS_URL\" PING"});
  BOOST_TEST(psql.exit_code == 0, psql.out + psql.err);
  BOOST_TEST(contains(psql.out, "orders|42\nPONG"), psql.out);
  // status asks the engine (its port proxy accepts whatever runs inside): a one-shot job that
  // exited 0 is fine, a service whose container died is DOWN.
  auto status = attest_env(project.path, {"status"});
  BOOST_TEST(status.exit_code == 0, status.out);
  BOOST_TEST(!env.service("orders").container().empty());
  engine.call("POST", "/containers/" + env.service("orders").container() + "/kill");
  auto dead = attest_env(project.path, {"status"});
  BOOST_TEST(dead.exit_code == 1, dead.out);
  BOOST_TEST(contains(dead.out,
                      "orders (container): 127.0.0.1 8080 -> " + std::to_string(orders) + "  DOWN"),
             dead.out);
  auto down = attest_env(project.path, {"down", "-f", file});
  BOOST_TEST(down.exit_code == 0, down.out + down.err);
  auto left = engine_objects_of_runs_in(engine, project.path);
  BOOST_TEST(left.empty(), "left on the engine: " + joined(left));

  // Without the profile: only the services that have none.
  auto plain =
      attest_env(project.path, {"exec", "-f", file, "--", "sh", "-c",
                                "echo \"$ATTEST_SERVICE_DB_PORT $ATTEST_SERVICE_ORDERS_PORT.\""});
  BOOST_TEST(plain.exit_code == 0, plain.out + plain.err);
  BOOST_TEST(contains(plain.out, " .\n"), plain.out);
  BOOST_TEST(engine_objects_of_runs_in(engine, project.path).empty());
}

BOOST_AUTO_TEST_CASE(a_typo_in_a_compose_file_is_exit_2_at_its_line_and_column,
                     *attest::requirement("FR-161")) {
  TempDir project;
  attest_test::write_file(project.path / "docker-compose.yml",
                          "services:\n  db:\n    image: postgres:16\n    helthcheck:\n"
                          "      test: [\"CMD\", \"pg_isready\"]\n");
  auto file = (project.path / "docker-compose.yml").string();
  auto r = attest_env(project.path, {"up", "-f", file});
  BOOST_TEST(r.exit_code == 2, r.out + r.err);
  BOOST_TEST(contains(r.err, file + ":4:5: unknown key \"helthcheck\" in service \"db\""), r.err);
  BOOST_TEST(contains(r.err, "did you mean \"healthcheck\"?"), r.err);
  BOOST_TEST(!fs::exists(project.path / "env" / "env.json"));
  // The same file named by attest.json's "compose".
  attest_test::write_file(project.path / "attest.json", R"({"compose": "docker-compose.yml"})");
  auto via_config = attest_env(project.path, {"exec", "--", "true"});
  BOOST_TEST(via_config.exit_code == 2, via_config.out + via_config.err);
  BOOST_TEST(contains(via_config.err, ":4:5: unknown key \"helthcheck\""), via_config.err);
}

BOOST_AUTO_TEST_CASE(a_killed_supervisor_leaves_no_container_network_or_volume,
                     *attest::requirement("FR-162")) {
  auto& engine = attest_test::need_images({pg15, "attest-test/redis:7", debian});
  TempDir project;
  DownAtEnd down_at_end{project.path};
  auto [file, up] = up_compose_project(project.path);
  BOOST_TEST_REQUIRE(up.exit_code == 0, up.out + up.err);
  BOOST_TEST(engine_objects_of_runs_in(engine, project.path).size() == 7u);  // 5, network, volume
  pid_t supervisor = 0;
  std::ifstream(project.path / "env" / "supervisor.pid") >> supervisor;
  BOOST_TEST_REQUIRE(supervisor > 1);
  ::kill(supervisor, SIGKILL);
  attest::wait_for_condition(
      [&] { return engine_objects_of_runs_in(engine, project.path).empty(); },
      {.timeout = 15s, .description = "the watchdog to remove the environment's engine objects"});
  BOOST_TEST(attest_env(project.path, {"down"}).exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()
