// Sample tests for fixture scopes, driven by scopes_test.cpp: a suite-scoped
// migrated database with a rolled-back transaction per test, a session-scoped
// resource, the order things go in, a failing suite keeping its database, and
// the static-database trap (a function-static PostgresDatabase).
#include <attest/attest.hpp>
#include <attest/mock_http.hpp>
#include <attest/postgres.hpp>

#include <pqxx/pqxx>

#include <cstdlib>
#include <fstream>

namespace {

// Appends a line to $ATTEST_SAMPLE_JOURNAL, so the driving test sees the order of events.
void journal(const std::string& line) {
  if (const char* path = std::getenv("ATTEST_SAMPLE_JOURNAL"))
    std::ofstream(path, std::ios::app) << line << '\n';
}

const char* migrations() { return std::getenv("ATTEST_SAMPLE_MIGRATIONS"); }

// A session-scoped resource that needs the server until its very end.
struct AuditLog {
  attest::PostgresDatabase db{attest::PostgresServer::session(), "audit", migrations()};
  AuditLog() { journal("session resource made"); }
  ~AuditLog() {
    // The server must still run when a session-scoped resource goes.
    pqxx::nontransaction tx(db.connection());
    journal("session resource gone, server answered " +
            tx.exec1("SELECT 1")[0].as<std::string>());
  }
};

// A suite-scoped database that says when it goes.
struct OrdersDb : attest::PostgresDatabase {
  OrdersDb() : PostgresDatabase(attest::PostgresServer::session(), "orders", migrations()) {
    journal("suite database made " + name());
  }
  ~OrdersDb() { journal("suite database gone"); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(orders, *attest::mark("database"))

BOOST_AUTO_TEST_CASE(inserts_in_a_rolled_back_transaction) {
  auto& db = attest::suite_scoped<OrdersDb>();
  attest::session_scoped<AuditLog>();
  attest::PostgresTransaction tx(db);
  tx->exec("INSERT INTO orders (currency, amount_cents) VALUES ('EUR', 100)");
  BOOST_TEST(tx->exec1("SELECT count(*) FROM orders")[0].as<int>() == 1);
  journal("test 1 used " + db.name());
}

BOOST_AUTO_TEST_CASE(sees_the_same_database_without_the_insert) {
  auto& db = attest::suite_scoped<OrdersDb>();  // the same one: made once per suite
  attest::PostgresTransaction tx(db);
  BOOST_TEST(tx->exec1("SELECT count(*) FROM orders")[0].as<int>() == 0);
  journal("test 2 used " + db.name());
}

BOOST_AUTO_TEST_CASE(expectations_inside_the_transaction) {
  auto& db = attest::suite_scoped<OrdersDb>();
  attest::PostgresTransaction tx(db);
  tx->exec("INSERT INTO orders (currency, amount_cents) VALUES ('EUR', 100)");
  attest::pg::expect_row_count(*tx, "orders", 1);  // sees what the transaction wrote
  attest::pg::expect_constraint(*tx, "orders", "orders_amount_positive");
}

BOOST_AUTO_TEST_CASE(needs_an_extension_the_server_lacks) {
  attest::pg::require_extension(attest::suite_scoped<OrdersDb>().connection(),
                                "no_such_extension_xyz");
  BOOST_TEST(false, "never reached: the test is skipped");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(after_orders, *attest::mark("database"))

BOOST_AUTO_TEST_CASE(runs_after_the_orders_suite_ended) { journal("next suite runs"); }

// The trap the scopes replace: a function-static database, destroyed after the
// run ended. It must not touch freed memory (the driving test runs this under valgrind).
BOOST_AUTO_TEST_CASE(static_database) {
  static attest::PostgresDatabase db(attest::PostgresServer::session(), "static", migrations());
  pqxx::nontransaction tx(db.connection());
  BOOST_TEST(tx.exec1("SELECT count(*) FROM currency")[0].as<int>() == 5);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(failing_suite, *attest::mark("database") * attest::mark("failing"))

BOOST_AUTO_TEST_CASE(fails_with_a_suite_database) {
  auto& db = attest::suite_scoped<OrdersDb>();
  journal("failing suite used " + db.name());
  BOOST_TEST(false, "fails on purpose");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(located, *attest::mark("failing"))

BOOST_AUTO_TEST_CASE(row_count_fails_at_this_line) {
  auto& db = attest::suite_scoped<OrdersDb>();
  attest::PostgresTransaction tx(db);
  attest::pg::expect_row_count(*tx, "currency", 4);  // LINE-ROW-COUNT
}

BOOST_AUTO_TEST_CASE(mock_verify_fails_at_this_line) {
  attest::MockHttpServer mock;
  auto& token = mock.when(attest::MockRequest().path("/token")).respond(attest::MockResponse(200));
  mock.verify(token, attest::Times::once());  // LINE-VERIFY
}

BOOST_AUTO_TEST_SUITE_END()
