// Supervised processes: logs, early-exit detection, stop, process groups, ports.
#include <attest/attest.hpp>
#include <attest/process.hpp>
#include <attest/run_dir.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "test_support.hpp"

using namespace std::chrono_literals;

namespace {

using attest_test::alive;
using attest_test::contains;
using attest_test::wait_gone;
}  // namespace

BOOST_AUTO_TEST_SUITE(process, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(logs_go_to_the_run_directory, *attest::requirement("FR-028")) {
  attest::Process p(
      "sh", {.args = {"-c", "echo out; echo err >&2; exec tail -f /dev/null"}, .name = "chatty"});
  BOOST_TEST(p.log_path().parent_path() == attest::RunDir::current().path());
  BOOST_TEST(p.log_path().filename() == "chatty.log");
  attest::wait_for_log(p.log_path(), "err");
  BOOST_TEST(contains(p.log_tail(), "out\n"));
  attest::Process second("sh", {.args = {"-c", "exec tail -f /dev/null"}, .name = "chatty"});
  BOOST_TEST(second.log_path().filename() == "chatty-2.log");  // never a shared log
  auto mode = std::filesystem::status(attest::RunDir::current().path()).permissions() &
              std::filesystem::perms::all;
  BOOST_TEST((mode == std::filesystem::perms::owner_all));  // 0700: sockets and logs are ours alone
}

BOOST_AUTO_TEST_CASE(early_exit_is_reported_at_once_with_the_log, *attest::requirement("FR-028")) {
  attest::Process p(
      "sh", {.args = {"-c", "echo 'FATAL: could not bind port' >&2; exit 3"}, .name = "crasher"});
  auto start = std::chrono::steady_clock::now();
  try {
    p.wait_ready([] { return false; }, {.timeout = 30s});
    BOOST_FAIL("wait_ready returned");
  } catch (const attest::ProcessExitedError& e) {
    BOOST_TEST(contains(e.what(), "crasher exited before it was ready (exit code 3)"), e.what());
    BOOST_TEST(contains(e.what(), "FATAL: could not bind port"), e.what());
  }
  BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));  // detected, not timed out
}

BOOST_AUTO_TEST_CASE(stop_escalates_to_sigkill_and_takes_the_group,
                     *attest::requirement("FR-028")) {
  // A service that ignores SIGTERM and has a child of its own.
  auto p = std::make_unique<attest::Process>(
      "sh", attest::ProcessOptions{
                .args = {"-c", "trap '' TERM; tail -f /dev/null & echo child=$!; wait"},
                .name = "stubborn",
                .stop_grace = 200ms});
  auto line = attest::wait_for_log(p->log_path(), "child=[0-9]+");
  pid_t child = std::stoi(line.substr(6)), pid = p->pid();
  BOOST_TEST(alive(child));
  p->stop();
  BOOST_TEST(!alive(pid));
  wait_gone(child, "the service's child");
  p.reset();  // stop() again from the destructor is harmless
}

// The number of a reaped leader can be handed out again, to another program's group leader.
// Made to happen: the kernel's next pid set (as root, /proc/sys/kernel/ns_last_pid) so that an
// unrelated process leading its own group gets the number of a service that exited by itself;
// stopping the service must leave it alone.
BOOST_AUTO_TEST_CASE(stop_never_signals_a_group_that_reused_the_number,
                     *attest::requirement("FR-028")) {
  attest::Process p("sh", {.args = {"-c", "exit 0"}, .name = "short_lived"});
  attest::wait_for_condition([&] { return !p.running(); }, {.description = "the service to exit"});
  const pid_t number = p.pid();
  pid_t other = -1;
  for (int attempt = 0; attempt < 50 && other != number; ++attempt) {
    if (other > 0) {
      ::kill(other, SIGKILL);
      ::waitpid(other, nullptr, 0);
    }
    std::ofstream last("/proc/sys/kernel/ns_last_pid");
    if (!(last << (number - 1) << std::flush)) break;  // not root: the number cannot be chosen
    last.close();
    other = ::fork();
    if (other == 0) {  // async-signal-safe only: the test process may have threads
      ::setpgid(0, 0);
      for (;;) ::pause();
    }
    if (other > 0) ::setpgid(other, other);
  }
  if (other != number) {
    if (other > 0) {
      ::kill(other, SIGKILL);
      ::waitpid(other, nullptr, 0);
    }
    throw attest::SkipTest("the next pid could not be chosen (needs root)");
  }
  p.stop();
  // A signal is delivered when its target next runs: wait a while for a death that must not come.
  bool killed = false;
  try {
    attest::wait_for_condition([&] { return ::waitpid(other, nullptr, WNOHANG) == other; },
                               {.timeout = 500ms, .description = "the other group to die"});
    killed = true;
  } catch (const attest::TimeoutError&) {
  }
  BOOST_TEST(!killed, "stopping the service killed the group that got its number");
  if (!killed) {  // (once reaped, its number is free again: not signalled)
    ::kill(other, SIGKILL);
    ::waitpid(other, nullptr, 0);
  }
}

BOOST_AUTO_TEST_CASE(cannot_start_is_an_error, *attest::requirement("FR-028")) {
  BOOST_CHECK_EXCEPTION(
      attest::Process("/no/such/binary"), std::runtime_error, [](const std::runtime_error& e) {
        return contains(e.what(),
                        "cannot start binary (/no/such/binary): No such file or directory");
      });
}

BOOST_AUTO_TEST_CASE(http_service_on_a_free_port, *attest::requirement("FR-028")) {
  attest::HttpService web(
      "python3", {.args = {"-m", "http.server", "{port}", "--bind", "127.0.0.1"}, .name = "web"});
  BOOST_TEST(web.port() > 0);
  BOOST_TEST(web.base_url() == "http://127.0.0.1:" + std::to_string(web.port()));
  attest::wait_for_http(web.base_url() + "/", 200, {.timeout = 1s});
  attest::HttpService other(
      "python3", {.args = {"-m", "http.server", "{port}", "--bind", "127.0.0.1"}, .name = "web"});
  BOOST_TEST(other.port() != web.port());
}

BOOST_AUTO_TEST_SUITE_END()
