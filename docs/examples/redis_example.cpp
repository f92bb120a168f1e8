// TESTING.md's Redis examples: compiled, run by CTest (label docs), quoted verbatim.
#include <attest/attest.hpp>
#include <attest/redis.hpp>

#include <optional>

// [redis]
// A real redis-server, started once per test binary (or $ATTEST_REDIS_URL), and
// a key prefix per test: the keys under it are removed at the end, nothing else.
struct CounterTest : attest::IntegrationTestBase {
  CounterTest() { require(attest::redis_service()); }
  void setup() override {
    check_infrastructure();
    keys.emplace(attest::RedisServer::session(), "counter");  // prefix "counter_<unique>:"
  }
  std::optional<attest::RedisNamespace> keys;
};

BOOST_FIXTURE_TEST_CASE(counts_each_event_once, attest::Fixture<CounterTest>,
                        *attest::requirement("FR-042", "FR-043") * attest::mark("integration")) {
  auto& redis = keys->client();
  // The code under test gets the server's URL and the prefix for its keys.
  for (int i = 0; i < 3; ++i) redis.command("INCR", keys->key("events"));
  BOOST_TEST(redis.command("GET", keys->key("events")).str() == "3");
  BOOST_TEST(redis.command("INCRBY", keys->key("events"), 2).integer() == 5);
  BOOST_TEST(redis.command("GET", keys->key("missing")).is_nil());
  BOOST_CHECK_THROW(redis.command("LPUSH", keys->key("events"), "x"),
                    attest::RedisError);  // "WRONGTYPE Operation against a key ..."
  BOOST_TEST(keys->keys().size() == 1u);
}
// [redis]
