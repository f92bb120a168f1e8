// attest::Container, the engine client and images against the real Docker Engine on this
// machine. Images: attest-debian:bookworm and attest-test/redis:latest-local
// (ci/build-images.sh). Without an engine the tests are skipped; under CI=true they fail.
#include <attest/attest.hpp>
#include <attest/container.hpp>
#include <attest/process.hpp>
#include <attest/run_dir.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include <signal.h>

#include "container_support.hpp"
#include "test_support.hpp"

using attest_test::contains;
using attest_test::error_of;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string debian = "attest-debian:bookworm";

// Image repositories are lower case; a run id is not.
std::string lowercase(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
const std::string redis = "attest-test/redis:latest-local";

// The engine, and `images` on it; else a skip (a failure under CI=true) saying what is missing.
attest::ContainerEngine& need(std::initializer_list<std::string> images = {debian}) {
  return attest_test::need_images(images);
}

// The containers and networks this run made that still exist.
std::size_t leftovers(attest::ContainerEngine& engine, const std::string& what = "containers") {
  auto run = attest::container_labels().at("attest.run");
  std::string filters = json::serialize(json::object{{"label", json::array{"attest.run=" + run}}});
  std::string path =
      what == "containers" ? "/containers/json?all=1&filters=" : "/networks?filters=";
  std::string encoded;
  for (unsigned char c : filters) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", c);
    encoded += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : std::string(buf);
  }
  return json::parse(engine.call("GET", path + encoded).body).as_array().size();
}

json::value inspect(attest::Container& c) {
  return json::parse(c.engine().call("GET", "/containers/" + c.id() + "/json").body);
}

attest::ContainerSpec sleeper(std::string name = "sleeper") {
  return {.name = std::move(name),
          .image = debian,
          .pull = attest::PullPolicy::never,
          .command = {"sleep", "300"},
          .stop_timeout = 1s};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(container, *attest::mark("integration") * attest::mark("container"))

BOOST_AUTO_TEST_CASE(engine_client_negotiates_and_names_every_error,
                     *attest::requirement("FR-116")) {
  auto& engine = need({});
  BOOST_TEST(engine.ping().empty());
  auto version = engine.api_version();
  BOOST_TEST((version == "1.41" || version < std::string("1.41")), version);
  auto info = json::parse(engine.call("GET", "/version").body);
  BOOST_TEST(info.as_object().contains("ApiVersion"));

  auto missing = error_of([&] { engine.call("GET", "/containers/attest-no-such-container/json"); });
  BOOST_TEST(contains(missing, engine.endpoint()), missing);
  BOOST_TEST(contains(missing, "GET /containers/attest-no-such-container/json"), missing);
  BOOST_TEST(contains(missing, "404"), missing);
  BOOST_TEST(contains(missing, "No such container"), missing);

  auto dead_socket = attest::RunDir::current().path() / "no-engine.sock";
  attest::ContainerEngine dead("unix://" + dead_socket.string());
  auto why = dead.ping(500ms);
  BOOST_TEST(contains(why, dead_socket.string()), why);
  BOOST_CHECK_THROW(dead.call("GET", "/info"), attest::EngineUnavailable);
  BOOST_TEST(attest::ContainerEngine("tcp://127.0.0.1:1").endpoint() == "tcp://127.0.0.1:1");
  BOOST_CHECK_THROW(attest::ContainerEngine("ftp://x"), std::invalid_argument);

  attest::detail::FrameDecoder frames;
  std::string out, err;
  std::string stream =
      std::string("\1\0\0\0\0\0\0\3out", 11) + std::string("\2\0\0\0\0\0\0\3err", 11);
  for (char c : stream)  // one byte at a time: frames split anywhere are still whole
    frames.feed(std::string_view(&c, 1),
                [&](int s, std::string_view p) { (s == 1 ? out : err).append(p); });
  BOOST_TEST(out == "out");
  BOOST_TEST(err == "err");
}

BOOST_AUTO_TEST_CASE(spec_sets_what_the_container_runs_with, *attest::requirement("FR-117")) {
  auto& engine = need();
  {
    auto spec = sleeper("spec");
    spec.env = {{"GREETING", "hello"}};
    spec.user = "nobody";
    spec.workdir = "/tmp";
    spec.tmpfs = {{"/scratch", "size=8m"}};
    spec.labels = {{"team", "attest"}};
    spec.memory_bytes = 64 << 20;
    spec.pids_limit = 64;
    attest::Container c(spec);
    auto r = c.exec(
        {"sh", "-c",
         "echo $GREETING; id -un; pwd; grep -c /scratch /proc/mounts; echo oops >&2; exit 3"});
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.out == "hello\nnobody\n/tmp\n1\n");
    BOOST_TEST(r.err == "oops\n");
    auto info = inspect(c);
    auto& labels = info.at("Config").at("Labels").as_object();
    BOOST_TEST(labels.at("team").as_string() == "attest");
    BOOST_TEST(labels.at("attest.run").as_string() == attest::container_labels().at("attest.run"));
    BOOST_TEST(labels.at("attest.managed").as_string() == "true");
    auto& host = info.at("HostConfig").as_object();
    BOOST_TEST(host.at("Memory").as_int64() == 64 << 20);
    BOOST_TEST(host.at("Privileged").as_bool() == false);
    BOOST_TEST(c.state() == "running");
    BOOST_TEST(leftovers(engine) >= 1u);
  }
  BOOST_TEST(leftovers(engine) == 0u);
}

BOOST_AUTO_TEST_CASE(ports_are_published_on_loopback_and_tcp_readiness_waits_for_the_server,
                     *attest::requirement("FR-119")) {
  need({redis});
  attest::Container cache({.image = redis,
                           .pull = attest::PullPolicy::never,
                           .ports = {6379},
                           .ready = attest::Readiness::tcp()});
  BOOST_TEST(cache.host() == "127.0.0.1");
  auto port = cache.port(6379);
  BOOST_TEST(port > 0);
  BOOST_TEST(cache.port() == port);
  BOOST_TEST(cache.expand("{host}:{port:6379}") == "127.0.0.1:" + std::to_string(port));
  auto bindings = inspect(cache).at("HostConfig").at("PortBindings").at("6379/tcp").as_array();
  BOOST_TEST(bindings.at(0).at("HostIp").as_string() == "127.0.0.1");
  // Ready means the server answers, not merely the engine's proxy.
  auto r = cache.exec({"redis-cli", "ping"});
  BOOST_TEST(r.out == "PONG\n");
  BOOST_CHECK_THROW(cache.port(5432), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(a_container_that_exits_before_it_is_ready_says_so_with_its_log,
                     *attest::requirement("FR-124")) {
  need();
  // With a port to publish, the container may be gone before its ports are read; without one,
  // while readiness is polled. Both fail the same way, with its exit code and last log lines.
  for (bool with_port : {true, false}) {
    BOOST_TEST_CONTEXT("with a port: " << with_port) {
      attest::ContainerSpec spec = sleeper("early");
      spec.command = {"sh", "-c", "echo boom-$((6 * 7)) >&2; exit 3"};
      if (with_port) spec.ports = {8080};
      spec.ready = with_port ? attest::Readiness::tcp() : attest::Readiness::log("never printed");
      spec.ready_polling = {.timeout = 30s};
      std::string what;
      try {
        attest::Container c(spec);
      } catch (const attest::ContainerExitedError& e) {
        what = e.what();
      }
      BOOST_TEST(contains(what, "exited before it was ready (exit code 3)"), what);
      BOOST_TEST(contains(what, "boom-42"), what);
    }
  }
}

BOOST_AUTO_TEST_CASE(readiness_by_a_log_line_of_the_container, *attest::requirement("FR-123")) {
  need();
  attest::ContainerSpec spec = sleeper("talker");
  spec.command = {"sh", "-c", "echo starting; echo listening on port 4242 >&2; exec sleep 300"};
  spec.ready = attest::Readiness::log("listening on port [0-9]+");
  attest::Container c(spec);
  // The follower wrote the container's output to the run directory's log file (stderr too).
  std::ifstream in(c.log_path());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(contains(text, "starting"), text);
  BOOST_TEST(contains(text, "listening on port 4242"), text);
  // (stdout and stderr are two streams: their lines' order in the file is the engine's.)
  BOOST_TEST(contains(c.log_tail(2), "listening on port 4242"), c.log_tail(2));
}

BOOST_AUTO_TEST_CASE(files_go_in_and_come_out_through_tar, *attest::requirement("FR-118")) {
  need();
  auto dir = attest::RunDir::current().service_directory("copy-test");
  fs::create_directories(dir / "tree/sub");
  attest_test::write_file(dir / "tree/a.txt", "alpha\n");
  attest_test::write_file(dir / "tree/sub/b.txt", "beta\n");
  auto spec = sleeper("files");
  spec.files = {{.path = "/etc/app/config.ini", .content = "[app]\nmode=test\n", .mode = 0600},
                {.path = "/srv/tree", .source = dir / "tree"}};
  attest::Container c(spec);
  BOOST_TEST(c.read_file("/etc/app/config.ini") == "[app]\nmode=test\n");
  BOOST_TEST(c.exec({"stat", "-c", "%a", "/etc/app/config.ini"}).out == "600\n");
  BOOST_TEST(c.exec({"cat", "/srv/tree/sub/b.txt"}).out == "beta\n");

  c.write_file("/tmp/note", "written later");
  BOOST_TEST(c.exec({"cat", "/tmp/note"}).out == "written later");
  c.copy_to(dir / "tree/a.txt", "/tmp/");
  BOOST_TEST(c.exec({"cat", "/tmp/a.txt"}).out == "alpha\n");

  c.exec({"sh", "-c", "mkdir -p /out/deep && echo result > /out/deep/r.txt"});
  c.copy_from("/out", dir / "copied");
  BOOST_TEST(attest_test::read_file(dir / "copied/deep/r.txt") == "result\n");
  BOOST_TEST(!contains(error_of([&] { c.read_file("/no/such/file"); }), "(no message)"));
  BOOST_CHECK_THROW(c.read_file("/no/such/file"), attest::EngineError);
}

BOOST_AUTO_TEST_CASE(two_containers_talk_by_network_alias, *attest::requirement("FR-120")) {
  auto& engine = need({redis});
  {
    attest::Network net;
    attest::Container cache({.image = redis,
                             .pull = attest::PullPolicy::never,
                             .network = net.name(),
                             .aliases = {"cache"},
                             .ready = attest::Readiness::command({"redis-cli", "ping"})});
    attest::Container client({.image = redis,
                              .pull = attest::PullPolicy::never,
                              .command = {"sleep", "300"},
                              .network = net.name()});
    auto r = client.exec({"redis-cli", "-h", "cache", "set", "k", "from-client"});
    BOOST_TEST(r.out == "OK\n", r.out + r.err);
    BOOST_TEST(cache.exec({"redis-cli", "get", "k"}).out == "from-client\n");
    BOOST_TEST(leftovers(engine, "networks") == 1u);
  }
  BOOST_TEST(leftovers(engine, "networks") == 0u);
  BOOST_TEST(leftovers(engine) == 0u);
}

BOOST_AUTO_TEST_CASE(image_policy_and_prefix, *attest::requirement("FR-121")) {
  auto& engine = need();
  BOOST_TEST(attest::ensure_image(debian, attest::PullPolicy::never) == debian);
  auto error = error_of([] {
    attest::Container c({.image = "attest-no-such-image:1", .pull = attest::PullPolicy::never});
  });
  BOOST_TEST(contains(error, "attest-no-such-image:1"), error);
  BOOST_TEST(contains(error, "'never'"), error);
  BOOST_TEST(contains(error, engine.endpoint()), error);
  BOOST_CHECK(attest::parse_pull_policy("always") == attest::PullPolicy::always);
  BOOST_CHECK_THROW(attest::parse_pull_policy("sometimes"), std::invalid_argument);

  ::setenv("ATTEST_IMAGE_PREFIX", "mirror.example:5000/", 1);
  auto prefixed = attest::image_reference("postgres:16");
  auto kept = attest::image_reference("mirror.example:5000/postgres:16");
  auto missing =
      error_of([] { attest::ensure_image("attest-debian:bookworm", attest::PullPolicy::never); });
  ::unsetenv("ATTEST_IMAGE_PREFIX");
  BOOST_TEST(prefixed == "mirror.example:5000/postgres:16");
  BOOST_TEST(kept == "mirror.example:5000/postgres:16");
  BOOST_TEST(contains(missing, "mirror.example:5000/attest-debian:bookworm"), missing);
  BOOST_TEST(leftovers(engine) == 0u);
}

BOOST_AUTO_TEST_CASE(images_are_built_exactly_when_their_context_changed,
                     *attest::requirement("FR-122")) {
  auto& engine = need();
  auto context = attest::RunDir::current().service_directory("build-context");
  attest_test::write_file(context / "Dockerfile",
                          "FROM attest-debian:bookworm\nCOPY greeting.txt /greeting.txt\n"
                          "ARG WHO=nobody\nRUN echo \"$WHO\" > /who.txt\n");
  attest_test::write_file(context / "greeting.txt", "hello v1\n");
  attest_test::write_file(context / ".dockerignore", "notes/\n*.log\n!keep.log\n");
  fs::create_directories(context / "notes");
  attest_test::write_file(context / "notes/todo.md", "ignored\n");
  attest_test::write_file(context / "debug.log", "ignored\n");
  attest_test::write_file(context / "keep.log", "kept\n");

  auto files = attest::build_context_files(context);
  std::vector<fs::path> expected{".dockerignore", "Dockerfile", "greeting.txt", "keep.log"};
  BOOST_TEST(files == expected, boost::test_tools::per_element());

  attest::ImageBuild build{.context = context,
                           .args = {{"WHO", "attest"}},
                           .repository = lowercase("attest-build/container-test-" +
                                                   attest::container_labels().at("attest.run"))};
  auto first = attest::build_image(build);
  std::vector<std::string> tags{first.tag};
  struct RemoveImages {
    attest::ContainerEngine& engine;
    std::vector<std::string>& tags;
    ~RemoveImages() {
      for (const auto& t : tags) try {
          engine.call("DELETE", "/images/" + t + "?force=1", {}, 404);
        } catch (...) {
        }
    }
  } remove{engine, tags};
  BOOST_TEST(first.built);
  auto again = attest::build_image(build);
  BOOST_TEST(!again.built);
  BOOST_TEST(again.tag == first.tag);

  attest_test::write_file(context / "notes/todo.md", "still ignored, changed\n");
  attest_test::write_file(context / "debug.log", "changed\n");
  BOOST_TEST(attest::build_image(build).tag == first.tag);

  attest_test::write_file(context / "greeting.txt", "hello v2\n");
  auto changed = attest::build_image(build);
  tags.push_back(changed.tag);
  BOOST_TEST(changed.built);
  BOOST_TEST(changed.tag != first.tag);

  build.args["WHO"] = "someone else";
  auto other_args = attest::build_image(build);
  tags.push_back(other_args.tag);
  BOOST_TEST(other_args.built);

  attest::Container c({.build = build, .command = {"sleep", "300"}, .stop_timeout = 1s});
  BOOST_TEST(c.image() == other_args.tag);
  BOOST_TEST(c.exec({"cat", "/greeting.txt", "/who.txt"}).out == "hello v2\nsomeone else\n");

  attest_test::write_file(context / "Dockerfile", "FROM attest-debian:bookworm\nRUN exit 9\n");
  auto error = error_of([&] { attest::build_image(build); });
  BOOST_TEST(contains(error, "POST /build"), error);
  BOOST_TEST(contains(error, "returned a non-zero code: 9"), error);
}

BOOST_AUTO_TEST_CASE(without_an_engine_tests_skip_or_fail_under_ci,
                     *attest::requirement("FR-126")) {
  auto dead_socket = attest::RunDir::current().path() / "absent.sock";
  attest::ContainerEngine dead("unix://" + dead_socket.string());
  const char* ci = std::getenv("CI");
  std::string saved = ci ? ci : "";
  ::setenv("CI", "false", 1);
  auto skipped = error_of([&] { attest::require_container_engine(dead); });
  bool skip_type = false;
  try {
    attest::require_container_engine(dead);
  } catch (const attest::SkipTest&) {
    skip_type = true;
  } catch (...) {
  }
  ::setenv("CI", "true", 1);
  bool failed_type = false;
  try {
    attest::require_container_engine(dead);
  } catch (const attest::SkipTest&) {
  } catch (const std::runtime_error&) {
    failed_type = true;
  }
  if (ci)
    ::setenv("CI", saved.c_str(), 1);
  else
    ::unsetenv("CI");
  BOOST_TEST(skip_type);
  BOOST_TEST(failed_type);
  BOOST_TEST(contains(skipped, dead_socket.string()), skipped);
  auto error = error_of([&] { attest::Container c({.image = debian, .engine = &dead}); });
  BOOST_TEST(contains(error, dead_socket.string()), error);
}

BOOST_AUTO_TEST_CASE(a_sigkilled_runs_containers_and_networks_are_removed,
                     *attest::requirement("FR-125")) {
  auto& engine = need();
  attest_test::TempDir base;
  attest::Process victim(ATTEST_CONTAINER_VICTIM,
                         {.env = {{"ATTEST_RUN_DIR", base.path.string()}}, .name = "victim"});
  const attest::PollingConfig slowly{.timeout = 120s, .description = "the victim's container"};
  auto line = attest::wait_for_log(victim.log_path(), "rundir=", slowly);
  std::smatch m;
  BOOST_TEST_REQUIRE(
      std::regex_search(line, m, std::regex("container=(\\w+) network=(\\w+) rundir=(\\S+)")),
      line);
  const std::string container = m[1], network = m[2];
  const fs::path rundir = m[3].str();
  auto exists = [&](const std::string& path) {
    return engine.call("GET", path, {}, 404).status == 200;
  };
  BOOST_TEST_REQUIRE(exists("/containers/" + container + "/json"));
  BOOST_TEST_REQUIRE(exists("/networks/" + network));

  // SIGKILL: no handler, no destructor; only the run's watchdog is left to act.
  auto killed = std::chrono::steady_clock::now();
  ::kill(victim.pid(), SIGKILL);
  attest::wait_for_condition(
      [&] {
        return !exists("/containers/" + container + "/json") && !exists("/networks/" + network);
      },
      {.timeout = 20s, .description = "the dead run's container and network to be removed"});
  auto after = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  BOOST_TEST(after < 15.0, "removed after " << after << " s");
  attest::wait_for_condition([&] { return !fs::exists(rundir); },
                             {.timeout = 10s, .description = "the dead run's directory to go"});
}

BOOST_AUTO_TEST_CASE(leftovers_nobody_recorded_are_reaped_by_label_and_age,
                     *attest::requirement("FR-164")) {
  auto& engine = need();
  // What this process labels its objects with (boot id and mount namespace).
  auto boot = attest::container_labels().at("attest.boot");
  attest_test::TempDir live;  // an existing run directory: a live (or kept) run's objects stay
  const std::string suffix = std::to_string(::getpid());
  auto labels = [](const std::string& run_dir, const std::string& made_on) {
    return json::object{
        {"attest.managed", "true"}, {"attest.run_dir", run_dir}, {"attest.boot", made_on}};
  };
  auto create_container = [&](json::object with) {
    // Running: a leftover container may be running (removed by force).
    json::object body{{"Image", debian}, {"Cmd", json::array{"sleep", "300"}}, {"Labels", with}};
    std::string id(
        json::parse(engine.call("POST", "/containers/create", {.body = json::serialize(body)}).body)
            .at("Id")
            .as_string());
    engine.call("POST", "/containers/" + id + "/start");
    return id;
  };
  auto exists = [&](const std::string& path) {
    return engine.call("GET", path, {}, 404).status == 200;
  };
  // What a run made on this boot whose run directory is gone (rebooted /dev/shm, or killed
  // before recording it), what a live run made, and what came from elsewhere (another boot or
  // machine) just now.
  auto orphan = create_container(labels("/nonexistent/attest-run-gone-" + suffix, boot));
  auto alive = create_container(labels(live.path.string(), boot));
  json::object network{{"Name", "attest-leftover-net-" + suffix},
                       {"Labels", labels("/nonexistent/attest-run-elsewhere", "another-boot")}};
  auto network_id = std::string(
      json::parse(engine.call("POST", "/networks/create", {.body = json::serialize(network)}).body)
          .at("Id")
          .as_string());
  json::object volume{{"Name", "attest-leftover-vol-" + suffix},
                      {"Labels", labels("/nonexistent/attest-run-elsewhere", "another-boot")}};
  engine.call("POST", "/volumes/create", {.body = json::serialize(volume)});

  // (Another test process's own sweep may get to the orphan first: what counts is that it is gone.)
  auto removed = attest::reap_engine_leftovers(engine);
  BOOST_TEST(!exists("/containers/" + orphan + "/json"));
  BOOST_TEST(exists("/containers/" + alive + "/json"));
  BOOST_TEST(exists("/networks/" + network_id));  // from elsewhere and young: kept
  BOOST_TEST(exists("/volumes/attest-leftover-vol-" + suffix));

  // Past the keep age, what came from elsewhere goes too.
  ::setenv("ATTEST_KEEP_MAX_AGE", "0", 1);
  removed = attest::reap_engine_leftovers(engine);
  ::unsetenv("ATTEST_KEEP_MAX_AGE");
  BOOST_TEST(removed.networks >= 1);
  BOOST_TEST(removed.volumes >= 1);
  BOOST_TEST(!exists("/networks/" + network_id));
  BOOST_TEST(!exists("/volumes/attest-leftover-vol-" + suffix));
  BOOST_TEST(exists("/containers/" + alive + "/json"));
  engine.call("DELETE", "/containers/" + alive + "?force=1", {}, 404);
}

BOOST_AUTO_TEST_CASE(an_engine_that_stops_mid_test_fails_it_naming_the_engine_and_nothing_hangs,
                     *attest::requirement("FR-165")) {
  auto& real = need();
  auto engine_socket = real.endpoint().substr(std::string("unix://").size());
  BOOST_REQUIRE_MESSAGE(real.endpoint().rfind("unix://", 0) == 0, real.endpoint());
  // The test's engine is a proxy in front of dockerd; SIGKILLing the proxy is, to the client,
  // dockerd stopping — the other suites keep their engine.
  attest_test::TempDir dir;
  auto socket = dir.path / "engine.sock";
  attest::Process proxy("python3", {.args = {ATTEST_ENGINE_PROXY, socket.string(), engine_socket},
                                    .name = "engine-proxy"});
  attest::wait_for_unix_socket(socket);
  attest::ContainerEngine engine("unix://" + socket.string());
  std::string id;
  std::chrono::steady_clock::time_point leaving;
  {
    auto spec = sleeper("engine-stops");
    spec.engine = &engine;
    attest::Container c(spec);
    id = c.id();
    BOOST_TEST(c.exec({"true"}).exit_code == 0);

    ::kill(proxy.pid(), SIGKILL);  // the engine is gone mid-test
    auto start = std::chrono::steady_clock::now();
    std::string what = error_of([&] { c.exec({"true"}); });
    auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(contains(what, "unix://" + socket.string()), what);  // names the engine
    BOOST_TEST((took < 5s),
               "the failing call took " << std::chrono::duration<double>(took).count() << " s");
    BOOST_TEST(contains(what, "/exec"), what);  // and the call that could not be made
    // Leaving the scope removes the container through the dead engine: it must not hang.
    leaving = std::chrono::steady_clock::now();
  }
  auto removal = std::chrono::steady_clock::now() - leaving;
  BOOST_TEST((removal < 15s), "removing through the dead engine took "
                                  << std::chrono::duration<double>(removal).count() << " s");
  // What the dead engine could not remove, the real one does (a restarted dockerd's job).
  real.call("DELETE", "/containers/" + id + "?force=1", {}, 404);
  BOOST_TEST(real.call("GET", "/containers/" + id + "/json", {}, 404).status == 404u);
}

BOOST_AUTO_TEST_SUITE_END()
