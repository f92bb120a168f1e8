// attest::AsyncRedisClient (hiredis' asynchronous API on Asio) against a real redis-server,
// from coroutine tests: replies in order, error replies, connections that fail, and
// cancellation that leaves the connection usable.
#include <attest/async.hpp>
#include <attest/async_redis.hpp>
#include <attest/attest.hpp>
#include <attest/redis.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(async_redis, *attest::mark("integration") * attest::requirement("FR-148"))

ATTEST_ASYNC_TEST_CASE(commands_are_awaited_and_read_as_their_types) {
  auto& server = attest::RedisServer::session();
  attest::RedisNamespace keys(server, "async");
  attest::AsyncRedisClient redis(co_await asio::this_coro::executor, server.url());
  auto set = co_await redis.command("SET", keys.key("greeting"), "hello");
  BOOST_TEST(set.str() == "OK");
  BOOST_TEST((co_await redis.command("GET", keys.key("greeting"))).str() == "hello");
  BOOST_TEST((co_await redis.command("INCRBY", keys.key("n"), "41")).integer() == 41);
  co_await redis.command("RPUSH", keys.key("list"), "a", "b");
  auto list = co_await redis.command("LRANGE", keys.key("list"), "0", "-1");
  BOOST_TEST(list.strings() == (std::vector<std::string>{"a", "b"}));
  BOOST_TEST((co_await redis.command("GET", keys.key("missing"))).is_nil());
  // The blocking client sees what the asynchronous one wrote: the same server, same keys.
  BOOST_TEST(keys.client().command("GET", keys.key("greeting")).str() == "hello");
}

ATTEST_ASYNC_TEST_CASE(commands_sent_together_are_pipelined_and_answered_in_order) {
  auto& server = attest::RedisServer::session();
  attest::RedisNamespace keys(server, "async");
  attest::AsyncRedisClient redis(co_await asio::this_coro::executor, server.url());
  // 200 INCRs in flight at once, completed by callbacks: each sees the next value.
  std::vector<long long> seen;
  for (int i = 0; i < 200; ++i)
    redis.async_command({"INCR", keys.key("counter")},
                        [&seen](std::exception_ptr error, attest::RedisReply reply) {
                          seen.push_back(error ? -1 : reply.integer());
                        });
  BOOST_TEST(seen.empty());  // nothing answered before this coroutine yields
  auto last = co_await redis.command("GET", keys.key("counter"));
  BOOST_TEST(last.str() == "200");
  BOOST_REQUIRE(seen.size() == 200u);
  for (std::size_t i = 0; i < seen.size(); ++i)
    BOOST_TEST(seen[i] == static_cast<long long>(i + 1));
}

ATTEST_ASYNC_TEST_CASE(an_error_reply_throws_redis_error_naming_the_command) {
  auto& server = attest::RedisServer::session();
  attest::RedisNamespace keys(server, "async");
  attest::AsyncRedisClient redis(co_await asio::this_coro::executor, server.url());
  co_await redis.command("SET", keys.key("text"), "x");
  std::string what;
  try {
    co_await redis.command("LPUSH", keys.key("text"), "y");
  } catch (const attest::RedisError& e) {
    what = e.what();
  }
  BOOST_TEST(contains(what, "LPUSH: WRONGTYPE"), what);
  // The connection stays usable after an error reply.
  BOOST_TEST((co_await redis.command("GET", keys.key("text"))).str() == "x");
}

ATTEST_ASYNC_TEST_CASE(a_connection_that_fails_is_a_failure_at_the_callers_line) {
  auto& server = attest::RedisServer::session();
  auto ex = co_await asio::this_coro::executor;
  // A port nothing listens on: the connection is refused when the first command is sent.
  {
    attest::AsyncRedisClient nobody(ex, "redis://127.0.0.1:1/");
    unsigned line = 0;
    std::string what;
    try {
      line = __LINE__ + 1;
      co_await nobody.command("PING");
    } catch (const attest::Failure& e) {
      what = e.what();
      BOOST_TEST(e.where().line_number() == line);
    }
    BOOST_TEST(contains(what, "PING"), what);
    BOOST_TEST(contains(what, "cannot connect"), what);
  }
  // A wrong password: the server's refusal explains the commands that follow, and the
  // password itself is not in the message.
  {
    std::string url = server.url();
    auto at = url.find('@');
    BOOST_REQUIRE(at != std::string::npos);
    std::string wrong = "redis://:not-the-password-4711" + url.substr(at);
    attest::AsyncRedisClient stranger(ex, wrong);
    std::string what;
    try {
      co_await stranger.command("PING");
    } catch (const std::exception& e) {
      what = e.what();
    }
    BOOST_TEST(contains(what, "cannot use the server"), what);
    BOOST_TEST(!contains(what, "not-the-password-4711"), what);
  }
  BOOST_CHECK_THROW(attest::AsyncRedisClient(ex, "http://127.0.0.1:6379"),
                    attest::RedisUnavailable);
}

ATTEST_ASYNC_TEST_CASE(a_cancelled_wait_drops_its_reply_and_keeps_the_connection) {
  auto& server = attest::RedisServer::session();
  attest::RedisNamespace keys(server, "async");
  auto ex = co_await asio::this_coro::executor;
  attest::AsyncRedisClient redis(ex, server.url());
  // BLPOP on an empty list blocks on the server for 1 s; cancel the wait after 50 ms.
  asio::cancellation_signal signal;
  asio::steady_timer timer(ex, 50ms);
  timer.async_wait(
      [&signal](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
  auto start = std::chrono::steady_clock::now();
  boost::system::error_code code;
  try {
    std::vector<std::string> blpop{"BLPOP", keys.key("empty"), "1"};
    co_await redis.async_command(std::move(blpop),
                                 asio::bind_cancellation_slot(signal.slot(), asio::use_awaitable));
  } catch (const boost::system::system_error& e) {
    code = e.code();
  }
  BOOST_TEST(code == asio::error::operation_aborted);
  BOOST_TEST((std::chrono::steady_clock::now() - start < 900ms));
  // The next reply is the next command's (PONG), not the dropped BLPOP's nil.
  BOOST_TEST((co_await redis.command("PING")).str() == "PONG");
}

BOOST_AUTO_TEST_SUITE_END()
