// The downstream shop's tests, shaped to stress per-case discovery: suites, data-driven and
// template cases, a coroutine case, a name with spaces, quotes, angle brackets and a slash, a disabled case, a
// skipped one, and integration tests on the shared environment's Redis.
#include <attest/async.hpp>
#include <attest/attest.hpp>
#include <attest/redis.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/mpl/list.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>

#include <cstdint>

namespace utf = boost::unit_test;

BOOST_AUTO_TEST_SUITE(cart, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(adds_items, *attest::requirement("SHOP-001")) { BOOST_TEST(1 + 1 == 2); }

BOOST_AUTO_TEST_CASE(refuses_negative_quantities, *attest::requirement("SHOP-002")) {
  BOOST_TEST(-1 < 0);
}

BOOST_TEST_DECORATOR(*attest::requirement("SHOP-003"))
BOOST_DATA_TEST_CASE(rounds_to_cents, utf::data::xrange(3), quantity) { BOOST_TEST(quantity >= 0); }

using quantity_types = boost::mpl::list<unsigned char, std::int64_t>;
BOOST_TEST_DECORATOR(*attest::requirement("SHOP-004"))
BOOST_AUTO_TEST_CASE_TEMPLATE(quantity_fits, T, quantity_types) {
  BOOST_TEST(static_cast<T>(3) == 3);
}

// A coroutine test: discovered, labelled and run by CTest as any case.
ATTEST_ASYNC_TEST_CASE(totals_asynchronously, *attest::requirement("SHOP-001")) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                  std::chrono::milliseconds(1));
  co_await timer.async_wait(attest::here());
  BOOST_TEST(2 + 3 == 5);
}

BOOST_AUTO_TEST_CASE(gift_wrapping, *utf::disabled() * attest::requirement("SHOP-007")) {
  BOOST_TEST(false);  // disabled: never runs
}

BOOST_AUTO_TEST_CASE(gift_wrapping_paper, *attest::requirement("SHOP-007")) {
  attest::skip("no gift wrapping in this build");
}

BOOST_AUTO_TEST_SUITE_END()

// A name only a registration by hand can have (Boost normalises its macros' names).
namespace {
void keeps_any_character() { BOOST_TEST(true); }
BOOST_TEST_DECORATOR(*attest::requirement("SHOP-005") * attest::mark("unit"))
utf::ut_detail::auto_test_unit_registrar odd_name(
    new utf::test_case("name with \"quotes\" <angles> & a/slash", __FILE__, __LINE__,
                       &keeps_any_character),
    utf::decorator::collector_t::instance());
}  // namespace

BOOST_AUTO_TEST_SUITE(stock, *attest::mark("integration"))

BOOST_AUTO_TEST_CASE(counts_in_the_environments_redis, *attest::requirement("SHOP-006")) {
  auto& redis = attest::RedisServer::session();
  BOOST_TEST(!redis.is_local());  // the shared environment's, not one of our own
  attest::RedisNamespace keys(redis, "stock");
  BOOST_TEST(keys.client().command("INCRBY", keys.key("apples"), 3).integer() == 3);
}

BOOST_AUTO_TEST_CASE(second_process_same_server, *attest::requirement("SHOP-006")) {
  BOOST_TEST(!attest::RedisServer::session().is_local());
}

BOOST_AUTO_TEST_SUITE_END()
