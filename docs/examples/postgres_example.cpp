// TESTING.md's PostgreSQL examples: compiled, run by CTest (label docs), quoted verbatim.
#include <attest/attest.hpp>
#include <attest/postgres.hpp>

#include <pqxx/pqxx>

#include <optional>

// [postgres]
// A real PostgreSQL, started once per test binary (or $ATTEST_POSTGRES_URL), and a
// database per test cloned from a template on which the migrations ran once.
BOOST_AUTO_TEST_CASE(sync_inserts_exactly_the_new_orders,
                     *attest::requirement("FR-035", "FR-036") * attest::mark("integration")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "orders",
                              ATTEST_EXAMPLE_MIGRATIONS);
  pqxx::connection c(db.url());
  {
    attest::phase sync("sync");
    pqxx::work w(c);
    w.exec("INSERT INTO orders (currency, amount_cents) VALUES ('EUR', 1250), ('USD', 990)");
    w.commit();
  }
  attest::pg::expect_row_count(c, "orders", 2);  // "table orders: expected exactly 2 rows, found 3"
}

// Or a transaction rolled back at the end: nothing the test writes persists.
BOOST_AUTO_TEST_CASE(rolls_back, *attest::requirement("FR-038") * attest::mark("integration")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "tx", ATTEST_EXAMPLE_MIGRATIONS);
  {
    attest::PostgresTransaction t(db);  // on db's kept connection: ~0.1 ms to open and roll back
    t.work().exec("INSERT INTO orders (currency, amount_cents) VALUES ('EUR', 100)");
  }
  attest::pg::expect_row_count(db.connection(), "orders", 0);
}

// In a fixture, the ready-made declaration fails (or skips) the test saying why
// there is no server and how to get one.
struct OrdersDbTest : attest::IntegrationTestBase {
  OrdersDbTest() { require(attest::postgres_service()); }
  void setup() override {
    check_infrastructure();
    db.emplace(attest::PostgresServer::session(), ns().sql, ATTEST_EXAMPLE_MIGRATIONS);
  }
  std::optional<attest::PostgresDatabase> db;
};

BOOST_FIXTURE_TEST_CASE(orders_start_empty, attest::Fixture<OrdersDbTest>,
                        *attest::requirement("FR-040") * attest::mark("integration")) {
  attest::pg::expect_row_count(db->connection(), "orders", 0);
  attest::pg::expect_row_count(db->connection(), "currency", 5);  // seeded by the migrations
}
// [postgres]
