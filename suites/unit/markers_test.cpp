// The decorators, observed from inside the tests they decorate: each test
// reads back what attest recorded for it (effective marks) and its Boost labels.
#include <attest/attest.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>

#include <algorithm>

#include "registry.hpp"

namespace utf = boost::unit_test;
using attest::detail::Registry;

namespace {

attest::detail::Marks current_marks() {
  return Registry::instance().effective(utf::framework::current_test_case());
}

bool has_label(const std::string& label) {
  const auto& labels = utf::framework::current_test_case().p_labels.get();
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

using strings = std::vector<std::string>;

struct Fixture {
  int value = 42;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(markers, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(one_requirement, *attest::requirement("FR-001")) {
  BOOST_TEST(current_marks().requirements == strings{"FR-001"});
  BOOST_TEST(current_marks().markers == strings{"unit"});  // inherited from the suite
}

BOOST_AUTO_TEST_CASE(several_requirements_and_a_mark,
                     *attest::requirement("FR-001", "FR-002") * attest::mark("slow")) {
  BOOST_TEST(current_marks().requirements == (strings{"FR-001", "FR-002"}));
  BOOST_TEST(current_marks().markers == (strings{"unit", "slow"}));
}

BOOST_AUTO_TEST_CASE(marks_become_boost_labels,
                     *attest::requirement("FR-002") * attest::mark("e2e")) {
  BOOST_TEST(has_label("FR-002"));
  BOOST_TEST(has_label("e2e"));
}

BOOST_FIXTURE_TEST_CASE(on_a_fixture_test_case, Fixture,
                        *attest::requirement("FR-001") * attest::mark("integration")) {
  BOOST_TEST(value == 42);
  BOOST_TEST(current_marks().markers == (strings{"unit", "integration"}));
}

BOOST_TEST_DECORATOR(*attest::requirement("FR-001", "FR-002"))
BOOST_DATA_TEST_CASE(on_a_data_test_case, utf::data::make({1, 2, 3}), n) {
  BOOST_TEST(n > 0);
  BOOST_TEST(current_marks().requirements == (strings{"FR-001", "FR-002"}));
}

BOOST_AUTO_TEST_SUITE(nested, *attest::requirement("FR-002") * attest::mark("slow"))

BOOST_AUTO_TEST_CASE(inherits_from_every_enclosing_suite, *attest::requirement("FR-001")) {
  // Outermost first, without duplicates.
  BOOST_TEST(current_marks().markers == (strings{"unit", "slow"}));
  BOOST_TEST(current_marks().requirements == (strings{"FR-002", "FR-001"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(repeated_declarations_are_merged, *attest::requirement("FR-001") *
                                                           attest::requirement("FR-001", "FR-002") *
                                                           attest::mark("unit")) {
  BOOST_TEST(current_marks().requirements == (strings{"FR-001", "FR-002"}));
  BOOST_TEST(current_marks().markers == strings{"unit"});
}

BOOST_AUTO_TEST_SUITE_END()
