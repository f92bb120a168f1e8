// PostgreSQL fixtures against a real server started by attest (and, for the
// external provider, one we start first and point ATTEST_POSTGRES_URL at).
#include <attest/attest.hpp>
#include <attest/postgres.hpp>

#include <pqxx/pqxx>

#include <atomic>
#include <fstream>
#include <thread>

#include "test_support.hpp"

using attest_test::contains;
namespace fs = std::filesystem;

namespace {

const fs::path kMigrations = fs::path(ATTEST_SUITE_DIR) / "migrations";

// The message of the ExpectationFailed that `f` throws ("" if none).
std::string expectation_error(const std::function<void()>& f) {
  return attest_test::error_of([&] {
    try {
      f();
    } catch (const attest::ExpectationFailed&) {
      throw;
    } catch (const std::exception& e) {
      throw std::logic_error(std::string("not an ExpectationFailed: ") + e.what());
    }
  });
}

bool database_exists(attest::PostgresServer& server, const std::string& name) {
  pqxx::connection c(server.url());
  pqxx::nontransaction tx(c);
  return !tx.exec("SELECT 1 FROM pg_database WHERE datname = " + tx.quote(name)).empty();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(postgres, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(local_server_over_tcp_with_a_random_password, *attest::requirement("FR-034")) {
  auto& server = attest::PostgresServer::session();
  BOOST_TEST_REQUIRE(server.is_local());
  pqxx::connection c(server.url());
  BOOST_TEST(c.is_open());
  BOOST_TEST(contains(server.display_url(), ":***@127.0.0.1:"));
  BOOST_TEST(
      !contains(server.display_url(), server.url().substr(server.url().find(':', 14) + 1, 8)));
  // No trust over TCP: a wrong password is refused.
  std::string wrong =
      "postgresql://postgres:wrong@127.0.0.1:" + server.url().substr(server.url().rfind(':') + 1);
  BOOST_CHECK_THROW(pqxx::connection{wrong}, pqxx::broken_connection);
  // Durability is off: tests do not need crash safety.
  pqxx::nontransaction tx(c);
  BOOST_TEST(tx.exec1("SHOW fsync")[0].as<std::string>() == "off");
  BOOST_TEST(tx.exec1("SHOW listen_addresses")[0].as<std::string>() == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(runs_unprivileged_when_we_are_root, *attest::requirement("FR-034")) {
  auto& server = attest::PostgresServer::session();
  std::ifstream status("/proc/" + std::to_string(server.process()->pid()) + "/status");
  std::string line, uid;
  while (std::getline(status, line))
    if (line.rfind("Uid:", 0) == 0) uid = line;
  if (::geteuid() == 0)
    BOOST_TEST(!contains(uid, "\t0\t"), uid);  // PostgreSQL refuses root: attest drops to nobody
  else
    BOOST_TEST(contains(uid, "\t" + std::to_string(::geteuid()) + "\t"), uid);
}

BOOST_AUTO_TEST_CASE(each_test_gets_its_own_migrated_database, *attest::requirement("FR-035")) {
  auto& server = attest::PostgresServer::session();
  std::string first_name;
  {
    attest::PostgresDatabase a(server, "orders", kMigrations), b(server, "orders", kMigrations);
    first_name = a.name();
    BOOST_TEST(a.name() != b.name());
    pqxx::connection ca(a.url()), cb(b.url());
    attest::pg::expect_row_count(ca, "currency", 5);  // migrations applied...
    attest::pg::expect_table_exists(cb, "orders");
    {
      pqxx::work w(ca);
      w.exec("INSERT INTO orders (currency, amount_cents) VALUES ('EUR', 1250), ('USD', 99)");
      w.commit();
    }
    attest::pg::expect_row_count(ca, "orders", 2);
    attest::pg::expect_row_count(cb, "orders", 0);  // ...and the databases are isolated
  }
  // Dropped after the test, in the background: poll for it.
  attest::wait_for_condition(
      [&] { return !database_exists(server, first_name); },
      {.timeout = std::chrono::seconds(10), .description = first_name + " to be dropped"});
}

BOOST_AUTO_TEST_CASE(migrations_run_once_into_a_reused_template, *attest::requirement("FR-035")) {
  auto& server = attest::PostgresServer::session();
  attest_test::TempDir tmp;
  attest_test::write_file(tmp.path / "001.sql",
                          "CREATE TABLE t (x int); INSERT INTO t VALUES (1);");
  attest::PostgresDatabase first(server, "t", tmp.path);
  attest::PostgresDatabase second(server, "t", tmp.path);
  pqxx::connection c(second.url());
  attest::pg::expect_row_count(c, "t", 1);  // cloned, not migrated twice into the same database
  pqxx::connection admin(server.url());
  pqxx::nontransaction tx(admin);
  BOOST_TEST(
      tx.exec("SELECT 1 FROM pg_database WHERE datname LIKE 'attest_tpl_%' AND datistemplate")
          .size() >= 1u);
  // A changed migration is a new template.
  attest_test::write_file(tmp.path / "002.sql", "INSERT INTO t VALUES (2);");
  attest::PostgresDatabase third(server, "t", tmp.path);
  pqxx::connection c3(third.url());
  attest::pg::expect_row_count(c3, "t", 2);
  // So is one edited in place, even to the same size.
  attest_test::write_file(tmp.path / "002.sql", "INSERT INTO t VALUES (3);");
  attest::PostgresDatabase fourth(server, "t", tmp.path);
  pqxx::nontransaction q(fourth.connection());
  BOOST_TEST(q.exec1("SELECT max(x) FROM t")[0].as<int>() == 3);
}

BOOST_AUTO_TEST_CASE(concurrent_builders_make_one_template, *attest::requirement("FR-035")) {
  // Four clients at once ask for the same new template: one builds, the others wait and reuse it.
  auto& server = attest::PostgresServer::session();
  attest_test::TempDir tmp;
  attest_test::write_file(tmp.path / "001.sql",
                          "CREATE TABLE c (x int); INSERT INTO c VALUES (1), (2);");
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i)
    clients.emplace_back([&] {
      attest::PostgresDatabase db(server, "conc", tmp.path);
      pqxx::connection c(db.url());
      pqxx::nontransaction tx(c);
      if (tx.exec1("SELECT count(*) FROM c")[0].as<int>() == 2) ++ok;
    });
  for (auto& t : clients) t.join();
  BOOST_TEST(ok == 4);
}

BOOST_AUTO_TEST_CASE(a_broken_migration_names_its_file, *attest::requirement("FR-035")) {
  attest_test::TempDir tmp;
  attest_test::write_file(tmp.path / "001_bad.sql", "CREATE TABLE (;");
  try {
    attest::PostgresDatabase db(attest::PostgresServer::session(), "bad", tmp.path);
    BOOST_FAIL("no error");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(contains(e.what(), "migration "), e.what());
    BOOST_TEST(contains(e.what(), "001_bad.sql failed: ERROR:  syntax error"), e.what());
  }
}

BOOST_AUTO_TEST_CASE(transaction_fixture_rolls_everything_back, *attest::requirement("FR-038")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "tx", kMigrations);
  {
    attest::PostgresTransaction t(db.url());
    t.work().exec("INSERT INTO orders (currency, amount_cents) VALUES ('EUR', 100)");
    {
      pqxx::subtransaction nested(t.work(), "nested");  // code that nests: a savepoint
      nested.exec("INSERT INTO orders (currency, amount_cents) VALUES ('USD', 200)");
      nested.commit();
    }
    auto inside = t.work().exec1("SELECT count(*) FROM orders")[0].as<int>();
    BOOST_TEST(inside == 2);
  }
  pqxx::connection c(db.url());
  attest::pg::expect_row_count(c, "orders", 0);  // rolled back at the end
  {
    attest::PostgresTransaction fast(db);  // on the database's kept connection
    fast.work().exec("INSERT INTO orders (currency, amount_cents) VALUES ('GBP', 300)");
  }
  attest::pg::expect_row_count(db.connection(), "orders", 0);
}

BOOST_AUTO_TEST_CASE(assertions_say_exactly_what_differs, *attest::requirement("FR-036")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "assert", kMigrations);
  pqxx::connection c(db.url());
  BOOST_TEST(expectation_error([&] { attest::pg::expect_row_count(c, "currency", 10); }) ==
             "table currency: expected exactly 10 rows, found 5");
  BOOST_TEST(expectation_error([&] { attest::pg::expect_row_count(c, "currency", 5); }).empty());
  BOOST_TEST(expectation_error([&] {
               attest::pg::expect_column(c, "orders", "amount_cents", "integer");
             }).empty());
  BOOST_TEST(expectation_error([&] {
               attest::pg::expect_column(c, "orders", "amount_cents", "text");
             }) == "column orders.amount_cents: expected type text, found integer");
  BOOST_TEST(expectation_error([&] { attest::pg::expect_table_exists(c, "invoices"); }) ==
             "table invoices does not exist");
  BOOST_TEST(expectation_error([&] {
               attest::pg::expect_constraint(c, "orders", "orders_amount_positive");
             }).empty());
  BOOST_TEST(expectation_error([&] { attest::pg::expect_extension(c, "plpgsql"); }).empty());
  BOOST_TEST(expectation_error([&] { attest::pg::expect_extension(c, "postgis"); }) ==
             "extension postgis is not installed");
}

BOOST_AUTO_TEST_CASE(seed_style_sync_then_exact_counts, *attest::requirement("FR-035", "FR-036")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "sync", kMigrations);
  pqxx::connection c(db.url());
  {
    attest::phase sync("sync");
    pqxx::work w(c);
    for (int i = 1; i <= 42; ++i)
      w.exec("INSERT INTO orders (currency, amount_cents) VALUES ('EUR', " +
             std::to_string(i * 100) + ")");
    w.commit();
  }
  attest::phase validate("validate");
  attest::pg::expect_row_count(c, "orders", 42);
}

BOOST_AUTO_TEST_CASE(external_provider_uses_only_its_own_databases,
                     *attest::requirement("FR-037")) {
  // An "existing" server: a local one we start, reached only through its URL.
  auto local = attest::PostgresServer::start_local();
  {
    pqxx::connection c(local->url());
    pqxx::nontransaction tx(c);
    tx.exec("CREATE DATABASE someone_elses");
  }
  auto external = attest::PostgresServer::connect_external(local->url());
  BOOST_TEST(!external->is_local());
  std::string name;
  {
    attest::PostgresDatabase db(*external, "ext", kMigrations);
    name = db.name();
    pqxx::connection c(db.url());
    attest::pg::expect_row_count(c, "currency", 5);
  }
  attest::wait_for_condition(
      [&] { return !database_exists(*local, name); },
      {.timeout = std::chrono::seconds(10), .description = name + " to be dropped"});
  BOOST_TEST(database_exists(*local, "someone_elses"));  // never touched
  BOOST_CHECK_THROW(attest::PostgresServer::connect_external("mysql://x"),
                    attest::PostgresUnavailable);
  BOOST_CHECK_EXCEPTION(
      attest::PostgresServer::connect_external("postgresql://postgres:nope@127.0.0.1:1/postgres"),
      attest::PostgresUnavailable, [](const attest::PostgresUnavailable& e) {
        return contains(e.what(), "postgresql://postgres:***@127.0.0.1:1/postgres") &&
               !contains(e.what(), "nope");
      });
}

BOOST_AUTO_TEST_SUITE_END()
