// A test binary run inside a shared environment (environment_test.cpp starts it with
// attest-env): its session servers are the environment's, and a declared process is
// found by name.
#include <attest/attest.hpp>
#include <attest/environment.hpp>
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

BOOST_AUTO_TEST_SUITE_END()
