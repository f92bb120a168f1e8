// Coroutine tests (<attest/async.hpp>) tested as coroutine tests: what the body awaits,
// what it spawns, fixtures' async set-up and tear-down, the contexts they run on, and
// the awaitables (polling, offload, processes).
#include <attest/async.hpp>
#include <attest/async_process.hpp>
#include <attest/attest.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <thread>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(attest::here());
}

// The io_context behind the running coroutine's executor.
asio::awaitable<const asio::execution_context*> current_context() {
  auto ex = co_await asio::this_coro::executor;
  co_return &asio::query(ex, asio::execution::context);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(async_tests, *attest::mark("unit") * attest::requirement("FR-141"))

ATTEST_ASYNC_TEST_CASE(a_coroutine_body_awaits_asio_operations) {
  auto start = std::chrono::steady_clock::now();
  co_await pause(5ms);
  BOOST_TEST((std::chrono::steady_clock::now() - start >= 5ms));
}

ATTEST_ASYNC_TEST_CASE(a_test_without_decorators_registers_as_any_case) {
  const auto& tc = boost::unit_test::framework::current_test_case();
  BOOST_TEST(tc.p_name.get() == "a_test_without_decorators_registers_as_any_case");
  co_return;
}

// The test ends when what it spawned ends: the fixture's destructor runs after it.
struct ChecksSpawnedWorkFinished {
  std::shared_ptr<std::atomic<int>> done = std::make_shared<std::atomic<int>>(0);
  ~ChecksSpawnedWorkFinished() { BOOST_TEST(done->load() == 3); }
};

ATTEST_ASYNC_FIXTURE_TEST_CASE(the_test_waits_for_the_tasks_it_spawned, ChecksSpawnedWorkFinished,
                               *attest::requirement("FR-142")) {
  for (int i = 1; i <= 3; ++i)
    co_await attest::spawn([](auto done, int n) -> asio::awaitable<void> {
      co_await pause(std::chrono::milliseconds(2 * n));
      ++*done;
    }(done, i));
  BOOST_TEST(done->load() == 0);  // still running when the body returns
}

// Async set-up and tear-down around the body, in order, on the test's context.
struct AsyncFixture {
  std::vector<std::string> steps;
  static inline std::vector<std::string> last;
  asio::awaitable<void> async_setup() {
    co_await pause(1ms);
    steps.push_back("setup");
  }
  asio::awaitable<void> async_teardown() {
    co_await pause(1ms);
    steps.push_back("teardown");
    last = steps;
  }
};

ATTEST_ASYNC_FIXTURE_TEST_CASE(async_setup_and_teardown_run_around_the_body, AsyncFixture,
                               *attest::requirement("FR-143")) {
  BOOST_TEST(steps == std::vector<std::string>{"setup"});
  steps.push_back("body");
  co_return;
}

BOOST_AUTO_TEST_CASE(async_teardown_ran_after_the_body, *attest::requirement("FR-143")) {
  BOOST_TEST(AsyncFixture::last == (std::vector<std::string>{"setup", "body", "teardown"}));
}

// What the body spawns ends before the tear-down; what the set-up spawned (a server) may run
// until the tear-down stops it.
struct ServesUntilTornDown {
  std::shared_ptr<std::vector<std::string>> steps = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::atomic<bool>> serving = std::make_shared<std::atomic<bool>>(true);
  asio::awaitable<void> async_setup() {
    co_await attest::spawn([](auto serving) -> asio::awaitable<void> {
      while (serving->load()) co_await pause(1ms);
    }(serving));
  }
  asio::awaitable<void> async_teardown() {
    steps->push_back("teardown");
    *serving = false;  // the set-up's task ends now: it did not hold the tear-down back
    co_return;
  }
  ~ServesUntilTornDown() {
    BOOST_TEST(*steps == (std::vector<std::string>{"body", "spawned", "teardown"}));
  }
};

ATTEST_ASYNC_FIXTURE_TEST_CASE(the_teardown_waits_for_what_the_body_spawned, ServesUntilTornDown,
                               *attest::requirement("FR-143")) {
  steps->push_back("body");
  co_await attest::spawn([](auto steps) -> asio::awaitable<void> {
    co_await pause(20ms);
    steps->push_back("spawned");
  }(steps));
}

ATTEST_ASYNC_TEST_CASE(async_wait_for_returns_the_first_value, *attest::requirement("FR-144")) {
  int calls = 0;
  int value = co_await attest::async_wait_for(
      [&]() -> std::optional<int> { return ++calls < 3 ? std::nullopt : std::optional<int>(42); });
  BOOST_TEST(value == 42);
  BOOST_TEST(calls == 3);
  bool flag = false;
  co_await attest::spawn([](bool& f) -> asio::awaitable<void> {
    co_await pause(3ms);
    f = true;
  }(flag));
  co_await attest::async_wait_for_condition([&] { return flag; });
  BOOST_TEST(flag);
}

ATTEST_ASYNC_TEST_CASE(async_wait_for_times_out_at_the_callers_line,
                       *attest::requirement("FR-144")) {
  unsigned line = 0;
  std::string what;
  try {
    const attest::PollingConfig briefly{.timeout = 20ms, .description = "never"};
    line = __LINE__ + 1;
    co_await attest::async_wait_for_condition([] { return false; }, briefly);
  } catch (const attest::TimeoutError& e) {
    what = e.what();
    BOOST_TEST(e.where().line_number() == line);
  }
  BOOST_TEST(what.find("never") != std::string::npos, what);
}

ATTEST_ASYNC_TEST_CASE(offload_runs_blocking_calls_on_the_pool_and_resumes_here,
                       *attest::requirement("FR-145")) {
  auto here = std::this_thread::get_id();
  auto there = co_await attest::offload([] { return std::this_thread::get_id(); });
  BOOST_TEST((there != here));
  BOOST_TEST((std::this_thread::get_id() == here));
  co_await attest::offload([] {});  // void works too
  std::string what;
  try {
    co_await attest::offload([]() -> int { throw std::runtime_error("pq: no such table"); });
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  BOOST_TEST(what == "pq: no such table");
}

ATTEST_ASYNC_TEST_CASE(process_awaitables_wait_for_readiness_and_exit,
                       *attest::requirement("FR-145")) {
  auto dir =
      std::filesystem::temp_directory_path() / ("attest-async-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  struct Remove {
    std::filesystem::path p;
    ~Remove() { std::filesystem::remove_all(p); }
  } remove{dir};
  auto marker = dir / "ready";
  attest::Process child("sh", {.args = {"-c", "touch " + marker.string() + " && exec sleep 30"}});
  co_await attest::async_wait_ready(child, [&] { return std::filesystem::exists(marker); });
  BOOST_TEST(child.running());
  child.stop();
  auto status = co_await attest::async_wait_exit(child);
  BOOST_TEST(!status.empty());

  attest::Process quitter("sh", {.args = {"-c", "exit 3"}});
  std::string what;
  try {
    co_await attest::async_wait_ready(quitter, [] { return false; });
  } catch (const attest::ProcessExitedError& e) {
    what = e.what();
  }
  BOOST_TEST(what.find("exit code 3") != std::string::npos, what);
}

BOOST_AUTO_TEST_SUITE_END()

// One io_context for the suite: every test sees the same one.
BOOST_AUTO_TEST_SUITE(async_suite_context, *attest::mark("unit") * attest::requirement("FR-146") *
                                               attest::async_context(attest::io_scope::suite))

const asio::execution_context* g_suite_context = nullptr;

ATTEST_ASYNC_TEST_CASE(first_test_sees_the_suite_context) {
  g_suite_context = co_await current_context();
  BOOST_TEST(g_suite_context != nullptr);
}

ATTEST_ASYNC_TEST_CASE(
    second_test_sees_the_same_context,
    *boost::unit_test::depends_on("async_suite_context/first_test_sees_the_suite_context")) {
  BOOST_TEST(co_await current_context() == g_suite_context);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(async_own_context, *attest::mark("unit") * attest::requirement("FR-146"))

const asio::execution_context* g_first_context = nullptr;

ATTEST_ASYNC_TEST_CASE(a_test_has_a_context_of_its_own) {
  g_first_context = co_await current_context();
  co_return;
}

ATTEST_ASYNC_TEST_CASE(
    the_next_test_has_another,
    *boost::unit_test::depends_on("async_own_context/a_test_has_a_context_of_its_own")) {
  // Same address could be reused by the allocator; the executor's context must be live.
  auto* mine = co_await current_context();
  BOOST_TEST(mine != nullptr);
  co_return;
}

// Handlers on several threads; the test's own coroutines stay on one strand at a time.
ATTEST_ASYNC_TEST_CASE(handlers_run_on_several_threads_with_checks_serialised,
                       *attest::async_context(attest::io_scope::test, 3)) {
  auto ex = co_await asio::this_coro::executor;
  auto& context = static_cast<asio::io_context&>(asio::query(ex, asio::execution::context));
  // Two plain handlers that each wait for the other to be running: only two threads
  // running the context at once let both finish (each gives up after 5 s).
  std::atomic<int> inside{0}, met{0};
  for (int i = 0; i < 2; ++i)
    asio::post(context, [&] {
      ++inside;
      auto until = std::chrono::steady_clock::now() + 5s;
      while (inside.load() < 2 && std::chrono::steady_clock::now() < until)
        std::this_thread::yield();
      if (inside.load() >= 2) ++met;
    });
  // The test's coroutines share a strand: none interleaves with another between awaits.
  std::atomic<bool> busy{false};
  std::atomic<int> overlapped{0};
  for (int i = 0; i < 20; ++i)
    co_await attest::spawn([](std::atomic<bool>& b, std::atomic<int>& o) -> asio::awaitable<void> {
      for (int round = 0; round < 3; ++round) {
        if (b.exchange(true)) ++o;
        std::this_thread::yield();
        BOOST_TEST(true);  // a check from a spawned coroutine
        b = false;
        co_await pause(1ms);
      }
    }(busy, overlapped));
  const attest::PollingConfig patiently{.timeout = 10s, .description = "both handlers met"};
  co_await attest::async_wait_for_condition([&] { return met.load() == 2; }, patiently);
  BOOST_TEST(overlapped.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
