// TESTING.md, "Containers": a service in a container, as a test uses it.
#include <attest/attest.hpp>
#include <attest/container.hpp>
#include <attest/redis.hpp>

// [container]
// Redis 7 in a container: pulled where a registry answers, or taken from a mirror or a local
// build with ATTEST_IMAGE_PREFIX (attest's own CI: ATTEST_IMAGE_PREFIX=attest-test/).
BOOST_AUTO_TEST_CASE(counts_in_a_redis_container,
                     *attest::mark("container") * attest::requirement("FR-119", "FR-123")) {
  attest::require_container_engine();  // skipped without one (failed under CI=true)
  attest::Container cache({.name = "cache",
                           .image = "redis:7",
                           .ports = {6379},  // published on 127.0.0.1, a free port
                           .ready = attest::Readiness::log("Ready to accept connections")});
  // The code under test gets the address; {port:6379} is the host port the engine chose.
  attest::RedisClient redis(cache.expand("redis://{host}:{port:6379}"));
  BOOST_TEST(redis.command("INCR", "visits").integer() == 1);
  // Inside the container: a command, its exit code and output.
  auto seen = cache.exec({"redis-cli", "GET", "visits"});
  BOOST_TEST(seen.exit_code == 0);
  BOOST_TEST(seen.out == "1\n");
}  // the container is removed here, also when the test failed (and by the watchdog on SIGKILL)
// [container]
