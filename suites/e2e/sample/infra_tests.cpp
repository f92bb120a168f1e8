// Sample integration tests on IntegrationTestBase: a missing service, phases,
// teardown after a throwing body or setup. Driven by infra_test.cpp.
#include <attest/attest.hpp>
#include <attest/http_client.hpp>
#include <attest/mock_http.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>

#include <pqxx/pqxx>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace {

// Appends a line to $ATTEST_SAMPLE_JOURNAL, so the driving test can see what ran.
void journal(const std::string& line) {
  if (const char* path = std::getenv("ATTEST_SAMPLE_JOURNAL"))
    std::ofstream(path, std::ios::app) << line << '\n';
}

struct NeedsQueue : attest::IntegrationTestBase {
  NeedsQueue() {
    require({"message-queue", [] { return false; }, "start it with `make queue` or set QUEUE_URL"});
  }
  void setup() override { check_infrastructure(); }
};

struct Journaled : attest::IntegrationTestBase {
  void setup() override {
    journal("setup " + ns().dns);
    service = std::make_unique<attest::Process>(
        "sh",
        attest::ProcessOptions{.args = {"-c", "exec tail -f /dev/null"}, .name = "setup-service"});
    if (std::getenv("ATTEST_SAMPLE_FAIL_SETUP"))
      throw std::runtime_error("setup failed on purpose");
  }
  void teardown() override { journal("teardown"); }
  std::unique_ptr<attest::Process> service;  // stopped after teardown, whatever happened
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(needs_missing_service, attest::Fixture<NeedsQueue>,
                        *attest::mark("integration")) {
  BOOST_TEST(false);  // never reached: setup fails or skips first
}

BOOST_AUTO_TEST_CASE(phases, *attest::mark("integration")) {
  { attest::phase load("load"); }
  {
    attest::phase verify("verify");
    BOOST_CHECK_EQUAL(2 + 2, 5);
  }
}

BOOST_FIXTURE_TEST_CASE(teardown_after_throw, attest::Fixture<Journaled>,
                        *attest::mark("integration")) {
  throw std::runtime_error("body failed on purpose");
}

BOOST_FIXTURE_TEST_CASE(unique_namespace, attest::Fixture<Journaled>,
                        *attest::mark("integration")) {
  BOOST_TEST(ns().dns.rfind("unique-namespace-", 0) == 0u, ns().dns);
  BOOST_TEST(ns().sql.rfind("unique_namespace_", 0) == 0u, ns().sql);
}

BOOST_AUTO_TEST_CASE(fails_with_a_service, *attest::mark("integration")) {
  attest::Process api(
      "sh", {.args = {"-c",
                      "echo 'orders-api: listening'; echo 'orders-api: ERROR db timeout'; "
                      "exec tail -f /dev/null"},
             .name = "orders-api"});
  attest::wait_for_log(api.log_path(), "ERROR");
  BOOST_TEST(false, "the sync did not finish");
}

BOOST_AUTO_TEST_CASE(fails_with_a_database, *attest::mark("integration")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "kept");
  try {
    pqxx::nontransaction(db.connection()).exec("SELECT * FROM no_such_table");
  } catch (const pqxx::sql_error&) {
    // the server logs it: the failure report shows that, not its start-up
  }
  BOOST_TEST(db.name().empty(), "a check that fails while the database exists");
}

namespace {

struct NeedsPostgres : attest::IntegrationTestBase {
  NeedsPostgres() { require(attest::postgres_service()); }
  void setup() override {
    check_infrastructure();
    db = std::make_unique<attest::PostgresDatabase>(attest::PostgresServer::session(), ns().sql);
  }
  std::unique_ptr<attest::PostgresDatabase> db;
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(needs_postgres, attest::Fixture<NeedsPostgres>,
                        *attest::mark("integration")) {
  pqxx::nontransaction tx(db->connection());
  BOOST_TEST(tx.exec1("SELECT current_database()")[0].as<std::string>() == db->name());
}

// Run by several processes at once: databases from one migrations directory
// ($ATTEST_SAMPLE_MIGRATIONS), each written to and counted exactly.
BOOST_AUTO_TEST_CASE(many_databases, *attest::mark("integration")) {
  auto& server = attest::PostgresServer::session();
  for (int i = 0; i < 10; ++i) {
    attest::PostgresDatabase db(server, "many", std::getenv("ATTEST_SAMPLE_MIGRATIONS"));
    {
      pqxx::work w(db.connection());
      w.exec("INSERT INTO currency (code, name) VALUES ('XTS', 'test " + std::to_string(i) + "')");
      w.commit();
    }
    attest::pg::expect_row_count(db.connection(), "currency", 6);
  }
}

BOOST_AUTO_TEST_CASE(fails_with_a_mock, *attest::mark("integration")) {
  attest::MockHttpServer admin;
  admin.when(attest::MockRequest().method("POST").path("/api/auth/token"))
      .respond(attest::MockResponse(200))
      .id("token");
  attest::HttpClient client(admin.base_url());
  client.post("/api/auth/token", "{}");
  client.get("/api/wrong");
  BOOST_TEST(false, "the sync did not finish");
}

BOOST_AUTO_TEST_CASE(fails_with_redis_keys, *attest::mark("integration")) {
  attest::RedisNamespace keys(attest::RedisServer::session(), "failing");
  keys.client().command("SET", keys.key("count"), 3);
  keys.client().command("SADD", keys.key("objects"), "a");
  BOOST_TEST(false, "the count is wrong");
}

namespace {

struct NeedsRedis : attest::IntegrationTestBase {
  NeedsRedis() { require(attest::redis_service()); }
  void setup() override { check_infrastructure(); }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(needs_redis, attest::Fixture<NeedsRedis>, *attest::mark("integration")) {
  attest::RedisNamespace keys(attest::RedisServer::session(), "needs");
  BOOST_TEST(keys.client().command("PING").str() == "PONG");
  if (const char* url = std::getenv("ATTEST_REDIS_URL"))
    BOOST_TEST(attest::RedisServer::session().url() == url);
}
