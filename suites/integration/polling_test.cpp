// Polling and the ready-made waits, against real listeners started as processes.
#include <attest/attest.hpp>
#include <attest/polling.hpp>
#include <attest/process.hpp>

#include <fstream>

#include "test_support.hpp"

using namespace std::chrono_literals;

namespace {
using attest_test::contains;
}  // namespace

BOOST_AUTO_TEST_SUITE(polling, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(waits_until_the_condition_holds, *attest::requirement("FR-027")) {
  int calls = 0;
  attest::wait_for_condition([&] { return ++calls == 5; });
  BOOST_TEST(calls == 5);
  int value = attest::wait_for([&]() -> std::optional<int> {
    if (++calls < 8) return std::nullopt;
    return calls * 10;
  });
  BOOST_TEST(value == 80);
}

BOOST_AUTO_TEST_CASE(timeout_says_what_when_how_often_and_what_was_seen,
                     *attest::requirement("FR-027")) {
  int attempts = 0;
  try {
    attest::wait_for_condition(
        [&]() -> bool {
          ++attempts;
          throw std::runtime_error("replica lag is 12 s");
        },
        {.timeout = 50ms, .description = "the replica to catch up"});
    BOOST_FAIL("no timeout");
  } catch (const attest::TimeoutError& e) {
    std::string what = e.what();
    BOOST_TEST(contains(what, "timed out waiting for the replica to catch up after 0.0"), what);
    BOOST_TEST(contains(what, std::to_string(attempts) + " attempts"), what);
    BOOST_TEST(contains(what, "last attempt: threw: replica lag is 12 s"), what);
    BOOST_TEST((e.elapsed() >= 50ms));
    BOOST_TEST((e.elapsed() < 1000ms));
    BOOST_TEST(attempts > 3);  // it kept polling until the deadline
  }
}

BOOST_AUTO_TEST_CASE(wait_aborted_ends_the_wait_at_once, *attest::requirement("FR-027")) {
  int attempts = 0;
  BOOST_CHECK_THROW(attest::wait_for_condition(
                        [&]() -> bool {
                          ++attempts;
                          throw attest::WaitAborted("the service is gone");
                        },
                        {.timeout = 10s}),
                    attest::WaitAborted);
  BOOST_TEST(attempts == 1);
}

BOOST_AUTO_TEST_CASE(tcp_and_http_waits, *attest::requirement("FR-027")) {
  auto port = attest::free_port();
  // Nothing listens yet: the failure names the refusal.
  BOOST_CHECK_EXCEPTION(
      attest::wait_for_tcp("127.0.0.1", port, {.timeout = 100ms}), attest::TimeoutError,
      [](const attest::TimeoutError& e) { return contains(e.what(), "Connection refused"); });
  attest::Process server(
      "python3", {.args = {"-m", "http.server", std::to_string(port), "--bind", "127.0.0.1"},
                  .name = "http-server"});
  attest::wait_for_tcp("127.0.0.1", port);
  attest::wait_for_http("http://127.0.0.1:" + std::to_string(port) + "/", 200);
  BOOST_CHECK_EXCEPTION(
      attest::wait_for_http("http://127.0.0.1:" + std::to_string(port) + "/missing", 200,
                            {.timeout = 100ms}),
      attest::TimeoutError,
      [](const attest::TimeoutError& e) { return contains(e.what(), "HTTP 404"); });
  BOOST_CHECK_THROW(attest::wait_for_http("ftp://example/", 200), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(unix_socket_wait, *attest::requirement("FR-027")) {
  attest_test::TempDir tmp;
  auto path = tmp.path / "s.sock";
  attest::Process listener(
      "python3",
      {.args = {"-c",
                "import socket,signal,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); "
                "s.listen(); signal.pause()",
                path.string()}});
  attest::wait_for_unix_socket(path);
  BOOST_TEST(std::filesystem::exists(path));
}

BOOST_AUTO_TEST_CASE(log_wait_returns_the_line, *attest::requirement("FR-027")) {
  attest::Process db(
      "sh", {.args = {"-c",
                      "echo starting; echo 'database system is ready to accept connections'; "
                      "exec tail -f /dev/null"},
             .name = "fake-db"});
  auto line = attest::wait_for_log(db.log_path(), "ready to accept");
  BOOST_TEST(line == "database system is ready to accept connections");
  BOOST_CHECK_EXCEPTION(
      attest::wait_for_log(db.log_path(), "FATAL", {.timeout = 50ms}), attest::TimeoutError,
      [](const attest::TimeoutError& e) { return contains(e.what(), "no matching line"); });
}

BOOST_AUTO_TEST_SUITE_END()
