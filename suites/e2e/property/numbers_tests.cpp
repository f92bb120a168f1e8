// Property tests of a small library with a planted bug, written as a user writes them:
// sort_numbers() loses numbers from 100 up unless PLANTED_BUG=fixed. Driven by
// ../property_test.cpp, which checks that the failure is shrunk to its minimal case ([100]),
// saved in the run cache, replayed first next run, and forgotten once it passes.
#include <attest/attest.hpp>
#include <attest/property.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

namespace numbers {

std::vector<int> sort_numbers(std::vector<int> v) {
  const char* bug = std::getenv("PLANTED_BUG");
  if (!bug || std::string(bug) != "fixed")  // the planted bug: a bound meant for another buffer
    v.erase(std::remove_if(v.begin(), v.end(), [](int n) { return n >= 100; }), v.end());
  std::sort(v.begin(), v.end());
  return v;
}

int clamp(int value, int low, int high) { return std::min(std::max(value, low), high); }

}  // namespace numbers

BOOST_AUTO_TEST_SUITE(numbers_properties, *attest::mark("property"))

ATTEST_PROPERTY(sorting_keeps_every_element, (const std::vector<int>& v),
                *attest::requirement("NUM-001")) {
  auto sorted = numbers::sort_numbers(v);
  RC_ASSERT(sorted.size() == v.size());
  RC_ASSERT(std::is_sorted(sorted.begin(), sorted.end()));
}

ATTEST_PROPERTY(clamping_stays_within_the_bounds, (int value, int a, int b),
                *attest::requirement("NUM-002")) {
  int low = std::min(a, b), high = std::max(a, b);
  int clamped = numbers::clamp(value, low, high);
  RC_ASSERT(clamped >= low);
  RC_ASSERT(clamped <= high);
  if (value >= low && value <= high) RC_ASSERT(clamped == value);
}

// The line a failure printed (`--prop-seed 4242`), pasted: the shrunk case as an ordinary
// regression test, failing while the bug is there and passing once it is fixed.
ATTEST_PROPERTY_REPLAY(sorting_keeps_every_element_case, sorting_keeps_every_element,
                       "B4ib11mYlJ3cfBncvBXZyRXalN3Lz9mc0lmbn91alVGcz9VZ2Vmc59VZsVWbl5GdSCBAAAAAAAg"
                       "kQAAAAAAAAIJEAAAAAAAASCBAAAAAAAAgACIEAoRGAAAADIQBHA",
                       *attest::requirement("NUM-001") * attest::mark("regression"));

BOOST_AUTO_TEST_SUITE_END()
