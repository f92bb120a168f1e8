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

// [postgres-suite]
// One migrated database per suite, each test in a transaction rolled back at its end:
// the database is made by the suite's first test and dropped when the suite ends (kept and
// named if a test in it failed). ATTEST_EXAMPLE_MIGRATIONS is the migrations directory,
// passed by this example's CMakeLists.txt:
//   target_compile_definitions(my_tests PRIVATE
//     ATTEST_EXAMPLE_MIGRATIONS="${CMAKE_CURRENT_SOURCE_DIR}/db/migrations")
attest::PostgresDatabase& orders_db() {
  return attest::suite_scoped<attest::PostgresDatabase>(attest::PostgresServer::session(),
                                                        "orders", ATTEST_EXAMPLE_MIGRATIONS);
}

BOOST_AUTO_TEST_SUITE(orders_suite, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(inserts_and_counts_inside_the_transaction, *attest::requirement("FR-062")) {
  attest::PostgresTransaction tx(orders_db());
  tx->exec("INSERT INTO orders (currency, amount_cents) VALUES ('EUR', 1250)");
  attest::pg::expect_row_count(*tx, "orders", 1);  // sees what the transaction wrote
  for (const auto& row : tx->exec("SELECT currency, amount_cents FROM orders"))
    BOOST_TEST(row["amount_cents"].as<int>() == 1250);
}

BOOST_AUTO_TEST_CASE(starts_from_the_migrated_state, *attest::requirement("FR-062")) {
  attest::PostgresTransaction tx(orders_db());  // the same database, nothing left over
  attest::pg::expect_row_count(*tx, "orders", 0);
}

BOOST_AUTO_TEST_SUITE_END()
// [postgres-suite]

// [postgres-sessions]
// Two sessions on one test database, an application role, an extension, factories.
BOOST_AUTO_TEST_CASE(two_sessions_and_an_application_role,
                     *attest::requirement("FR-065", "FR-066") * attest::mark("integration")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "rls", ATTEST_EXAMPLE_MIGRATIONS,
                              {.roles = {"app"}});  // LOGIN, random password, not superuser
  auto locker = db.connect(), waiter = db.connect();  // one connection per session
  pqxx::work hold(*locker);
  hold.exec("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
  pqxx::work try_it(*waiter);
  try_it.exec("SET lock_timeout = '50ms'");
  BOOST_CHECK_THROW(try_it.exec("SELECT count(*) FROM orders"), pqxx::sql_error);

  auto app = db.connect_as("app");  // as the application connects: RLS policies apply
  pqxx::nontransaction as_app(*app);
  BOOST_TEST(as_app.exec1("SELECT current_user")[0].as<std::string>() == db.role_name("app"));
  // db.url_as("app") is the TCP URL with its password, for the code under test.

  attest::pg::require_extension(db.connection(), "hstore");  // or the test is skipped, saying why
  std::string tenant = attest::sequence("tenant");           // "tenant-1", "tenant-2", ...
  BOOST_TEST(tenant.rfind("tenant-", 0) == 0);
}
// [postgres-sessions]
