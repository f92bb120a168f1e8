// Redis fixtures against a real redis-server started by attest (and, for the
// external provider, one we start first and reach only through its URL).
#include <attest/attest.hpp>
#include <attest/process.hpp>
#include <attest/redis.hpp>
#include <attest/run_dir.hpp>
#include <attest/test_context.hpp>

#include <filesystem>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::error_of;
namespace fs = std::filesystem;

namespace {

// The local provider these tests are about: the session server when it is local; inside a
// shared environment (ATTEST_ENV: the session server is the environment's), one of this
// process's own, stopped when the run ends.
attest::RedisServer& local_server() {
  auto& session = attest::RedisServer::session();
  if (session.is_local()) return session;
  static attest::RedisServer* own = [] {
    auto* server = attest::RedisServer::start_local().release();  // never freed, as the session's
    attest::at_run_end([server] { server->shutdown(); });
    return server;
  }();
  return *own;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redis, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(local_server_needs_its_random_password, *attest::requirement("FR-041")) {
  auto& server = local_server();
  BOOST_TEST(server.is_local());
  std::string url = server.url();
  BOOST_TEST(url.rfind("redis://:", 0) == 0u, server.display_url());
  BOOST_TEST(contains(url, "@127.0.0.1:"));
  BOOST_TEST(server.display_url().find(":***@127.0.0.1:") != std::string::npos);

  // Over TCP with the password: answers. Without it: refused.
  BOOST_TEST(attest::RedisClient(url).command("PING").str() == "PONG");
  std::string no_password = "redis://" + url.substr(url.find('@') + 1);
  auto refused = error_of([&] { attest::RedisClient(no_password).command("GET", "x"); });
  BOOST_TEST(contains(refused, "NOAUTH"), refused);

  // The password is in a 0600 file in a 0700 directory, never on the command line.
  std::string cmdline =
      attest_test::read_file("/proc/" + std::to_string(server.process()->pid()) + "/cmdline");
  std::string password = url.substr(9, url.find('@') - 9);
  BOOST_TEST(!contains(cmdline, password));
  fs::path dir = attest::RunDir::current().path() / "redis";
  BOOST_TEST((fs::status(dir).permissions() == fs::perms::owner_all));
  BOOST_TEST((fs::status(dir / "redis.conf").permissions() ==
              (fs::perms::owner_read | fs::perms::owner_write)));
  // No persistence: nothing is written to disk on the way out either.
  BOOST_TEST(server.client().command("CONFIG", "GET", "save").strings().at(1) == "");
  BOOST_TEST(server.client().command("CONFIG", "GET", "appendonly").strings().at(1) == "no");
  BOOST_TEST(server.client().command("CONFIG", "GET", "bind").strings().at(1) == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(namespaces_isolate_tests_sharing_a_server, *attest::requirement("FR-042")) {
  auto& server = attest::RedisServer::session();
  auto outsider = server.client();
  outsider.command("SET", "someone_elses", "keep me");
  std::string b_prefix;
  {
    attest::RedisNamespace a(server, "ingest");
    attest::RedisNamespace b(server, "ingest");
    b_prefix = b.prefix();
    BOOST_TEST(a.prefix() != b.prefix());
    BOOST_TEST(a.prefix().rfind("ingest_", 0) == 0u, a.prefix());
    a.client().command("SET", a.key("count"), 1);
    b.client().command("SET", b.key("count"), 2);
    for (int i = 0; i < 2500; ++i)  // more than one SCAN page and one UNLINK batch
      a.client().command("SADD", a.key("set" + std::to_string(i % 7)), i);
    a.client().command("HSET", a.key("h"), "f", "v");
    BOOST_TEST(a.keys().size() == 9u);
    BOOST_TEST(b.client().command("GET", b.key("count")).str() == "2");
    BOOST_TEST(a.client().command("GET", a.key("count")).str() == "1");
    {
      attest::RedisNamespace c(server, "ingest");
      c.client().command("SET", c.key("x"), "y");
    }  // c's teardown removed its key only
    BOOST_TEST(b.client().command("GET", b.key("count")).str() == "2");
    BOOST_TEST(a.keys().size() == 9u);
  }
  // a and b are gone, and everything under their prefixes with them; nothing else.
  BOOST_TEST(outsider.command("GET", "someone_elses").str() == "keep me");
  BOOST_TEST(outsider.command("EXISTS", b_prefix + "count").integer() == 0);
  BOOST_TEST(outsider.command("DBSIZE").integer() == 1);
  outsider.command("DEL", "someone_elses");
}

BOOST_AUTO_TEST_CASE(replies_are_typed_and_errors_carry_the_server_message,
                     *attest::requirement("FR-043")) {
  attest::RedisNamespace ns(attest::RedisServer::session(), "typed");
  auto& c = ns.client();
  BOOST_TEST(c.command("SET", ns.key("s"), "value").str() == "OK");  // status reply
  std::string binary("a\0b", 3);
  c.command("SET", ns.key("bin"), binary);
  BOOST_TEST(c.command("GET", ns.key("bin")).str() == binary);  // binary-safe
  BOOST_TEST(c.command("INCRBY", ns.key("n"), 41).integer() == 41);
  BOOST_TEST(c.command("GET", ns.key("missing")).is_nil());
  c.command("RPUSH", ns.key("l"), "a", "b", "c");
  BOOST_TEST(c.command("LRANGE", ns.key("l"), 0, -1).strings() ==
             (std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST(c.command("LRANGE", ns.key("l"), 0, -1).array().size() == 3u);

  auto wrong = error_of([&] { c.command("INCR", ns.key("l")); });
  BOOST_TEST(contains(wrong, "WRONGTYPE"), wrong);
  BOOST_CHECK_THROW(c.command("INCR", ns.key("l")), attest::RedisError);
  auto as_int = error_of([&] { (void)c.command("GET", ns.key("bin")).integer(); });
  BOOST_TEST(as_int == "the reply is string, not an integer");
  auto unknown = error_of([&] { c.command("NOSUCHCOMMAND"); });
  BOOST_TEST(contains(unknown, "unknown command"), unknown);
}

BOOST_AUTO_TEST_CASE(external_provider_and_clear_errors, *attest::requirement("FR-041", "FR-042")) {
  auto local = attest::RedisServer::start_local();  // an "existing" server
  auto external = attest::RedisServer::connect_external(local->url());
  BOOST_TEST(!external->is_local());
  BOOST_TEST(external->url() == local->url());
  local->client().command("SET", "someone_elses", "1");
  {
    attest::RedisNamespace ns(*external, "ext");
    ns.client().command("SET", ns.key("k"), "v");
    BOOST_TEST(local->client().command("DBSIZE").integer() == 2);
  }
  BOOST_TEST(local->client().command("DBSIZE").integer() == 1);  // only its own key went

  std::string url = local->url();
  std::string wrong = "redis://:nope@" + url.substr(url.find('@') + 1);
  auto bad_password = error_of([&] { attest::RedisServer::connect_external(wrong); });
  BOOST_TEST(contains(bad_password, "redis://:***@127.0.0.1:"), bad_password);
  BOOST_TEST(!contains(bad_password, "nope"), bad_password);
  BOOST_CHECK_THROW(attest::RedisServer::connect_external("http://x"), attest::RedisUnavailable);
  auto refused = error_of([] { attest::RedisServer::connect_external("redis://127.0.0.1:1"); });
  BOOST_TEST(contains(refused, "cannot connect to redis://127.0.0.1:1"), refused);
}

BOOST_AUTO_TEST_CASE(ready_made_service, *attest::requirement("FR-040")) {
  auto service = attest::redis_service();
  BOOST_TEST(service.name == "Redis");
  BOOST_TEST(service.available());
  BOOST_TEST(contains(service.how_to_provide, "ATTEST_REDIS_URL"));
}

BOOST_AUTO_TEST_SUITE_END()
