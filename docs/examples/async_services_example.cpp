// TESTING.md's coroutine example with real services (PostgreSQL, Redis): compiled, run by
// CTest (label docs), quoted verbatim.
#include <attest/async.hpp>
#include <attest/async_redis.hpp>
#include <attest/attest.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>

#include <pqxx/pqxx>

// [async-services]
struct Visits {
  attest::PostgresDatabase db{attest::PostgresServer::session(), "visits"};
  attest::RedisNamespace keys{attest::RedisServer::session(), "visits"};
};

ATTEST_ASYNC_FIXTURE_TEST_CASE(counts_visits_in_redis_and_stores_them, Visits,
                               *attest::requirement("FR-145", "FR-148") *
                                   attest::mark("integration")) {
  // Redis without blocking the io_context: hiredis' asynchronous API on the test's executor.
  attest::AsyncRedisClient redis(co_await boost::asio::this_coro::executor,
                                 attest::RedisServer::session().url());
  co_await redis.command("INCRBY", keys.key("visits"), 3);
  auto visits = (co_await redis.command("GET", keys.key("visits"))).str();
  BOOST_TEST(visits == "3");

  // libpqxx blocks: the query runs on attest's pool. The closure owns a string, so it is
  // named before the co_await (GCC 12, above).
  const auto store = [url = db.url(), visits] {
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec0("CREATE TABLE visits (n int)");
    tx.exec_params0("INSERT INTO visits VALUES ($1)", std::stoi(visits));
    auto total = tx.exec1("SELECT sum(n) FROM visits")[0].as<int>();
    tx.commit();
    return total;
  };
  BOOST_TEST(co_await attest::offload(store) == 3);
}
// [async-services]
