// The orders service's tests, written as a user of attest writes coroutine tests: the
// service runs on each test's io_context, its pricing peer is a mock, PostgreSQL and Redis
// are real (one database and one key prefix per test). Driven by ../async_service_test.cpp.
// The tests marked "planted" fail on purpose; the driver checks where each failure is
// reported (the lines marked PLANTED).
#include <attest/async.hpp>
#include <attest/async_http.hpp>
#include <attest/async_redis.hpp>
#include <attest/attest.hpp>
#include <attest/mock_http.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>

#include <boost/json.hpp>

#include <pqxx/pqxx>

#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

#include "orders_service.hpp"

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Each test: a pricing mock, a database and a key prefix of its own, the service on the
// test's io_context, and clients for its API and for Redis.
struct OrdersService {
  attest::MockHttpServer pricing;
  attest::PostgresDatabase db{attest::PostgresServer::session(), "orders"};
  attest::RedisNamespace keys{attest::RedisServer::session(), "orders"};
  std::optional<orders::Service> service;
  std::optional<attest::AsyncHttpClient> api;
  std::optional<attest::AsyncRedisClient> redis;

  asio::awaitable<void> async_setup() {
    auto ex = co_await asio::this_coro::executor;
    service.emplace(ex, orders::Config{pricing.base_url(), db.url(),
                                       attest::RedisServer::session().url(), keys.prefix()});
    co_await service->migrate();
    co_await attest::spawn(service->run());  // the test ends when it has returned
    api.emplace(service->base_url());
    redis.emplace(ex, attest::RedisServer::session().url());
  }
  asio::awaitable<void> async_teardown() {
    service->stop();
    co_return;
  }

  void price(const std::string& sku, long cents) {
    pricing.when(attest::MockRequest().method("GET").path("/prices/" + sku))
        .respond(attest::MockResponse(200).json(R"({"cents": )" + std::to_string(cents) + "}"));
  }
  asio::awaitable<attest::HttpResponse> order(const std::string& sku, long qty) {
    // Named first: GCC 12 rejects a braced list of strings inside a co_await.
    json::object body{{"sku", sku}, {"qty", qty}};
    attest::HttpHeaders headers{{"Content-Type", "application/json"}};
    co_return co_await api->post("/orders", json::serialize(body), headers);
  }
  // A blocking query, off the test's io_context.
  asio::awaitable<long> count_rows(const std::string& where = "true") {
    const auto count = [url = db.url(), where] {
      pqxx::connection c(url);
      pqxx::read_transaction tx(c);
      return tx.exec1("SELECT count(*) FROM orders WHERE " + where)[0].as<long>();
    };
    co_return co_await attest::offload(count);
  }
};

long field(const attest::HttpResponse& r, const char* name) {
  return json::parse(r.body).at(name).to_number<long>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(orders_service, *attest::mark("service"))

ATTEST_ASYNC_FIXTURE_TEST_CASE(an_order_is_priced_stored_and_counted, OrdersService,
                               *attest::requirement("ORD-001", "ORD-002")) {
  price("A1", 250);
  auto created = co_await order("A1", 2);
  BOOST_TEST(created.status == 201u);
  BOOST_TEST(field(created, "total_cents") == 500);
  long id = field(created, "id");
  BOOST_TEST(co_await count_rows("id = " + std::to_string(id) + " AND total_cents = 500") == 1);
  BOOST_TEST((co_await redis->command("GET", keys.key("orders:count"))).str() == "1");
  // The event is written after the answer: wait for it, never sleep.
  auto events = co_await attest::async_wait_for(
      [this]() -> asio::awaitable<std::optional<std::vector<std::string>>> {
        auto list = (co_await redis->command("LRANGE", keys.key("events"), 0, -1)).strings();
        co_return list.empty() ? std::nullopt : std::optional(list);
      });
  BOOST_TEST(events == std::vector<std::string>{"created " + std::to_string(id)});
  pricing.verify(attest::MockRequest().method("GET").path("/prices/A1"), attest::Times::once());
}

ATTEST_ASYNC_FIXTURE_TEST_CASE(a_read_comes_from_the_cache_when_it_holds_the_order, OrdersService,
                               *attest::requirement("ORD-003")) {
  price("B2", 100);
  long id = field(co_await order("B2", 3), "id");
  auto path = "/orders/" + std::to_string(id);
  auto hit = co_await api->get(path);
  BOOST_TEST(hit.status == 200u);
  BOOST_TEST(hit.header("X-Cache") == "hit");
  BOOST_TEST(field(hit, "total_cents") == 300);
  co_await redis->command("DEL", keys.key("order:" + std::to_string(id)));
  auto miss = co_await api->get(path);
  BOOST_TEST(miss.header("X-Cache") == "miss");
  BOOST_TEST(field(miss, "total_cents") == 300);
  BOOST_TEST((co_await api->get(path)).header("X-Cache") == "hit");  // cached again
  BOOST_TEST((co_await api->get("/orders/999999")).status == 404u);
}

ATTEST_ASYNC_FIXTURE_TEST_CASE(an_unknown_sku_is_refused_and_nothing_stored, OrdersService,
                               *attest::requirement("ORD-004")) {
  auto refused = co_await order("NOPE", 1);  // the mock knows no price: it answers 404
  BOOST_TEST(refused.status == 422u);
  BOOST_TEST(co_await count_rows() == 0);
  BOOST_TEST((co_await redis->command("EXISTS", keys.key("orders:count"))).integer() == 0);
}

ATTEST_ASYNC_FIXTURE_TEST_CASE(a_failing_pricing_service_gives_bad_gateway, OrdersService,
                               *attest::requirement("ORD-005")) {
  pricing.when(attest::MockRequest().path("/prices/C3")).respond(attest::MockResponse(503));
  auto answer = co_await order("C3", 1);
  BOOST_TEST(answer.status == 502u);
  BOOST_TEST(co_await count_rows() == 0);
}

ATTEST_ASYNC_FIXTURE_TEST_CASE(concurrent_orders_are_each_stored_and_counted_once, OrdersService,
                               *attest::requirement("ORD-006")) {
  price("D4", 10);
  auto ids = std::make_shared<std::set<long>>();
  // Twenty clients at once, each on its own connection, on the test's io_context.
  for (int i = 0; i < 20; ++i)
    co_await attest::spawn(
        [](std::string url, std::shared_ptr<std::set<long>> ids) -> asio::awaitable<void> {
          attest::AsyncHttpClient client(url);
          auto r = co_await client.post("/orders", R"({"sku": "D4", "qty": 1})");
          BOOST_TEST(r.status == 201u);
          ids->insert(json::parse(r.body).at("id").to_number<long>());
        }(service->base_url(), ids));
  // Named: GCC 12 frees a closure that owns a shared_ptr twice inside a co_await.
  const auto all_answered = [ids] { return ids->size() == 20; };
  co_await attest::async_wait_for_condition(all_answered);
  BOOST_TEST(co_await count_rows() == 20);
  BOOST_TEST((co_await redis->command("GET", keys.key("orders:count"))).str() == "20");
}

BOOST_AUTO_TEST_SUITE_END()

// Failures on purpose, each at a line the driver knows (PLANTED markers).
BOOST_AUTO_TEST_SUITE(planted, *attest::mark("planted") * attest::requirement("ORD-001"))

ATTEST_ASYNC_FIXTURE_TEST_CASE(a_failing_assertion_after_awaits, OrdersService) {
  price("E5", 7);
  auto created = co_await order("E5", 3);
  BOOST_TEST(field(created, "total_cents") == 22);  // PLANTED: assertion
}

ATTEST_ASYNC_FIXTURE_TEST_CASE(a_timeout_while_waiting_on_redis, OrdersService,
                               *boost::unit_test::timeout(2)) {
  price("F6", 1);
  co_await order("F6", 1);
  // Nothing ever pushes to this list: BLPOP waits until the test's timeout cancels it.
  co_await redis->command("BLPOP", keys.key("never"), 0);  // PLANTED: timeout
}

// The same service and clients with the test's handlers on three threads: a failing check in a
// spawned coroutine is still reported at its line.
ATTEST_ASYNC_FIXTURE_TEST_CASE(a_failing_assertion_on_several_threads, OrdersService,
                               *attest::async_context(attest::io_scope::test, 3)) {
  price("H8", 4);
  co_await attest::spawn([](OrdersService& self) -> asio::awaitable<void> {
    auto created = co_await self.order("H8", 2);
    BOOST_TEST(field(created, "total_cents") == 9);  // PLANTED: threads
  }(*this));
}

ATTEST_ASYNC_FIXTURE_TEST_CASE(an_exception_from_the_code_under_test, OrdersService) {
  price("G7", 5);
  co_await order("G7", 1);
  const auto post_to_ledger = [] { throw std::runtime_error("planted: the ledger is closed"); };
  co_await attest::offload(post_to_ledger);  // PLANTED: exception
}

BOOST_AUTO_TEST_SUITE_END()
