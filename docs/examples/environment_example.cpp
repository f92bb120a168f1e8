// TESTING.md, "Environments": a test binary run inside the shared environment that
// docs/examples/attest.json declares (CTest brings it up: docs/examples/CMakeLists.txt).
#include <attest/attest.hpp>
#include <attest/environment.hpp>
#include <attest/postgres.hpp>

#include <pqxx/pqxx>

// [environment]
BOOST_AUTO_TEST_CASE(greeter_answers,
                     *attest::mark("integration") * attest::requirement("FR-091")) {
  // A declared process, found by name: its URL, port and log.
  const auto& greeter = attest::env().service("greeter");
  attest::wait_for_http(greeter.url() + "/", 200);
}

BOOST_AUTO_TEST_CASE(database_of_its_own,
                     *attest::mark("integration") * attest::requirement("FR-091")) {
  // The environment's PostgreSQL: one server for every test binary of the run,
  // still a fresh database for this test.
  auto& server = attest::PostgresServer::session();
  attest::PostgresDatabase db(server, "orders");
  pqxx::connection c(db.url());
  pqxx::work w(c);
  BOOST_TEST(w.exec1("SELECT current_database()")[0].as<std::string>() == db.name());
}
// [environment]
