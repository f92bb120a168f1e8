// Property tests (<attest/property.hpp>) that hold, as a user writes them; failing ones,
// their saving and replay are driven from outside in suites/e2e/property_test.cpp.
#include <attest/attest.hpp>
#include <attest/property.hpp>

#include <algorithm>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(properties, *attest::mark("unit") * attest::requirement("FR-147"))

ATTEST_PROPERTY(reversing_twice_gives_the_original, (const std::vector<int>& v)) {
  auto r = v;
  std::reverse(r.begin(), r.end());
  std::reverse(r.begin(), r.end());
  RC_ASSERT(r == v);
}

ATTEST_PROPERTY(sorting_keeps_the_size_and_orders, (std::vector<int> v),
                *attest::requirement("FR-147")) {
  auto size = v.size();
  std::sort(v.begin(), v.end());
  RC_ASSERT(v.size() == size);
  RC_ASSERT(std::is_sorted(v.begin(), v.end()));
}

ATTEST_PROPERTY(boost_checks_work_inside_a_property, (const std::string& s)) {
  BOOST_TEST(s.size() == std::string(s).size());
}

BOOST_AUTO_TEST_SUITE_END()
