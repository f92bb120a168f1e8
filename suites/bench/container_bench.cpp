// The container figures of docs/benchmarks.md, against the real engine (ci/start-dockerd.sh) and
// attest's test images (ci/build-images.sh):
//
//   attest_container_bench ready RUNS [IMAGE]    PostgreSQL container create → ready, attest vs a
//                                                 shell loop (docker run -d -p, pg_isready every
//                                                 10 ms; container_shell_bench.sh), interleaved
//   attest_container_bench sigkill RUNS          a runner SIGKILLed → its last container gone
//   attest_container_bench context RUNS [FILES]  an unchanged FILES-file context: no build needed
//   attest_container_bench parallel N [IMAGE]    N Redis containers started at once vs in turn
//   attest_container_bench acquire N [IMAGE]     a per-test database (from the migrated template)
//                                                 on a PostgreSQL container vs the local provider,
//                                                 interleaved
//   attest_container_bench envup RUNS            attest-env up (warm) of attest.json with PostgreSQL
//                                                 and Redis from images vs as local servers
//
// Prints each run and the medians. Exit 2 for bad arguments, 1 when a step fails.
#include <attest/container.hpp>
#include <attest/image.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>
#include <attest/subprocess.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "bench_stats.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using bench::Clock;
using bench::median;
using bench::ms_since;

std::string self_path() { return fs::read_symlink("/proc/self/exe").string(); }

// The shell baseline beside this program's source (installed next to nothing: run from the tree).
std::string shell_bench() {
  fs::path here = fs::path(__FILE__).parent_path() / "container_shell_bench.sh";
  return here.string();
}

// "  create -> ready : p50   2605.0 ms ..." → 2605.0
double shell_ready_ms(const std::string& image) {
  auto r =
      attest::run_command({"bash", shell_bench(), "1", image}, {{}, {}, std::chrono::minutes(2)});
  if (r.exit_code != 0) throw std::runtime_error("container_shell_bench.sh failed: " + r.err);
  auto at = r.out.find("create -> ready : p50");
  if (at == std::string::npos) throw std::runtime_error("unexpected shell output: " + r.out);
  return std::stod(r.out.substr(at + std::string("create -> ready : p50").size()));
}

int ready(int runs, const std::string& image) {
  std::vector<double> attest_ms, shell_ms;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    auto server = attest::PostgresServer::start_container(image);
    attest_ms.push_back(ms_since(t0));
    server->shutdown();
    shell_ms.push_back(shell_ready_ms(image));
    std::printf("run %d: attest %.1f ms, shell loop %.1f ms\n", i + 1, attest_ms.back(),
                shell_ms.back());
  }
  double a = median(attest_ms), s = median(shell_ms);
  std::printf("ready %s, %d runs interleaved: attest p50 %.1f ms, shell p50 %.1f ms, ratio %.2fx\n",
              image.c_str(), runs, a, s, a / s);
  return 0;
}

// The victim: a container held until this process is SIGKILLed.
int victim() {
  attest::Container c({.name = "bench-victim",
                       .image = "attest-debian:bookworm",
                       .pull = attest::PullPolicy::never,
                       .command = {"sleep", "300"}});
  std::cout << c.id() << std::endl;
  ::pause();
  return 0;
}

int sigkill(int runs) {
  auto& engine = attest::ContainerEngine::shared();
  std::vector<double> gone_ms;
  for (int i = 0; i < runs; ++i) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::string self = self_path();
    char* argv[] = {self.data(), const_cast<char*>("victim"), nullptr};
    pid_t pid = 0;
    if (::posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, environ) != 0)
      throw std::runtime_error("posix_spawn");
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    std::string id;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') id += c;
    ::close(out[0]);
    if (id.empty()) throw std::runtime_error("the victim did not start its container");
    auto t0 = Clock::now();
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    while (engine.call("GET", "/containers/" + id + "/json", {}, 404).status != 404) {
      if (ms_since(t0) > 30000)
        throw std::runtime_error("container " + id + " still there after 30 s");
      std::this_thread::sleep_for(
          std::chrono::milliseconds(2));  // attest: allow-sleep (a benchmark's poll)
    }
    gone_ms.push_back(ms_since(t0));
    std::printf("run %d: SIGKILL -> container gone in %.1f ms\n", i + 1, gone_ms.back());
  }
  std::printf("sigkill, %d runs: p50 %.1f ms, max %.1f ms (Ryuk: 10 s after the disconnect)\n",
              runs, median(gone_ms), bench::pct(gone_ms, 1.0));
  return 0;
}

int context(int runs, int files) {
  fs::path dir = fs::temp_directory_path() / ("attest-bench-context-" + std::to_string(::getpid()));
  fs::create_directories(dir / "src");
  struct Remove {
    fs::path d;
    ~Remove() { fs::remove_all(d); }
  } remove{dir};
  std::ofstream(dir / "Dockerfile") << "FROM attest-debian:bookworm\nCOPY src/ /srv/src/\n";
  for (int i = 0; i < files; ++i)
    std::ofstream(dir / "src" / ("file" + std::to_string(i) + ".txt"))
        << "content of file " << i << "\n";
  attest::ImageBuild build{.context = dir, .repository = "attest-bench/context"};
  auto t0 = Clock::now();
  auto first = attest::build_image(build);
  std::printf("first build of %d files: %.1f ms (built: %s)\n", files, ms_since(t0),
              first.built ? "yes" : "no");
  std::vector<double> decide_ms;
  for (int i = 0; i < runs; ++i) {
    auto t = Clock::now();
    auto again = attest::build_image(build);
    decide_ms.push_back(ms_since(t));
    if (again.built) throw std::runtime_error("an unchanged context was built again");
  }
  std::printf(
      "context of %d files, unchanged, %d runs: no build decided in p50 %.1f ms, max %.1f ms\n",
      files, runs, median(decide_ms), bench::pct(decide_ms, 1.0));
  attest::ContainerEngine::shared().call("DELETE", "/images/" + first.tag + "?force=1", {}, 404);
  return 0;
}

int parallel(int n, const std::string& image) {
  // One after another.
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) attest::RedisServer::start_container(image)->shutdown();
  double serial = ms_since(t0);
  // All at once.
  std::vector<std::unique_ptr<attest::RedisServer>> servers(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  auto t1 = Clock::now();
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      servers[static_cast<std::size_t>(i)] = attest::RedisServer::start_container(image);
    });
  for (auto& t : threads) t.join();
  double at_once = ms_since(t1);
  for (auto& s : servers) s->shutdown();
  std::printf(
      "%d Redis containers (%s) to ready: one after another %.1f ms (incl. removal), at once "
      "%.1f ms, ratio %.2fx\n",
      n, image.c_str(), serial, at_once, at_once / serial);
  return 0;
}

int acquire(int n, const std::string& image) {
  // The migrations attest's own integration suite uses: a template made once per server.
  auto migrations = fs::path(__FILE__).parent_path().parent_path() / "integration" / "migrations";
  auto local = attest::PostgresServer::start_local();
  auto container = attest::PostgresServer::start_container(image);
  for (auto* server : {local.get(), container.get()})
    attest::PostgresDatabase warm(*server, "warm", migrations);  // the template, made once
  // One database acquired (and released) on `server`, held `hold` as a test would hold it.
  auto one = [&](attest::PostgresServer& server, std::chrono::milliseconds hold) {
    auto t0 = Clock::now();
    attest::PostgresDatabase db(server, "bench", migrations);
    double ms = ms_since(t0);
    std::this_thread::sleep_for(hold);  // attest: allow-sleep (the test's own work)
    return ms;
  };
  // Tests of 20 ms, interleaved: the pool's spares are what a test gets. Medians (ms).
  auto interleaved = [&](attest::PostgresServer& a, attest::PostgresServer& b) {
    std::vector<double> a_ms, b_ms;
    for (int i = 0; i < n; ++i) {
      a_ms.push_back(one(a, std::chrono::milliseconds(20)));
      b_ms.push_back(one(b, std::chrono::milliseconds(20)));
    }
    return std::pair{median(a_ms), median(b_ms)};
  };
  auto [l, c] = interleaved(*local, *container);
  std::printf(
      "per-test database acquire, tests of 20 ms, %d each interleaved: local p50 %.2f ms, "
      "container (%s) p50 %.2f ms, ratio %.2fx\n",
      n, l, image.c_str(), c, c / l);
  // A burst (no work between tests, one server at a time): the spares run out, each test
  // waits for a clone — the servers' own copy speed.
  std::vector<double> local_burst, container_burst;
  for (int i = 0; i < n; ++i) local_burst.push_back(one(*local, std::chrono::milliseconds(0)));
  for (int i = 0; i < n; ++i)
    container_burst.push_back(one(*container, std::chrono::milliseconds(0)));
  l = median(local_burst), c = median(container_burst);
  std::printf(
      "per-test database acquire, a burst of %d on each server: local p50 %.2f ms, container "
      "p50 %.2f ms, ratio %.2fx\n",
      n, l, c, c / l);
  // The environment's way (attest-env, attest.json): another process started the servers and
  // a test binary reaches them through ATTEST_POSTGRES_URL and ATTEST_POSTGRES_SOCKET.
  {
    auto through_env = [](attest::PostgresServer& s) {
      ::setenv("ATTEST_POSTGRES_URL", s.url("postgres").c_str(), 1);
      ::setenv("ATTEST_POSTGRES_SOCKET", s.socket_path().c_str(), 1);
      auto server = attest::PostgresServer::connect_external(s.url("postgres"));
      ::unsetenv("ATTEST_POSTGRES_URL");
      ::unsetenv("ATTEST_POSTGRES_SOCKET");
      return server;
    };
    auto local_url = through_env(*local);
    auto container_url = through_env(*container);
    std::tie(l, c) = interleaved(*local_url, *container_url);
    std::printf(
        "per-test database acquire through attest-env's variables, tests of 20 ms, %d each "
        "interleaved: local p50 %.2f ms, container p50 %.2f ms, ratio %.2fx\n",
        n, l, c, c / l);
    container_url->shutdown();
    local_url->shutdown();
  }
  container->shutdown();
  local->shutdown();
  return 0;
}

// attest-env up, warm (images present, nothing to build), then down: `runs` times each of an
// attest.json with PostgreSQL and Redis as containers and one with them as local servers.
int envup(int runs) {
  fs::path dir = fs::temp_directory_path() / ("attest-bench-envup-" + std::to_string(::getpid()));
  struct Remove {
    fs::path d;
    ~Remove() { fs::remove_all(d); }
  } remove{dir};
  auto project = [&](const std::string& name, const std::string& services) {
    fs::create_directories(dir / name);
    std::ofstream(dir / name / "attest.json") << R"({"services": )" << services << "}\n";
    return dir / name;
  };
  auto containers = project("containers", R"({
    "postgres": {"image": "attest-test/postgres15:latest-local"},
    "redis": {"image": "attest-test/redis:latest-local"}})");
  auto local = project("local", R"({"postgres": {}, "redis": {}})");
  auto up_down = [&](const fs::path& p) {
    auto t0 = Clock::now();
    auto up = attest::run_command({ATTEST_ENV_BIN, "--dir", (p / "env").string(), "up"},
                                  {p, {}, std::chrono::minutes(2)});
    double ms = ms_since(t0);
    if (up.exit_code != 0) throw std::runtime_error("attest-env up failed: " + up.out + up.err);
    attest::run_command({ATTEST_ENV_BIN, "--dir", (p / "env").string(), "down"},
                        {p, {}, std::chrono::minutes(2)});
    return ms;
  };
  up_down(containers);  // warm: the images' layers in the page cache
  std::vector<double> container_ms, local_ms;
  for (int i = 0; i < runs; ++i) {
    container_ms.push_back(up_down(containers));
    local_ms.push_back(up_down(local));
    std::printf("run %d: containers %.1f ms, local %.1f ms\n", i + 1, container_ms.back(),
                local_ms.back());
  }
  std::printf(
      "attest-env up (PostgreSQL + Redis), %d runs interleaved: containers p50 %.1f ms, local "
      "servers p50 %.1f ms\n",
      runs, median(container_ms), median(local_ms));
  return 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: attest_container_bench ready RUNS [IMAGE] | sigkill RUNS | context RUNS "
               "[FILES] | parallel N [IMAGE] | acquire N [IMAGE] | envup RUNS\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 2) return usage();
  std::string mode = argv[1];
  if (mode == "victim") return victim();
  if (argc < 3) return usage();
  int n = std::atoi(argv[2]);
  if (n <= 0) return usage();
  if (mode == "ready") return ready(n, argc > 3 ? argv[3] : "attest-test/postgres15:latest-local");
  if (mode == "sigkill") return sigkill(n);
  if (mode == "context") return context(n, argc > 3 ? std::atoi(argv[3]) : 1000);
  if (mode == "parallel") return parallel(n, argc > 3 ? argv[3] : "attest-test/redis:latest-local");
  if (mode == "acquire")
    return acquire(n, argc > 3 ? argv[3] : "attest-test/postgres15:latest-local");
  if (mode == "envup") return envup(n);
  return usage();
} catch (const std::exception& e) {
  std::fprintf(stderr, "attest_container_bench: %s\n", e.what());
  return 1;
}
