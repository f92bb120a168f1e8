// The seed-style scenario, end to end: the ingester authenticates against a
// mock admin service, stores into a mock storage service (both loaded from
// MockServer-style files) and counts into a real Redis; the test checks all three.
#include <attest/attest.hpp>
#include <attest/mock_http.hpp>
#include <attest/redis.hpp>

#include <filesystem>
#include <optional>

#include "ingester/ingester.hpp"
#include "test_support.hpp"

using attest::MockRequest;
using attest::MockResponse;
using attest::Times;
namespace fs = std::filesystem;

namespace {

const fs::path kMocks = fs::path(ATTEST_SUITE_DIR) / "mocks";

struct IngesterTest : attest::IntegrationTestBase {
  IngesterTest() { require(attest::redis_service()); }
  void setup() override {
    check_infrastructure();
    admin.load(kMocks / "admin-mock.json");
    storage.load(kMocks / "storage-mock.json");
    keys.emplace(attest::RedisServer::session(), ns().sql);
  }
  ingester::Config config() const {
    return {admin.base_url(), storage.base_url(), attest::RedisServer::session().url(),
            keys->prefix()};
  }
  std::vector<ingester::Item> items(int n) const {
    std::vector<ingester::Item> out;
    for (int i = 1; i <= n; ++i)
      out.push_back({"obj-" + std::to_string(i), "payload " + std::to_string(i)});
    return out;
  }
  attest::MockHttpServer admin, storage;
  std::optional<attest::RedisNamespace> keys;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ingester_scenario, *attest::mark("integration"))

BOOST_FIXTURE_TEST_CASE(stores_and_counts_every_item, attest::Fixture<IngesterTest>,
                        *attest::requirement("FR-049", "FR-042", "FR-046")) {
  {
    attest::phase run("ingest");
    auto result = ingester::ingest(config(), items(5));
    BOOST_TEST(result.stored == 5);
    BOOST_TEST(result.failed == 0);
  }
  attest::phase validate("validate");
  admin.verify(admin.expectation("token"), Times::once());
  storage.verify(storage.expectation("upload"), Times::exactly(5));
  storage.verify(MockRequest().method("PUT").path("/api/objects/obj-3").body("payload 3"),
                 Times::once());
  BOOST_TEST(admin.unmatched().empty());
  BOOST_TEST(storage.unmatched().empty());
  auto& redis = keys->client();
  BOOST_TEST(redis.command("GET", keys->key("ingested")).str() == "5");
  BOOST_TEST(redis.command("SCARD", keys->key("objects")).integer() == 5);
  BOOST_TEST(redis.command("EXISTS", keys->key("failed")).integer() == 0);
  BOOST_TEST(keys->keys().size() == 2u);  // everything it wrote is under its prefix
}

BOOST_FIXTURE_TEST_CASE(counts_storage_failures_and_retries_dropped_connections,
                        attest::Fixture<IngesterTest>, *attest::requirement("FR-049", "FR-047")) {
  storage.when(MockRequest().method("PUT").path("/api/objects/obj-2"))
      .respond(MockResponse(500).body("disk full"))
      .priority(10);
  storage.when(MockRequest().method("PUT").path("/api/objects/obj-4"))
      .respond(MockResponse::drop_connection())
      .priority(10)
      .times(1);  // the retry gets the normal 201
  auto result = ingester::ingest(config(), items(5));
  BOOST_TEST(result.stored == 4);
  BOOST_TEST(result.failed == 1);
  storage.verify(MockRequest().method("PUT").path("/api/objects/obj-4"), Times::exactly(2));
  auto& redis = keys->client();
  BOOST_TEST(redis.command("GET", keys->key("ingested")).str() == "4");
  BOOST_TEST(redis.command("GET", keys->key("failed")).str() == "1");
  BOOST_TEST(redis.command("SISMEMBER", keys->key("objects"), "obj-2").integer() == 0);
}

BOOST_FIXTURE_TEST_CASE(refused_authentication_stores_nothing, attest::Fixture<IngesterTest>,
                        *attest::requirement("FR-049")) {
  auto cfg = config();
  cfg.client_id = "intruder";
  BOOST_CHECK_EXCEPTION(ingester::ingest(cfg, items(3)), ingester::AuthFailed,
                        [](const ingester::AuthFailed& e) {
                          return std::string(e.what()) == "auth failed: 401 unknown client";
                        });
  admin.verify(admin.expectation("token-refused"), Times::once());
  storage.verify(MockRequest(), Times::never());
  BOOST_TEST(keys->keys().empty());
}

BOOST_AUTO_TEST_SUITE_END()
