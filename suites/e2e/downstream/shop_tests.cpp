#include <attest/attest.hpp>

#include <map>
#include <string>

namespace {
int total(const std::map<std::string, int>& cart) {
  int sum = 0;
  for (const auto& [item, price] : cart) sum += price;
  return sum;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(cart, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(sums_prices, *attest::requirement("SHOP-001")) {
  BOOST_TEST(total({{"tea", 3}, {"cake", 4}}) == 7);
}

BOOST_AUTO_TEST_CASE(empty_cart_is_free,
                     *attest::requirement("SHOP-002") * attest::mark("pricing")) {
  BOOST_TEST(total({}) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
