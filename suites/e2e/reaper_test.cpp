// Nothing survives a run: the runner is killed mid-test (SIGKILL, SIGTERM,
// SIGINT) and the services it started, including grandchildren, must be gone
// within a second, with the run directory, without waiting for a later run.
#include <attest/attest.hpp>
#include <attest/process.hpp>

#include <signal.h>

#include <fstream>

#include <regex>
#include <set>

#include "test_support.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using attest_test::alive;

// What a directory still holds, for a failure message (first 20 paths).
std::string listing(const fs::path& dir) {
  std::string out;
  int n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator() && n < 20; it.increment(ec), ++n)
    out += "\n  " + it->path().string();
  return out;
}
using attest_test::wait_gone;

struct Victim {
  pid_t service = 0, grandchild = 0;
  fs::path rundir;
};

// Starts the victim runner under ATTEST_RUN_DIR=`base` and waits until its service is up.
Victim start_victim(attest::Process& runner) {
  auto line = attest::wait_for_log(runner.log_path(), "rundir=");
  std::smatch m;
  BOOST_TEST_REQUIRE(
      std::regex_search(line, m, std::regex("service=(\\d+) grandchild=(\\d+) rundir=(\\S+)")),
      line);
  return {std::stoi(m[1]), std::stoi(m[2]), fs::path(m[3].str())};
}

void kill_runner_and_check(int sig) {
  attest_test::TempDir base;
  attest::ProcessOptions options{.args = {"--run_test=launches_a_service_and_blocks"},
                                 .env = {{"ATTEST_RUN_DIR", base.path.string()},
                                         {"ATTEST_CACHE_DIR", attest_test::run_cache_dir().string()}},
                                 .name = "victim"};
  attest::Process runner(ATTEST_VICTIM_BIN, options);
  Victim v = start_victim(runner);
  BOOST_TEST(fs::exists(v.rundir));
  BOOST_TEST(v.rundir.parent_path() == base.path);

  auto killed = std::chrono::steady_clock::now();
  ::kill(runner.pid(), sig);
  attest::wait_for_condition([&] { return !runner.running(); },
                             {.timeout = 10s, .description = "the runner to die"});
  // Whatever the signal, SIGKILL included (the run's watchdog then), everything it started is
  // gone within 1 s, grandchildren too, and its run directory without waiting for a later run.
  wait_gone(v.service, "the service");
  wait_gone(v.grandchild, "the grandchild");
  auto gone_after = std::chrono::steady_clock::now() - killed;
  BOOST_TEST((gone_after <= 1s), "gone after "
                                   << std::chrono::duration<double>(gone_after).count() << " s");
  attest::wait_for_condition([&] { return !fs::exists(v.rundir); },
                             {.timeout = 5s, .description = "the run directory to go"});

  // A next run finds nothing to reap and leaves nothing either.
  auto next = attest_test::run_command({ATTEST_VICTIM_BIN, "--run_test=quick"}, base.path,
                                       {{"ATTEST_RUN_DIR", base.path.string()}});
  BOOST_TEST(next.exit_code == 0, next.out + next.err);
  BOOST_TEST(fs::is_empty(base.path), "left behind: " << listing(base.path));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reaper, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(sigkill_of_the_runner, *attest::requirement("FR-030", "FR-088")) {
  kill_runner_and_check(SIGKILL);
}

BOOST_AUTO_TEST_CASE(sigterm_of_the_runner, *attest::requirement("FR-030")) {
  kill_runner_and_check(SIGTERM);
}

BOOST_AUTO_TEST_CASE(sigint_of_the_runner, *attest::requirement("FR-030")) {
  kill_runner_and_check(SIGINT);
}

BOOST_AUTO_TEST_CASE(runs_side_by_side_share_nothing, *attest::requirement("FR-030")) {
  attest_test::TempDir base;
  attest::ProcessOptions options{.args = {"--run_test=launches_a_service_and_blocks"},
                                 .env = {{"ATTEST_RUN_DIR", base.path.string()},
                                         {"ATTEST_CACHE_DIR", attest_test::run_cache_dir().string()}},
                                 .name = "victim"};
  attest::Process one(ATTEST_VICTIM_BIN, options), two(ATTEST_VICTIM_BIN, options);
  Victim a = start_victim(one), b = start_victim(two);
  BOOST_TEST(a.rundir != b.rundir);  // neither reaps the other: both are locked
  BOOST_TEST(one.log_path() != two.log_path());
  BOOST_TEST(fs::exists(a.rundir / "service.log"));
  BOOST_TEST(fs::exists(b.rundir / "service.log"));
  one.stop();
  two.stop();
  wait_gone(a.service, "the first run's service");
  wait_gone(b.service, "the second run's service");
}

BOOST_AUTO_TEST_CASE(sigkill_with_postgres_running,
                     *attest::requirement("FR-030", "FR-034", "FR-088")) {
  auto shm_segments = [] {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind("PostgreSQL.", 0) == 0)
        names.insert(e.path().filename().string());
    return names;
  };
  auto segments_before = shm_segments();
  attest_test::TempDir base;
  fs::permissions(base.path, fs::perms::others_exec, fs::perm_options::add);  // for `nobody`
  attest::Process runner(ATTEST_VICTIM_BIN, {.args = {"--run_test=launches_postgres_and_blocks"},
                                             .env = {{"ATTEST_RUN_DIR", base.path.string()},
                                         {"ATTEST_CACHE_DIR", attest_test::run_cache_dir().string()}},
                                             .name = "victim"});
  auto line = attest::wait_for_log(runner.log_path(), "rundir=", {.timeout = 60s});
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_search(line, m, std::regex("postgres=(\\d+) rundir=(\\S+)")), line);
  pid_t postmaster = std::stoi(m[1]);
  BOOST_TEST(alive(postmaster));

  auto killed = std::chrono::steady_clock::now();
  ::kill(runner.pid(), SIGKILL);
  wait_gone(postmaster, "the postmaster");  // the watchdog kills its whole group
  BOOST_TEST((std::chrono::steady_clock::now() - killed <= 1s));
  fs::path rundir = m[2].str();
  attest::wait_for_condition([&] { return !fs::exists(rundir); },
                             {.timeout = 10s, .description = "the run directory to go"});
  auto next = attest_test::run_command({ATTEST_VICTIM_BIN, "--run_test=quick"}, base.path,
                                       {{"ATTEST_RUN_DIR", base.path.string()}});
  BOOST_TEST(next.exit_code == 0, next.out + next.err);
  BOOST_TEST(fs::is_empty(base.path), "left behind: " << listing(base.path));
  BOOST_TEST(shm_segments() == segments_before, "no shared memory segment left in /dev/shm");
}

namespace {

// Live (not zombie) processes whose command line mentions `needle` or whose group is `pgid`.
std::set<pid_t> live_processes(const std::string& needle, pid_t pgid = 0) {
  std::set<pid_t> found;
  for (const auto& e : fs::directory_iterator("/proc")) {
    auto name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size()) continue;
    std::istringstream rest(text.substr(close + 2));
    char state = 0;
    pid_t ppid = 0, group = 0;
    rest >> state >> ppid >> group;
    if (state == 'Z' || state == 'X') continue;
    std::ifstream cmd(e.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    if ((pgid > 0 && group == pgid) || cmdline.find(needle) != std::string::npos)
      found.insert(std::stoi(name));
  }
  return found;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sigkill_while_initdb_builds_a_cold_cache, *attest::requirement("FR-107")) {
  // An empty PostgreSQL cache: the runner's first server runs initdb (which starts a bootstrap
  // postgres of its own) and copies the result. SIGKILL in the middle: none of what the start
  // spawned outlives the runner by more than a second.
  attest_test::TempDir base, cache;
  fs::permissions(base.path, fs::perms::others_exec, fs::perm_options::add);  // for `nobody`
  fs::permissions(cache.path, fs::perms::others_exec, fs::perm_options::add);
  attest::Process runner(ATTEST_VICTIM_BIN, {.args = {"--run_test=launches_postgres_and_blocks"},
                                             .env = {{"ATTEST_RUN_DIR", base.path.string()},
                                                     {"XDG_CACHE_HOME", cache.path.string()},
                                                     {"ATTEST_CACHE_DIR",
                                                      attest_test::run_cache_dir().string()}},
                                             .name = "victim"});
  // initdb -D <run dir>/.../initdb: its command line names the run's base directory.
  pid_t initdb_group = 0;
  attest::wait_for_condition(
      [&] {
        for (pid_t pid : live_processes(base.path.string())) {
          std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
          std::string name;
          std::getline(comm, name);
          if (name == "initdb") initdb_group = ::getpgid(pid);
        }
        return initdb_group > 0;
      },
      {.timeout = 60s, .interval = 1ms, .description = "initdb to start"});
  // Inside initdb's work: the bootstrap backend runs for most of it.
  attest::wait_for_condition([&] { return live_processes(base.path.string(), initdb_group).size() >= 2; },
                             {.timeout = 10s, .interval = 1ms, .description = "initdb's children"});
  auto spawned = live_processes(base.path.string(), initdb_group);
  auto killed = std::chrono::steady_clock::now();
  ::kill(runner.pid(), SIGKILL);
  attest::wait_for_condition(
      [&] { return live_processes(base.path.string(), initdb_group).empty(); },
      {.timeout = 10s, .interval = 1ms, .description = "what the PostgreSQL start spawned to go"});
  auto took = std::chrono::steady_clock::now() - killed;
  BOOST_TEST((took <= 1s), "initdb and its children outlived the runner by "
                               << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                               << " ms (" << spawned.size() << " processes)");
}

BOOST_AUTO_TEST_CASE(a_clean_run_leaves_nothing, *attest::requirement("FR-030")) {
  attest_test::TempDir base;
  auto r = attest_test::run_command({ATTEST_VICTIM_BIN, "--run_test=quick"}, base.path,
                                    {{"ATTEST_RUN_DIR", base.path.string()}});
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(fs::is_empty(base.path));
}

BOOST_AUTO_TEST_SUITE_END()
