// Compose files as our users write them, read into the environment's model without starting
// anything: interpolation, profiles, depends_on conditions, ports, health checks, volumes —
// and every mistake at its file:line:col.
#include <attest/attest.hpp>
#include <attest/compose_file.hpp>
#include <attest/input_error.hpp>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::error_of;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

attest::EnvironmentSpec parse(const std::string& text, std::vector<std::string> profiles = {},
                              std::map<std::string, std::string> variables = {}) {
  return attest::parse_compose_file(text, "/project/docker-compose.test.yml", profiles, variables);
}

const attest::ServiceSpec& service(const attest::EnvironmentSpec& spec, const std::string& name) {
  for (const auto& s : spec.services)
    if (s.name == name) return s;
  throw std::out_of_range("no service " + name);
}

std::string error(const std::string& text, std::map<std::string, std::string> variables = {}) {
  return error_of([&] { parse(text, {}, variables); });
}

const char* kUsersFile = R"(x-defaults: &defaults
  restart: unless-stopped
services:
  db:
    <<: *defaults
    image: ${PG_IMAGE:-postgres:16}
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it in .env}
      POSTGRES_DB: orders
    ports: ["5432:5432"]
    tmpfs: /var/lib/postgresql/data:size=256m
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 1m30s
      timeout: 500ms
      retries: 5
  seed:
    image: busybox
    command: sh -c 'echo "seeded; done" > /shared/x'
    volumes: [shared:/shared]
    profiles: [integration]
  api:
    build:
      context: ./api
      dockerfile: Dockerfile.test
      args: [VERSION=2]
    entrypoint: ["/entry.sh"]
    environment:
      - DB_HOST=db
      - PRICE=$$5
      - FROM_HOST
    ports:
      - "127.0.0.1:18080:8080/tcp"
      - target: 9090
        published: 19090
    volumes:
      - shared:/shared:ro
      - ./config:/etc/api
    depends_on:
      db: {condition: service_healthy}
      seed: {condition: service_completed_successfully}
    profiles: [integration]
  mailhog:
    image: mailhog
    profiles: [manual]
volumes:
  shared:
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(compose_file, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(a_users_file_maps_onto_container_services, *attest::requirement("FR-160")) {
  auto spec = parse(kUsersFile, {"integration"}, {{"DB_PASSWORD", "s3cret"}, {"FROM_HOST", "h"}});
  // Dependencies first; the `manual` profile stays out.
  std::vector<std::string> names;
  for (const auto& s : spec.services) names.push_back(s.name);
  BOOST_TEST(names == (std::vector<std::string>{"db", "seed", "api"}),
             boost::test_tools::per_element());
  const auto& db = service(spec, "db");
  BOOST_TEST(db.type == "container");
  BOOST_TEST(db.image == "postgres:16");
  BOOST_TEST(db.env.at("POSTGRES_PASSWORD") == "s3cret");
  BOOST_TEST(db.container_ports == (std::vector<unsigned short>{5432}),
             boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(db.healthcheck.has_value());
  BOOST_TEST(db.healthcheck->interval == 90s);
  BOOST_TEST(db.healthcheck->timeout == 500ms);
  BOOST_TEST(db.healthcheck->retries == 5);
  BOOST_TEST_REQUIRE(db.volumes.size() == 1u);
  BOOST_TEST(db.volumes[0].kind == "tmpfs");
  BOOST_TEST(db.volumes[0].options == "size=256m");
  // A string command is split as a shell would, without a shell.
  const auto& seed = service(spec, "seed");
  BOOST_TEST(
      seed.command == (std::vector<std::string>{"sh", "-c", "echo \"seeded; done\" > /shared/x"}),
      boost::test_tools::per_element());
  // A dependency that must complete is a one-shot job: ready when it exits 0.
  BOOST_TEST(seed.ready.kind == "exited");
  const auto& api = service(spec, "api");
  BOOST_REQUIRE(api.build.has_value());
  BOOST_TEST(api.build->context == fs::path("/project/api"));
  BOOST_TEST(api.build->dockerfile == "Dockerfile.test");
  BOOST_TEST(api.build->args.at("VERSION") == "2");
  BOOST_TEST(api.entrypoint.value() == (std::vector<std::string>{"/entry.sh"}),
             boost::test_tools::per_element());
  BOOST_TEST(api.env.at("PRICE") == "$5");     // $$ is a dollar
  BOOST_TEST(api.env.at("FROM_HOST") == "h");  // a bare name takes the host's value
  BOOST_TEST(api.container_ports == (std::vector<unsigned short>{8080, 9090}),
             boost::test_tools::per_element());
  BOOST_TEST(api.conditions.at("db") == "healthy");
  BOOST_TEST(api.conditions.at("seed") == "completed");
  BOOST_TEST_REQUIRE(api.volumes.size() == 2u);
  BOOST_TEST(api.volumes[0].kind == "volume");
  BOOST_TEST(api.volumes[0].source == "shared");
  BOOST_TEST(api.volumes[0].read_only);
  BOOST_TEST(api.volumes[1].kind == "bind");
  BOOST_TEST(api.volumes[1].source == "/project/config");
  BOOST_TEST(spec.volumes == (std::vector<std::string>{"shared"}),
             boost::test_tools::per_element());

  // No profile: only the services without one.
  auto plain = parse(kUsersFile, {}, {{"DB_PASSWORD", "x"}});
  BOOST_TEST(plain.services.size() == 1u);
  BOOST_TEST(plain.services[0].name == "db");
  BOOST_TEST(plain.services[0].image == "postgres:16");
  // ${VAR:-default} takes the variable when it is set.
  auto other = parse(kUsersFile, {}, {{"DB_PASSWORD", "x"}, {"PG_IMAGE", "postgres:17"}});
  BOOST_TEST(other.services[0].image == "postgres:17");
}

BOOST_AUTO_TEST_CASE(the_env_file_beside_it_and_the_process_give_variables,
                     *attest::requirement("FR-160")) {
  attest_test::TempDir dir;
  attest_test::write_file(dir.path / "docker-compose.yml", R"(services:
  web:
    image: ${WEB_IMAGE}
    env_file: [web.env]
    environment:
      MODE: ${MODE:-dev}
)");
  attest_test::write_file(dir.path / ".env", "WEB_IMAGE=\"nginx:1.25\"\n# a comment\nMODE=prod\n");
  attest_test::write_file(dir.path / "web.env", "export LEVEL=debug\nMODE=from-file\n");
  auto spec = attest::read_compose_file(dir.path / "docker-compose.yml");
  const auto& web = spec.services.at(0);
  BOOST_TEST(web.image == "nginx:1.25");
  BOOST_TEST(web.env.at("LEVEL") == "debug");
  BOOST_TEST(web.env.at("MODE") == "prod");  // environment: wins over env_file
  // A malformed line of an env file is named with its line.
  attest_test::write_file(dir.path / "web.env", "LEVEL=debug\nnot a variable\n");
  auto e = error_of([&] { attest::read_compose_file(dir.path / "docker-compose.yml"); });
  BOOST_TEST(contains(e, "web.env:2:1"), e);
  BOOST_TEST(contains(e, "expected NAME=VALUE"), e);
}

BOOST_AUTO_TEST_CASE(a_typo_or_an_unsupported_key_is_named_at_its_line_and_column,
                     *attest::requirement("FR-161")) {
  auto typo = error("services:\n  db:\n    image: postgres\n    enviroment:\n      A: b\n");
  BOOST_TEST(contains(typo, "docker-compose.test.yml:4:5"), typo);
  BOOST_TEST(contains(typo, "unknown key \"enviroment\" in service \"db\""), typo);
  BOOST_TEST(contains(typo, "did you mean \"environment\"?"), typo);
  auto top = error("services:\n  db: {image: x}\nsecrets:\n  token: {file: t}\n");
  BOOST_TEST(contains(top, ":3:1"), top);
  BOOST_TEST(contains(top, "\"secrets\" in the file is a Compose key attest does not support"),
             top);
  auto privileged = error("services:\n  db:\n    image: x\n    privileged: true\n");
  BOOST_TEST(contains(privileged, ":4:5: \"privileged\" in service \"db\" is a Compose key attest"),
             privileged);
  auto health =
      error("services:\n  db:\n    image: x\n    healthcheck:\n      tset: [CMD, true]\n");
  BOOST_TEST(contains(health, ":5:7"), health);
  BOOST_TEST(contains(health, "did you mean \"test\"?"), health);
  // Extension keys are ignored, as the Compose spec says.
  BOOST_TEST(parse("x-top: 1\nservices:\n  db:\n    image: x\n    x-note: y\n").services.size() ==
             1u);
  // Values that cannot be honoured.
  auto udp = error("services:\n  dns:\n    image: x\n    ports: [\"53:53/udp\"]\n");
  BOOST_TEST(contains(udp, ":4:13"), udp);
  BOOST_TEST(contains(udp, "only tcp ports"), udp);
  auto volume = error("services:\n  db:\n    image: x\n    volumes: [data:/var/lib]\n");
  BOOST_TEST(contains(volume, ":4:15"), volume);
  BOOST_TEST(contains(volume, "volume \"data\" is not declared"), volume);
  auto dependency = error("services:\n  api:\n    image: x\n    depends_on: [db]\n");
  BOOST_TEST(contains(dependency, ":4:18"), dependency);
  BOOST_TEST(contains(dependency, "depends on \"db\", which the file does not declare"),
             dependency);
  auto condition = error(
      "services:\n  db: {image: x}\n  api:\n    image: x\n    depends_on:\n      db: {condition: "
      "service_ready}\n");
  BOOST_TEST(contains(condition, ":6:23"), condition);
  BOOST_TEST(contains(condition, "not a condition"), condition);
  auto cycle =
      error("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n");
  BOOST_TEST(contains(cycle, "a cycle"), cycle);
  auto duration = error(
      "services:\n  db:\n    image: x\n    healthcheck:\n      test: true\n      interval: soon\n");
  BOOST_TEST(contains(duration, ":6:17"), duration);
  BOOST_TEST(contains(duration, "not a duration"), duration);
  // Found by the fuzzer: a duration too long for a clock is an error, not undefined behaviour.
  auto forever = error(
      "services:\n  db:\n    image: x\n    healthcheck:\n      test: true\n      interval: "
      "58888888888h\n");
  BOOST_TEST(contains(forever, ":6:17"), forever);
  BOOST_TEST(contains(forever, "longer than a test waits"), forever);
  // Found by the fuzzer: an anchor merged into itself recursed until the stack ran out.
  auto itself = error("x-d: &d\n  <<: *d\nservices:\n  db:\n    <<: *d\n    image: x\n");
  BOOST_TEST(contains(itself, "an anchor merged into itself?"), itself);
  auto required = error("services:\n  db:\n    image: ${IMAGE:?pick an image}\n");
  BOOST_TEST(contains(required, ":3:12"), required);
  BOOST_TEST(contains(required, "${IMAGE} is required: pick an image"), required);
  auto no_image = error("services:\n  db:\n    ports: [\"5432\"]\n");
  BOOST_TEST(contains(no_image, ":2:3"), no_image);
  BOOST_TEST(contains(no_image, "needs an image or a build"), no_image);
  auto yaml = error("services:\n  db:\n    image: [x\n");
  BOOST_TEST(contains(yaml, "docker-compose.test.yml:"), yaml);
  auto external = error("services:\n  db: {image: x}\nvolumes:\n  data: {external: true}\n");
  BOOST_TEST(contains(external, ":4:10"), external);
}

BOOST_AUTO_TEST_CASE(attest_json_declares_containers_too, *attest::requirement("FR-159")) {
  auto spec = attest::parse_environment_spec(R"({"services": {
    "db": {"type": "postgres", "image": "postgres:16"},
    "migrate": {"type": "container", "image": "flyway", "command": ["migrate"],
                "env": {"URL": "${db.url}"}, "ready": {"exited": 0}},
    "api": {"type": "container", "build": {"context": "api", "args": {"V": "2"}},
            "ports": [8080], "env": {"DB": "${db.host}:${db.port}"},
            "depends_on": {"migrate": "completed"},
            "healthcheck": {"test": "curl -f localhost:8080/health", "interval": 0.5},
            "ready": {"healthcheck": true}, "volumes": ["data:/data", "./seed:/seed:ro"],
            "tmpfs": "/tmp"}
  }})",
                                             "/p/attest.json");
  std::vector<std::string> names;
  for (const auto& s : spec.services) names.push_back(s.name);
  BOOST_TEST(names == (std::vector<std::string>{"db", "migrate", "api"}),
             boost::test_tools::per_element());
  const auto& api = spec.services[2];
  BOOST_TEST(api.build->context == fs::path("/p/api"));
  BOOST_TEST(api.container_ports == (std::vector<unsigned short>{8080}),
             boost::test_tools::per_element());
  BOOST_TEST(api.conditions.at("migrate") == "completed");
  BOOST_TEST(api.healthcheck->test ==
                 (std::vector<std::string>{"CMD-SHELL", "curl -f localhost:8080/health"}),
             boost::test_tools::per_element());
  BOOST_TEST(api.healthcheck->interval == 500ms);
  BOOST_TEST(api.ready.kind == "healthcheck");
  BOOST_TEST(api.volumes.size() == 3u);
  BOOST_TEST(spec.volumes == (std::vector<std::string>{"data"}), boost::test_tools::per_element());
  BOOST_TEST(spec.services[1].ready.kind == "exited");
  // References are dependencies: api depends on db through ${db.host}.
  BOOST_TEST(
      (std::find(api.depends_on.begin(), api.depends_on.end(), "db") != api.depends_on.end()));

  auto e = error_of([] {
    attest::parse_environment_spec("{\"services\": {\n  \"api\": {\"type\": \"container\"}}}",
                                   "attest.json");
  });
  BOOST_TEST(contains(e, "attest.json:2:3"), e);
  BOOST_TEST(contains(e, "needs an \"image\" or a \"build\""), e);
  auto ports = error_of([] {
    attest::parse_environment_spec(
        "{\"services\": {\n  \"api\": {\"type\": \"container\", \"image\": \"x\",\n  \"ports\": "
        "[\"http\"]}}}",
        "attest.json");
  });
  BOOST_TEST(contains(ports, "attest.json:3:3"), ports);
  BOOST_TEST(contains(ports, "expected container ports"), ports);
  auto compose = attest::parse_environment_spec(
      R"({"compose": {"file": "docker-compose.test.yml", "profiles": ["integration"]}})",
      "/p/attest.json");
  BOOST_TEST(compose.compose == fs::path("/p/docker-compose.test.yml"));
  BOOST_TEST(compose.profiles == (std::vector<std::string>{"integration"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
