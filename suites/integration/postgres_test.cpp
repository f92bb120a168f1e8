// PostgreSQL fixtures against a real server started by attest (and, for the
// external provider, one we start first and point ATTEST_POSTGRES_URL at).
#include <attest/attest.hpp>
#include <attest/postgres.hpp>
#include <attest/test_context.hpp>

#include <pqxx/pqxx>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "test_support.hpp"

using attest_test::contains;
namespace fs = std::filesystem;

namespace {

// The local provider these tests are about: the session server when it is local; inside a
// shared environment (ATTEST_ENV: the session server is the environment's), one of this
// process's own, stopped when the run ends.
attest::PostgresServer& local_server() {
  auto& session = attest::PostgresServer::session();
  if (session.is_local()) return session;
  static attest::PostgresServer* own = [] {
    auto* server =
        attest::PostgresServer::start_local().release();  // never freed, as the session's
    attest::at_run_end([server] { server->shutdown(); });
    return server;
  }();
  return *own;
}

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
  auto& server = local_server();
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
  auto& server = local_server();
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
                     *attest::requirement("FR-037", "FR-066")) {
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
  std::string role;
  {
    attest::PostgresDatabase db(*external, "ext", kMigrations, {.roles = {"app"}});
    name = db.name();
    pqxx::connection c(db.url());
    attest::pg::expect_row_count(c, "currency", 5);
    // An application role on the external server too, over TCP with its password.
    role = db.role_name("app");
    auto app = db.connect_as("app");
    pqxx::nontransaction tx(*app);
    BOOST_TEST(tx.exec1("SELECT current_user")[0].as<std::string>() == role);
    BOOST_TEST(tx.exec1("SELECT count(*) FROM currency")[0].as<int>() == 5);
  }
  attest::wait_for_condition(
      [&] { return !database_exists(*local, name); },
      {.timeout = std::chrono::seconds(10), .description = name + " to be dropped"});
  BOOST_TEST(database_exists(*local, "someone_elses"));  // never touched
  {
    pqxx::connection c(local->url());
    pqxx::nontransaction tx(c);
    BOOST_TEST(tx.exec("SELECT 1 FROM pg_roles WHERE rolname = " + tx.quote(role)).empty());
  }
  BOOST_CHECK_THROW(attest::PostgresServer::connect_external("mysql://x"),
                    attest::PostgresUnavailable);
  BOOST_CHECK_EXCEPTION(
      attest::PostgresServer::connect_external("postgresql://postgres:nope@127.0.0.1:1/postgres"),
      attest::PostgresUnavailable, [](const attest::PostgresUnavailable& e) {
        return contains(e.what(), "postgresql://postgres:***@127.0.0.1:1/postgres") &&
               !contains(e.what(), "nope");
      });
}

BOOST_AUTO_TEST_CASE(two_connections_see_isolation_levels, *attest::requirement("FR-065")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "iso", kMigrations);
  auto reader = db.connect(), writer = db.connect();
  BOOST_TEST(reader->backendpid() != writer->backendpid());  // two sessions
  pqxx::transaction<pqxx::isolation_level::repeatable_read> snapshot(*reader);
  BOOST_TEST(snapshot.exec1("SELECT count(*) FROM currency")[0].as<int>() == 5);
  {
    pqxx::work w(*writer);
    w.exec("INSERT INTO currency VALUES ('XTS', 'test')");
    w.commit();
  }
  // REPEATABLE READ keeps its snapshot; a new statement on a third connection sees the row.
  BOOST_TEST(snapshot.exec1("SELECT count(*) FROM currency")[0].as<int>() == 5);
  attest::pg::expect_row_count(*db.connect(), "currency", 6);
}

BOOST_AUTO_TEST_CASE(application_role_is_subject_to_row_level_security,
                     *attest::requirement("FR-066")) {
  auto& server = attest::PostgresServer::session();
  std::string role;
  {
    attest::PostgresDatabase db(server, "rls", kMigrations, {.roles = {"app"}});
    role = db.role_name("app");
    {
      pqxx::work w(db.connection());
      w.exec("CREATE TABLE notes (tenant text NOT NULL, body text)");
      w.exec("ALTER TABLE notes ENABLE ROW LEVEL SECURITY");
      w.exec("CREATE POLICY by_tenant ON notes USING (tenant = current_setting('app.tenant'))");
      w.exec("GRANT SELECT, INSERT ON notes TO " + w.conn().quote_name(role));
      w.exec("INSERT INTO notes VALUES ('" + attest::sequence("tenant") +
             "', 'a'), ('other', 'b')");
      w.commit();
    }
    // As the application: not a superuser, not the owner, so the policy applies.
    auto app = db.connect_as("app");
    pqxx::work w(*app);
    BOOST_TEST(w.exec1("SELECT current_user")[0].as<std::string>() == role);
    BOOST_TEST(
        !w.exec1("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0].as<bool>());
    w.exec("SET app.tenant = 'other'");
    BOOST_TEST(w.exec1("SELECT count(*) FROM notes")[0].as<int>() == 1);
    BOOST_TEST(w.exec1("SELECT count(*) FROM currency")[0].as<int>() == 5);  // migrated tables too
    // The URL works over TCP with the role's password, as code under test connects.
    pqxx::connection tcp(db.url_as("app"));
    BOOST_TEST(contains(db.url_as("app"), "postgresql://" + role + ":"));
  }
  // Dropped with the database.
  pqxx::connection admin(server.admin_connection());
  pqxx::nontransaction tx(admin);
  BOOST_TEST(tx.exec("SELECT 1 FROM pg_roles WHERE rolname = " + tx.quote(role)).empty());
}

BOOST_AUTO_TEST_CASE(extensions_are_created_or_the_test_skipped, *attest::requirement("FR-067")) {
  attest::PostgresDatabase db(attest::PostgresServer::session(), "ext");
  attest::pg::require_extension(db.connection(), "hstore");  // in Debian's postgresql package
  attest::pg::expect_extension(db.connection(), "hstore");
  BOOST_CHECK_EXCEPTION(attest::pg::require_extension(db.connection(), "no_such_extension_xyz"),
                        attest::SkipTest, [](const attest::SkipTest& e) {
                          return contains(e.what(),
                                          "extension 'no_such_extension_xyz' is not "
                                          "available on this server");
                        });
}

BOOST_AUTO_TEST_CASE(unique_ids_and_sequences_for_factories, *attest::requirement("FR-068")) {
  auto a = attest::unique_id(), b = attest::unique_id();
  BOOST_TEST(b > a);
  auto first = attest::sequence("order-ref");
  BOOST_TEST(attest::sequence("order-ref") ==
             "order-ref-" + std::to_string(std::stoi(first.substr(10)) + 1));
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> seen(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) seen[t].push_back(attest::sequence("shared"));
    });
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& v : seen) all.insert(v.begin(), v.end());
  BOOST_TEST(all.size() == 4000u);  // no value twice across threads
}

BOOST_AUTO_TEST_SUITE_END()
