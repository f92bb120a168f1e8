// PostgreSQL figures, side by side in one run: local server ready (cached and
// first run) vs raw initdb + pg_ctl start; per-test database acquire vs plain
// CREATE DATABASE ... TEMPLATE; rollback fixture setup + teardown.
#include <attest/postgres.hpp>
#include <attest/process.hpp>
#include <attest/run_dir.hpp>
#include <attest/subprocess.hpp>

#include <unistd.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "bench_stats.hpp"

using bench::Clock;
using bench::median;
using bench::ms_since;
using bench::pct;
namespace fs = std::filesystem;

int main() {
  const int rounds = 5;
  fs::path scratch = attest::RunDir::current().path() / "bench";
  fs::create_directories(scratch);
  ::setenv("XDG_CACHE_HOME", (scratch / "cache").c_str(), 1);

  // Ready: first run (initdb into an empty cache), then cached.
  std::vector<double> first, cached, raw;
  for (int i = 0; i < rounds; ++i) {
    fs::remove_all(scratch / "cache");
    auto t = Clock::now();
    {
      auto s = attest::PostgresServer::start_local();
      first.push_back(ms_since(t));
    }
    t = Clock::now();
    {
      auto s = attest::PostgresServer::start_local();
      cached.push_back(ms_since(t));
    }
  }
  // Raw initdb + pg_ctl start -w, as a shell script would (as nobody when root).
  std::string bin = "/usr/lib/postgresql/15/bin";
  for (int i = 0; i < rounds; ++i) {
    fs::path d = scratch / ("raw" + std::to_string(i));
    fs::create_directories(d);
    fs::permissions(scratch, fs::perms::all);
    if (::geteuid() == 0) attest::run_command({"chown", "nobody", d.string()});
    std::string port = std::to_string(attest::free_port());
    std::string script =
        bin + "/initdb -D " + d.string() + "/data -U postgres -N --no-instructions >/dev/null && " +
        bin + "/pg_ctl -D " + d.string() + "/data -o '-p " + port + " -k " + d.string() +
        " -c listen_addresses=127.0.0.1' -w -l " + d.string() + "/log start >/dev/null";
    std::vector<std::string> argv =
        ::geteuid() == 0 ? std::vector<std::string>{"su", "nobody", "-s", "/bin/sh", "-c", script}
                         : std::vector<std::string>{"/bin/sh", "-c", script};
    auto t = Clock::now();
    auto r = attest::run_command(argv);
    raw.push_back(ms_since(t));
    std::string stop = bin + "/pg_ctl -D " + d.string() + "/data -m immediate stop >/dev/null";
    attest::run_command(::geteuid() == 0
                            ? std::vector<std::string>{"su", "nobody", "-s", "/bin/sh", "-c", stop}
                            : std::vector<std::string>{"/bin/sh", "-c", stop});
    if (r.exit_code != 0) std::fprintf(stderr, "raw start failed: %s\n", r.err.c_str());
  }

  // testing.postgresql (Debian's python3-testing.postgresql), when installed: initdb + start per
  // use.
  std::vector<double> tpg;
  {
    std::string script =
        "cd /tmp && /usr/bin/python3 -c 'import time, testing.postgresql as t\n"
        "s = time.perf_counter()\nwith t.Postgresql() as pg: print((time.perf_counter() - s) * "
        "1000)'";
    for (int i = 0; i < rounds; ++i) {
      auto r = attest::run_command(
          ::geteuid() == 0 ? std::vector<std::string>{"su", "nobody", "-s", "/bin/sh", "-c", script}
                           : std::vector<std::string>{"/bin/sh", "-c", script});
      if (r.exit_code != 0) break;
      tpg.push_back(std::atof(r.out.c_str()));
    }
  }

  // Per-test databases from a 30-table migrated schema.
  auto server = attest::PostgresServer::start_local();
  fs::path migrations = scratch / "migrations";
  fs::create_directories(migrations);
  {
    std::ofstream sql(migrations / "001_schema.sql");
    for (int i = 0; i < 30; ++i)
      sql << "CREATE TABLE t" << i
          << " (id bigserial PRIMARY KEY, name text NOT NULL, created timestamptz DEFAULT now());\n"
          << "CREATE INDEX t" << i << "_name ON t" << i << " (name);\n";
  }
  { attest::PostgresDatabase warm(*server, "warm", migrations); }  // builds the template once
  // 200 sequential tests whose body is the seed plans' scenario: a "sync" that
  // inserts 200 rows, then an exact-count check; `syncs` times over. The pool
  // clones and drops while the bodies run, as it does in a real suite.
  auto run_tests = [&](int syncs, std::vector<double>& acquire, std::vector<double>& body) {
    for (int i = 0; i < 200; ++i) {
      auto t = Clock::now();
      attest::PostgresDatabase db(*server, "bench", migrations);
      acquire.push_back(ms_since(t));
      t = Clock::now();
      for (int s = 0; s < syncs; ++s) {
        {
          pqxx::work w(db.connection());
          w.exec("INSERT INTO t" + std::to_string(s) +
                 " (name) SELECT 'row ' || g FROM generate_series(1, 200) g");
          w.commit();
        }
        attest::pg::expect_row_count(db.connection(), "t" + std::to_string(s), 200);
      }
      body.push_back(ms_since(t));
    }
  };
  std::vector<double> acquire, body, acquire3, body3, bare, none;
  run_tests(1, acquire, body);
  run_tests(3, acquire3, body3);
  run_tests(0, bare, none);  // empty bodies back to back: the pool drains
  std::vector<double> socket_open, tcp_open;
  for (int i = 0; i < 50; ++i) {
    auto t = Clock::now();
    { pqxx::connection c(server->connection_string("postgres")); }
    socket_open.push_back(ms_since(t));
    t = Clock::now();
    { pqxx::connection c(server->url("postgres")); }
    tcp_open.push_back(ms_since(t));
  }
  std::vector<double> plain;
  pqxx::connection admin(server->admin_connection());
  std::string tpl;
  {
    pqxx::nontransaction tx(admin);
    tpl = tx.exec1("SELECT datname FROM pg_database WHERE datname LIKE 'attest_tpl_%' LIMIT 1")[0]
              .as<std::string>();
  }
  for (int i = 0; i < 200; ++i) {
    std::string name = "plain_" + std::to_string(i);
    auto t = Clock::now();
    {
      pqxx::nontransaction tx(admin);
      tx.exec("CREATE DATABASE " + name + " TEMPLATE " + tpl);
    }
    plain.push_back(ms_since(t));
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE " + name);
  }

  // Rollback fixture: open a connection + transaction, roll back.
  attest::PostgresDatabase db(*server, "tx", migrations);
  std::vector<double> rollback, rollback_reused;
  for (int i = 0; i < 200; ++i) {
    auto t = Clock::now();
    { attest::PostgresTransaction tx(db.url()); }
    rollback.push_back(ms_since(t));
  }
  for (int i = 0; i < 200; ++i) {
    auto t = Clock::now();
    { attest::PostgresTransaction tx(db); }  // on the database's kept connection
    rollback_reused.push_back(ms_since(t));
  }

  // Per-test cost, whole test (set-up + body + teardown), the same body three ways:
  // a fresh database per test; one suite database with a rolled-back transaction per
  // test on a new connection; the same on the database's kept connection.
  auto body_in = [](pqxx::transaction_base& tx) {
    tx.exec("INSERT INTO t0 (name) SELECT 'row ' || g FROM generate_series(1, 200) g");
    attest::pg::expect_row_count(tx, "t0", 200);
  };
  std::vector<double> per_fresh, per_suite_own, per_suite_kept;
  for (int i = 0; i < 200; ++i) {
    auto t = Clock::now();
    {
      attest::PostgresDatabase fresh(*server, "fresh", migrations);
      pqxx::work w(fresh.connection());
      body_in(w);
      w.commit();
    }
    per_fresh.push_back(ms_since(t));
  }
  attest::PostgresDatabase suite(*server, "suite", migrations);
  for (int i = 0; i < 200; ++i) {
    auto t = Clock::now();
    {
      attest::PostgresTransaction tx(suite.url());
      body_in(*tx);
    }
    per_suite_own.push_back(ms_since(t));
  }
  for (int i = 0; i < 200; ++i) {
    auto t = Clock::now();
    {
      attest::PostgresTransaction tx(suite);
      body_in(*tx);
    }
    per_suite_kept.push_back(ms_since(t));
  }

  std::printf("| PostgreSQL figure | attest | anchor | goal |\n|---|---|---|---|\n");
  std::printf(
      "| local server ready, cached (median of %d) | %.0f ms | raw initdb + pg_ctl start -w: %.0f "
      "ms | ≤ 250 ms |\n",
      rounds, median(cached), median(raw));
  std::printf(
      "| local server ready, first run (initdb into the cache) | %.0f ms | (same anchor) | ≤ 1200 "
      "ms |\n",
      median(first));
  if (!tpg.empty())
    std::printf("| (anchor) testing.postgresql ready, median of %zu | — | %.0f ms | — |\n",
                tpg.size(), median(tpg));
  else
    std::printf(
        "| (anchor) testing.postgresql | — | not installed: apt-get install "
        "python3-testing.postgresql | — |\n");
  std::printf(
      "| per-test database, 30-table schema, 200 sequential tests, body = one sync (insert 200 "
      "rows "
      "+ exact count, p50 %.1f ms): acquire p50 / p99 | %.2f / %.2f ms | CREATE DATABASE … "
      "TEMPLATE: %.2f / %.2f ms | ≤ 3 / ≤ 20 ms |\n",
      pct(body, 0.5), pct(acquire, 0.5), pct(acquire, 0.99), pct(plain, 0.5), pct(plain, 0.99));
  std::printf(
      "| the same, body = three syncs (p50 %.1f ms) | %.2f / %.2f ms | (same anchor) | ≤ 3 / ≤ 20 "
      "ms |\n",
      pct(body3, 0.5), pct(acquire3, 0.5), pct(acquire3, 0.99));
  std::printf(
      "| (worst case) the same, empty bodies back to back | %.2f / %.2f ms | (same anchor) | — |\n",
      pct(bare, 0.5), pct(bare, 0.99));
  std::printf(
      "| open a connection, p50: unix socket (PostgresDatabase::connection) / TCP + SCRAM (url) | "
      "%.2f / %.2f ms | — | — |\n",
      pct(socket_open, 0.5), pct(tcp_open, 0.5));
  std::printf(
      "| rollback fixture setup + teardown, p50 (own connection / the database’s kept one) | %.2f "
      "/ %.3f "
      "ms | — | ≤ 1 ms |\n",
      pct(rollback, 0.5), pct(rollback_reused, 0.5));
  std::printf(
      "\n| per test, body = insert 200 rows + exact count (200 tests) | p50 | p99 |\n|---|---|---|\n"
      "| fresh database per test (`PostgresDatabase` per test) | %.2f ms | %.2f ms |\n"
      "| suite database + rolled-back transaction on a new connection | %.2f ms | %.2f ms |\n"
      "| suite database + rolled-back transaction on its kept connection | %.2f ms | %.2f ms |\n",
      pct(per_fresh, 0.5), pct(per_fresh, 0.99), pct(per_suite_own, 0.5),
      pct(per_suite_own, 0.99), pct(per_suite_kept, 0.5), pct(per_suite_kept, 0.99));
}
