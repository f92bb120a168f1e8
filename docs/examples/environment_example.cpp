// TESTING.md, "Environments": a test binary run inside the shared environment that
// docs/examples/attest.json declares (CTest brings it up: docs/examples/CMakeLists.txt).
#include <attest/attest.hpp>
#include <attest/environment.hpp>
#include <attest/http_client.hpp>
#include <attest/postgres.hpp>

#include <pqxx/pqxx>

// [environment]
BOOST_AUTO_TEST_CASE(greeter_answers,
                     *attest::mark("integration") * attest::requirement("FR-091")) {
  // A declared process, found by name: its URL, port and log.
  const auto& greeter = attest::env().service("greeter");
  attest::wait_for_http(greeter.url() + "/", 200);
}

BOOST_AUTO_TEST_CASE(auth_mock_answers_and_verifies,
                     *attest::mark("integration") * attest::requirement("FR-093")) {
  // A declared mock: attest-mock serving mocks/auth.json, and MockServer's REST API
  // for any process (or MockServer client) that wants to add expectations or verify.
  attest::HttpClient auth(attest::env().service("auth").url());
  BOOST_TEST(auth.post("/api/auth/token", "{}").body == R"({"token":"t-1"})");
  auto verified = auth.request("PUT", "/mockserver/verify",
                               R"({"httpRequest": {"path": "/api/auth/token"},
                                   "times": {"atLeast": 1}})");
  // 202 when it holds; 406, with the reason, when it does not.
  BOOST_TEST(verified.status == 202u, verified.body);
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
