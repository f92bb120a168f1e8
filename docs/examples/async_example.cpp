// TESTING.md's coroutine and property examples: compiled, run by CTest (label docs), quoted
// verbatim.
#include <attest/async.hpp>
#include <attest/async_process.hpp>
#include <attest/attest.hpp>
#include <attest/property.hpp>

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;

// [async-test]
// A stand-in for the code under test: a queue a worker fills a little later.
struct Inbox {
  std::vector<std::string> messages;
  std::optional<std::string> next() {
    if (messages.empty()) return std::nullopt;
    auto m = messages.front();
    messages.erase(messages.begin());
    return m;
  }
};

boost::asio::awaitable<void> deliver_later(std::shared_ptr<Inbox> inbox) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 20ms);
  co_await timer.async_wait(attest::here());  // a timeout names this line
  inbox->messages.push_back("order 42 shipped");
}

ATTEST_ASYNC_TEST_CASE(delivers_the_shipping_notice,
                       *attest::requirement("FR-141", "FR-142", "FR-144") * attest::mark("unit")) {
  auto inbox = std::make_shared<Inbox>();
  co_await attest::spawn(deliver_later(inbox));  // the test also waits for it to end
  // Polls without blocking the io_context: deliver_later runs meanwhile.
  const attest::PollingConfig patiently{.timeout = 5s, .description = "the shipping notice"};
  auto message = co_await attest::async_wait_for([&] { return inbox->next(); }, patiently);
  BOOST_TEST(message == "order 42 shipped");
}
// [async-test]

// [async-fixture]
struct Worker {
  std::optional<attest::Process> process;
  boost::asio::awaitable<void> async_setup() {  // before the body
    process.emplace("sh", attest::ProcessOptions{.args = {"-c", "exec sleep 30"}});
    co_await attest::async_wait_ready(*process, [this] { return process->running(); });
  }
  boost::asio::awaitable<void> async_teardown() {  // after it, also when it failed
    process->stop();
    co_await attest::async_wait_exit(*process);
  }
};

ATTEST_ASYNC_FIXTURE_TEST_CASE(the_worker_runs_while_the_body_does, Worker,
                               *attest::requirement("FR-143", "FR-145") * attest::mark("unit")) {
  BOOST_TEST(process->running());
  // A blocking call (a libpqxx query, say) runs on attest's thread pool, not the io_context.
  auto answer = co_await attest::offload([] { return 6 * 7; });
  BOOST_TEST(answer == 42);
}
// [async-fixture]

// [property]
ATTEST_PROPERTY(sorting_twice_changes_nothing, (std::vector<int> values),
                *attest::requirement("FR-147") * attest::mark("unit")) {
  std::sort(values.begin(), values.end());
  auto again = values;
  std::sort(again.begin(), again.end());
  RC_ASSERT(again == values);
}
// [property]
