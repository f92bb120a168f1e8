// A database-layer suite written on attest as a user would (the users' plans:
// constraints, row-level security with an application role, isolation levels
// with two connections, savepoints, audit triggers, concurrency with five
// connections), using both patterns: one suite database with a rolled-back
// transaction per test, and a fresh database per test. Driven by dblayer_test.cpp.
#include <attest/attest.hpp>
#include <attest/postgres.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace bdata = boost::unit_test::data;

namespace {

const char* migrations() { return std::getenv("DBLAYER_MIGRATIONS"); }
attest::PostgresServer& server() { return attest::PostgresServer::session(); }

// One migrated database per suite; each test runs in a transaction rolled back at its end.
attest::PostgresDatabase& suite_db() {
  return attest::suite_scoped<attest::PostgresDatabase>(server(), "dblayer", migrations());
}

// The SQLSTATE `sql` fails with ("" when it succeeds), run in a savepoint so that the
// transaction goes on.
std::string sqlstate_of(pqxx::dbtransaction& tx, const std::string& sql) {
  try {
    pqxx::subtransaction sp(tx, "expect_failure");
    sp.exec(sql);
    sp.commit();
    return "";
  } catch (const pqxx::sql_error& e) {
    return e.sqlstate().empty() ? std::string("(no state: ") + e.what() + ")" : e.sqlstate();
  }
}

// 42501 insufficient_privilege from a row-level security policy. libpqxx 6.4 leaves
// sqlstate() empty for this class, so the message counts too.
bool refused_by_policy(const std::string& state) {
  return state == "42501" || state.find("row-level security policy") != std::string::npos;
}

int count(pqxx::transaction_base& tx, const std::string& sql) { return tx.exec1(sql)[0].as<int>(); }

}  // namespace

// ---- constraints: suite database + rollback ----------------------------------

BOOST_AUTO_TEST_SUITE(constraints, *attest::mark("database") * attest::requirement("DB-001"))

BOOST_DATA_TEST_CASE(invalid_emails_are_rejected,
                     bdata::make({"", "no-at-sign", "two@@example.com", "space @x.com", "a@b",
                                  "@example.com", "user@", "user@example."}),
                     email) {
  attest::PostgresTransaction tx(suite_db());
  BOOST_TEST(sqlstate_of(*tx, "INSERT INTO accounts (tenant_id, email) VALUES (1, " + tx->quote(email) + ")") == "23514");  // check_violation
}

BOOST_DATA_TEST_CASE(negative_balances_are_rejected, bdata::make({-1, -100, -5000, -999999, -2}),
                     cents) {
  attest::PostgresTransaction tx(suite_db());
  BOOST_TEST(sqlstate_of(*tx,
                        "INSERT INTO accounts (tenant_id, email, balance_cents) VALUES (1, 'n@x.com', " +
                            std::to_string(cents) + ")") == "23514");
}

BOOST_DATA_TEST_CASE(required_fields, bdata::make({"tenant_id", "email", "balance_cents"}), column) {
  attest::PostgresTransaction tx(suite_db());
  std::string tenant = column == std::string("tenant_id") ? "NULL" : "1";
  std::string email = column == std::string("email") ? "NULL" : "'r@x.com'";
  std::string balance = column == std::string("balance_cents") ? "NULL" : "0";
  BOOST_TEST(sqlstate_of(*tx,
                        "INSERT INTO accounts (tenant_id, email, balance_cents) VALUES (" + tenant +
                            ", " + email + ", " + balance + ")") == "23502");  // not_null_violation
}

BOOST_AUTO_TEST_CASE(a_valid_account_is_stored) {
  attest::PostgresTransaction tx(suite_db());
  tx->exec("INSERT INTO accounts (tenant_id, email) VALUES (1, 'new@acme.com')");
  BOOST_TEST(count(*tx, "SELECT count(*) FROM accounts WHERE email = 'new@acme.com'") == 1);
  attest::pg::expect_row_count(*tx, "accounts", 19);  // 18 seeded + 1, seen inside the transaction
}

BOOST_AUTO_TEST_CASE(email_unique_per_tenant, *attest::requirement("DB-002")) {
  attest::PostgresTransaction tx(suite_db());
  BOOST_TEST(sqlstate_of(*tx, "INSERT INTO accounts (tenant_id, email) VALUES (1, 'user1@acme.com')") == "23505");  // unique_violation
  tx->exec("INSERT INTO accounts (tenant_id, email) VALUES (2, 'user1@acme.com')");  // other tenant
}

BOOST_AUTO_TEST_CASE(account_needs_an_existing_tenant, *attest::requirement("DB-002")) {
  attest::PostgresTransaction tx(suite_db());
  BOOST_TEST(sqlstate_of(*tx, "INSERT INTO accounts (tenant_id, email) VALUES (999, 'x@y.com')") == "23503");  // foreign_key_violation
}

BOOST_AUTO_TEST_CASE(deleting_a_tenant_deletes_its_accounts, *attest::requirement("DB-003")) {
  attest::PostgresTransaction tx(suite_db());
  tx->exec("DELETE FROM tenants WHERE name = 'acme'");
  BOOST_TEST(count(*tx, "SELECT count(*) FROM accounts") == 15);
}

BOOST_AUTO_TEST_CASE(constraints_are_declared) {
  attest::PostgresTransaction tx(suite_db());
  attest::pg::expect_constraint(*tx, "accounts", "accounts_email_valid");
  attest::pg::expect_constraint(*tx, "accounts", "accounts_balance_not_negative");
  attest::pg::expect_constraint(*tx, "accounts", "accounts_email_unique_per_tenant");
  attest::pg::expect_column(*tx, "accounts", "balance_cents", "bigint");
}

BOOST_AUTO_TEST_CASE(nothing_leaked_from_the_tests_before) {
  attest::PostgresTransaction tx(suite_db());  // every earlier test was rolled back
  attest::pg::expect_row_count(*tx, "accounts", 18);
  attest::pg::expect_row_count(*tx, "tenants", 6);
  attest::pg::expect_row_count(*tx, "audit_log", 0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- savepoints: suite database + rollback ------------------------------------

BOOST_AUTO_TEST_SUITE(savepoints, *attest::mark("database") * attest::requirement("DB-004"))

BOOST_DATA_TEST_CASE(undo_after_the_nth_insert, bdata::xrange(1, 9), n) {
  attest::PostgresTransaction tx(suite_db());
  for (int i = 1; i <= 8; ++i) {
    if (i == n) tx->exec("SAVEPOINT before_n");
    tx->exec("INSERT INTO tenants (name) VALUES ('sp" + std::to_string(i) + "')");
  }
  tx->exec("ROLLBACK TO SAVEPOINT before_n");
  BOOST_TEST(count(*tx, "SELECT count(*) FROM tenants WHERE name LIKE 'sp%'") == n - 1);
}

BOOST_AUTO_TEST_CASE(a_failed_subtransaction_leaves_the_outer_one_usable) {
  attest::PostgresTransaction tx(suite_db());
  tx->exec("INSERT INTO tenants (name) VALUES ('outer')");
  BOOST_TEST(sqlstate_of(*tx, "INSERT INTO tenants (name) VALUES ('outer')") == "23505");
  tx->exec("INSERT INTO tenants (name) VALUES ('after')");
  BOOST_TEST(count(*tx, "SELECT count(*) FROM tenants WHERE name IN ('outer', 'after')") == 2);
}

BOOST_AUTO_TEST_CASE(nested_savepoints_release_into_their_parent) {
  attest::PostgresTransaction tx(suite_db());
  {
    pqxx::subtransaction outer(*tx, "outer");
    outer.exec("INSERT INTO tenants (name) VALUES ('o1')");
    {
      pqxx::subtransaction inner(outer, "inner");
      inner.exec("INSERT INTO tenants (name) VALUES ('i1')");
      inner.commit();
    }
    outer.abort();  // takes the released inner work with it
  }
  BOOST_TEST(count(*tx, "SELECT count(*) FROM tenants WHERE name IN ('o1', 'i1')") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- triggers: a fresh database per test --------------------------------------

BOOST_AUTO_TEST_SUITE(triggers, *attest::mark("database") * attest::requirement("DB-005"))

BOOST_DATA_TEST_CASE(every_change_is_audited,
                     bdata::make({"INSERT INTO accounts (tenant_id, email) VALUES (1, 'a@acme.com')",
                                  "UPDATE accounts SET balance_cents = 5 WHERE id = 1",
                                  "DELETE FROM accounts WHERE id = 2"}) ^
                         bdata::make({"INSERT", "UPDATE", "DELETE"}),
                     sql, op) {
  attest::PostgresDatabase db(server(), "audit", migrations());
  pqxx::work w(db.connection());
  w.exec(sql);
  w.commit();
  pqxx::nontransaction check(db.connection());
  BOOST_TEST(count(check, std::string("SELECT count(*) FROM audit_log WHERE op = '") + op + "'") == 1);
}

BOOST_AUTO_TEST_CASE(the_audit_row_names_the_account) {
  attest::PostgresDatabase db(server(), "audit", migrations());
  pqxx::work w(db.connection());
  w.exec("UPDATE accounts SET balance_cents = 7 WHERE id = 3");
  BOOST_TEST(count(w, "SELECT row_id FROM audit_log") == 3);
  BOOST_TEST(w.exec1("SELECT table_name FROM audit_log")[0].as<std::string>() == "accounts");
}

BOOST_AUTO_TEST_CASE(a_rolled_back_change_leaves_no_audit_row) {
  attest::PostgresDatabase db(server(), "audit", migrations());
  {
    pqxx::work w(db.connection());
    w.exec("DELETE FROM accounts");
  }  // not committed
  attest::pg::expect_row_count(db.connection(), "audit_log", 0);
  attest::pg::expect_row_count(db.connection(), "accounts", 18);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- row-level security: a fresh database with an application role per test ---

BOOST_AUTO_TEST_SUITE(row_level_security, *attest::mark("database") * attest::requirement("DB-006"))

BOOST_DATA_TEST_CASE(a_tenant_sees_only_its_accounts, bdata::xrange(1, 7), tenant) {
  attest::PostgresDatabase db(server(), "rls", migrations(), {.roles = {"app"}});
  auto app = db.connect_as("app");
  pqxx::work w(*app);
  w.exec("SET app.tenant_id = " + std::to_string(tenant));
  BOOST_TEST(count(w, "SELECT count(*) FROM accounts") == 3);
  BOOST_TEST(count(w, "SELECT count(DISTINCT tenant_id) FROM accounts") == 1);
}

BOOST_AUTO_TEST_CASE(no_tenant_no_rows) {
  attest::PostgresDatabase db(server(), "rls", migrations(), {.roles = {"app"}});
  auto app = db.connect_as("app");
  pqxx::work w(*app);
  BOOST_TEST(count(w, "SELECT count(*) FROM accounts") == 0);
}

BOOST_AUTO_TEST_CASE(the_owner_is_not_restricted) {
  attest::PostgresDatabase db(server(), "rls", migrations(), {.roles = {"app"}});
  attest::pg::expect_row_count(db.connection(), "accounts", 18);
}

BOOST_AUTO_TEST_CASE(an_update_cannot_reach_another_tenant) {
  attest::PostgresDatabase db(server(), "rls", migrations(), {.roles = {"app"}});
  auto app = db.connect_as("app");
  pqxx::work w(*app);
  w.exec("SET app.tenant_id = 1");
  auto r = w.exec("UPDATE accounts SET balance_cents = 0 WHERE tenant_id = 2");
  BOOST_TEST(r.affected_rows() == 0u);
}

BOOST_AUTO_TEST_CASE(an_insert_for_another_tenant_is_refused) {
  attest::PostgresDatabase db(server(), "rls", migrations(), {.roles = {"app"}});
  auto app = db.connect_as("app");
  pqxx::work w(*app);
  w.exec("SET app.tenant_id = 1");
  BOOST_TEST(refused_by_policy(
      sqlstate_of(w, "INSERT INTO accounts (tenant_id, email) VALUES (2, 'x@globex.com')")));  // insufficient_privilege: the policy's WITH CHECK
}

BOOST_AUTO_TEST_CASE(the_role_cannot_turn_security_off) {
  attest::PostgresDatabase db(server(), "rls", migrations(), {.roles = {"app"}});
  auto app = db.connect_as("app");
  pqxx::work w(*app);
  w.exec("SET row_security = off");
  BOOST_TEST(refused_by_policy(sqlstate_of(w, "SELECT count(*) FROM accounts")));
}

BOOST_AUTO_TEST_CASE(the_application_url_works_over_tcp) {
  attest::PostgresDatabase db(server(), "rls", migrations(), {.roles = {"app"}});
  pqxx::connection c(db.url_as("app"));
  pqxx::work w(c);
  w.exec("SET app.tenant_id = 3");
  BOOST_TEST(count(w, "SELECT count(*) FROM accounts") == 3);
  BOOST_TEST(w.exec1("SELECT current_user")[0].as<std::string>() == db.role_name("app"));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- isolation levels: a fresh database per test, two connections --------------

BOOST_AUTO_TEST_SUITE(isolation, *attest::mark("database") * attest::requirement("DB-007"))

BOOST_AUTO_TEST_CASE(read_committed_sees_a_commit_mid_transaction) {
  attest::PostgresDatabase db(server(), "iso", migrations());
  auto a = db.connect(), b = db.connect();
  pqxx::work reader(*a);
  BOOST_TEST(count(reader, "SELECT count(*) FROM tenants") == 6);
  pqxx::work writer(*b);
  writer.exec("INSERT INTO tenants (name) VALUES ('late')");
  writer.commit();
  BOOST_TEST(count(reader, "SELECT count(*) FROM tenants") == 7);
}

BOOST_AUTO_TEST_CASE(repeatable_read_keeps_its_snapshot) {
  attest::PostgresDatabase db(server(), "iso", migrations());
  auto a = db.connect(), b = db.connect();
  pqxx::transaction<pqxx::isolation_level::repeatable_read> reader(*a);
  BOOST_TEST(count(reader, "SELECT count(*) FROM tenants") == 6);
  pqxx::work writer(*b);
  writer.exec("INSERT INTO tenants (name) VALUES ('late')");
  writer.commit();
  BOOST_TEST(count(reader, "SELECT count(*) FROM tenants") == 6);
}

BOOST_DATA_TEST_CASE(no_level_sees_uncommitted_work, bdata::xrange(0, 3), level) {
  attest::PostgresDatabase db(server(), "iso", migrations());
  auto a = db.connect(), b = db.connect();
  pqxx::work writer(*b);
  writer.exec("INSERT INTO tenants (name) VALUES ('dirty')");
  auto seen = [&](auto& tx) { return count(tx, "SELECT count(*) FROM tenants WHERE name = 'dirty'"); };
  if (level == 0) {
    pqxx::transaction<pqxx::isolation_level::read_committed> r(*a);
    BOOST_TEST(seen(r) == 0);
  } else if (level == 1) {
    pqxx::transaction<pqxx::isolation_level::repeatable_read> r(*a);
    BOOST_TEST(seen(r) == 0);
  } else {
    pqxx::transaction<pqxx::isolation_level::serializable> r(*a);
    BOOST_TEST(seen(r) == 0);
  }
}

BOOST_AUTO_TEST_CASE(serializable_refuses_write_skew) {
  attest::PostgresDatabase db(server(), "iso", migrations());
  auto a = db.connect(), b = db.connect();
  pqxx::transaction<pqxx::isolation_level::serializable> t1(*a), t2(*b);
  // Each reads the sum and withdraws from a different account: together they break it.
  count(t1, "SELECT sum(balance_cents) FROM accounts WHERE tenant_id = 1");
  count(t2, "SELECT sum(balance_cents) FROM accounts WHERE tenant_id = 1");
  t1.exec("UPDATE accounts SET balance_cents = 0 WHERE id = 1");
  t2.exec("UPDATE accounts SET balance_cents = 0 WHERE id = 2");
  t1.commit();
  BOOST_CHECK_THROW(t2.commit(), pqxx::serialization_failure);
}

BOOST_AUTO_TEST_CASE(select_for_update_makes_the_second_writer_wait) {
  attest::PostgresDatabase db(server(), "iso", migrations());
  auto a = db.connect(), b = db.connect();
  pqxx::work first(*a);
  first.exec("SELECT * FROM accounts WHERE id = 1 FOR UPDATE");
  pqxx::work second(*b);
  second.exec("SET lock_timeout = '50ms'");
  BOOST_TEST(sqlstate_of(second, "SELECT * FROM accounts WHERE id = 1 FOR UPDATE") == "55P03");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- concurrency: a fresh database per test, five connections ------------------

BOOST_AUTO_TEST_SUITE(concurrency, *attest::mark("database") * attest::requirement("DB-008"))

BOOST_AUTO_TEST_CASE(five_connections_transferring_conserve_money) {
  attest::PostgresDatabase db(server(), "conc", migrations());
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 5; ++t)
    workers.emplace_back([&, t] {
      try {
        auto c = db.connect();
        for (int i = 0; i < 40; ++i) {
          int from = 1 + (t + i) % 18, to = 1 + (t + i + 7) % 18;
          pqxx::work w(*c);
          // Lock both rows in id order: no deadlock, no lost update.
          w.exec("SELECT id FROM accounts WHERE id IN (" + std::to_string(from) + ", " +
                 std::to_string(to) + ") ORDER BY id FOR UPDATE");
          w.exec("UPDATE accounts SET balance_cents = balance_cents - 10 WHERE id = " +
                 std::to_string(from) + " AND balance_cents >= 10");
          w.exec("UPDATE accounts SET balance_cents = balance_cents + 10 WHERE id = " +
                 std::to_string(to));
          w.commit();
        }
      } catch (const std::exception&) {
        ++failures;
      }
    });
  for (auto& w : workers) w.join();
  BOOST_TEST(failures == 0);
  pqxx::nontransaction check(db.connection());
  // Each transfer moves 10 cents or (when the source is short) adds 10: never loses any.
  BOOST_TEST(count(check, "SELECT sum(balance_cents) FROM accounts") >= 18000);
  BOOST_TEST(count(check, "SELECT count(*) FROM accounts WHERE balance_cents < 0") == 0);
}

BOOST_DATA_TEST_CASE(five_racing_creations_make_one_account, bdata::xrange(0, 5), round) {
  attest::PostgresDatabase db(server(), "conc", migrations());
  std::atomic<int> created{0}, duplicates{0};
  std::vector<std::thread> racers;
  std::string email = "race" + std::to_string(round) + "@acme.com";
  for (int t = 0; t < 5; ++t)
    racers.emplace_back([&] {
      auto c = db.connect();
      try {
        pqxx::work w(*c);
        w.exec("INSERT INTO accounts (tenant_id, email) VALUES (1, '" + email + "')");
        w.commit();
        ++created;
      } catch (const pqxx::unique_violation&) {
        ++duplicates;
      }
    });
  for (auto& r : racers) r.join();
  BOOST_TEST(created == 1);
  BOOST_TEST(duplicates == 4);
}

BOOST_AUTO_TEST_CASE(one_of_five_sessions_gets_the_advisory_lock) {
  attest::PostgresDatabase db(server(), "conc", migrations());
  std::vector<std::unique_ptr<pqxx::connection>> sessions;
  int got = 0;
  for (int i = 0; i < 5; ++i) {
    sessions.push_back(db.connect());
    pqxx::nontransaction s(*sessions.back());
    got += s.exec1("SELECT pg_try_advisory_lock(42)")[0].as<bool>();
  }
  BOOST_TEST(got == 1);
}

BOOST_AUTO_TEST_CASE(a_deadlock_is_detected_and_one_side_survives) {
  attest::PostgresDatabase db(server(), "conc", migrations());
  auto a = db.connect(), b = db.connect();
  pqxx::work t1(*a), t2(*b);
  t1.exec("SET deadlock_timeout = '20ms'");
  t2.exec("SET deadlock_timeout = '20ms'");
  t1.exec("UPDATE accounts SET balance_cents = 1 WHERE id = 1");
  t2.exec("UPDATE accounts SET balance_cents = 2 WHERE id = 2");
  std::atomic<int> deadlocks{0}, others{0};
  std::mutex other_mutex;
  std::string other_error;
  auto attempt = [&](pqxx::work& tx, const char* sql) {
    try {
      tx.exec(sql);
    } catch (const std::exception& e) {
      // libpqxx 6.4 throws deadlock_detected outside sql_error, with no sqlstate: the
      // server's message says what it is.
      if (std::string(e.what()).find("deadlock detected") != std::string::npos) {
        ++deadlocks;
      } else {
        ++others;
        std::lock_guard lock(other_mutex);
        other_error = e.what();
      }
    }
  };
  std::thread other([&] { attempt(t2, "UPDATE accounts SET balance_cents = 2 WHERE id = 1"); });
  attempt(t1, "UPDATE accounts SET balance_cents = 1 WHERE id = 2");
  other.join();
  BOOST_TEST(others == 0, other_error);
  BOOST_TEST(deadlocks == 1);
}

BOOST_AUTO_TEST_SUITE_END()
