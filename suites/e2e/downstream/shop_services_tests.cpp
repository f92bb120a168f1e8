// Service fixtures downstream: the exported attest::fixtures (mock HTTP server),
// attest::redis and attest::postgres targets link and work in a user's project.
#include <attest/attest.hpp>
#include <attest/http_client.hpp>
#include <attest/mock_http.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>

BOOST_AUTO_TEST_SUITE(services, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(prices_come_from_the_pricing_service, *attest::requirement("SHOP-003")) {
  attest::MockHttpServer pricing;
  auto& price = pricing.when(attest::MockRequest().method("GET").path("/price/tea"))
                    .respond(attest::MockResponse(200).json(R"({"cents": 300})"));
  auto r = attest::HttpClient(pricing.base_url()).get("/price/tea");
  BOOST_TEST(r.body == R"({"cents": 300})");
  pricing.verify(price, attest::Times::once());
}

BOOST_AUTO_TEST_CASE(carts_are_kept_in_redis, *attest::requirement("SHOP-004")) {
  attest::RedisNamespace keys(attest::RedisServer::session(), "cart");
  keys.client().command("HSET", keys.key("cart"), "tea", 3);
  BOOST_TEST(keys.client().command("HGET", keys.key("cart"), "tea").str() == "3");
  BOOST_TEST(attest::postgres_service().name == "PostgreSQL");  // linked, not started
}

BOOST_AUTO_TEST_SUITE_END()
