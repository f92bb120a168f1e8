// A test binary run inside a shared environment (environment_test.cpp starts it with
// attest-env): its session servers are the environment's, and a declared process is
// found by name.
#include <attest/attest.hpp>
#include <attest/environment.hpp>
#include <attest/http_client.hpp>
#include <attest/postgres.hpp>
#include <attest/redis.hpp>

#include <boost/url/parse.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace {
unsigned short port_of(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  return u && u->has_port() ? u->port_number() : 0;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(shared_environment, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(postgres_is_the_environments, *attest::requirement("FR-001")) {
  auto& server = attest::PostgresServer::session();
  BOOST_TEST(!server.is_local());  // connected to, not started
  BOOST_TEST(port_of(server.url()) == attest::env().service("db").port());
  attest::PostgresDatabase db(server, "shared");  // still a database of its own
  pqxx::connection c(db.url());
  pqxx::work w(c);
  BOOST_TEST(w.exec1("SELECT current_database()")[0].as<std::string>() == db.name());
}

BOOST_AUTO_TEST_CASE(redis_is_the_environments, *attest::requirement("FR-001")) {
  auto& server = attest::RedisServer::session();
  BOOST_TEST(!server.is_local());
  BOOST_TEST(port_of(server.url()) == attest::env().service("cache").port());
}

BOOST_AUTO_TEST_CASE(a_declared_process_by_name, *attest::requirement("FR-001")) {
  const auto& api = attest::env().service("api");
  attest::wait_for_http(api.url() + "/", 200, {.timeout = std::chrono::seconds(5)});
  // It got the database's URL through "${db.url}".
  std::ifstream log(api.log());
  std::stringstream text;
  text << log.rdbuf();
  BOOST_TEST(text.str().find("db=postgresql://") != std::string::npos, text.str());
  BOOST_TEST(text.str().find(":" + std::to_string(attest::env().service("db").port()) + "/") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(declared_mocks_answer_and_verify, *attest::requirement("FR-001")) {
  attest::HttpClient auth(attest::env().service("auth").url());
  auto token = auth.post("/token", "{}");
  BOOST_TEST(token.status == 200u);
  BOOST_TEST(token.body == R"({"token":"t-1"})");
  // Another process's view, over MockServer's REST API: the request is in its journal.
  auto verified = auth.request("PUT", "/mockserver/verify",
                               R"({"httpRequest": {"method": "POST", "path": "/token"}})");
  BOOST_TEST(verified.status == 202u, verified.body);
  attest::HttpClient storage(attest::env().service("storage").url());
  BOOST_TEST(storage.request("PUT", "/objects/a.txt", "a").status == 201u);
}

// Run on purpose only (environment_test.cpp's down-while-running check): holds a database
// connection and waits for `attest-env down` to take the server away under it.
BOOST_AUTO_TEST_CASE(outlived_by_no_service,
                     *boost::unit_test::disabled() * attest::requirement("FR-001")) {
  auto& server = attest::PostgresServer::session();
  attest::PostgresDatabase db(server, "held");
  pqxx::connection c(db.url());
  std::cout << "holding a connection" << std::endl;
  attest::wait_for_condition(
      [&] {
        try {
          pqxx::nontransaction(c).exec("SELECT 1");
          return false;
        } catch (const std::exception&) {
          return true;  // the server went away: the connection says so, nothing hangs
        }
      },
      {.timeout = std::chrono::seconds(60), .description = "the environment to go down"});
}

BOOST_AUTO_TEST_SUITE_END()
