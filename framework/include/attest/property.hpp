// Property-based tests on RapidCheck, registered as ordinary Boost.Test cases:
//
//   ATTEST_PROPERTY(reversing_twice_is_identity, (const std::vector<int>& v),
//                   *attest::mark("unit") * attest::requirement("FR-001")) {
//     auto r = v;
//     std::reverse(r.begin(), r.end());
//     std::reverse(r.begin(), r.end());
//     RC_ASSERT(r == v);
//   }
//
// A failure is reported at the property's line with RapidCheck's shrunk counterexample,
// the seed and how to replay it, and is saved in the run cache
// (<cache>/<binary>/properties/): the next run replays it first, and says so, until it
// passes. --prop-seed and --prop-max-success set RapidCheck's seed and case count;
// RC_PARAMS works as in RapidCheck (its `reproduce=` wins over the saved case).
// A saved failure becomes an ordinary test with the line the failure message prints:
//
//   ATTEST_PROPERTY_REPLAY(reversing_twice_case1, reversing_twice_is_identity, "<reproduce>",
//                          *attest::mark("unit"));
#pragma once

#include <rapidcheck.h>

#include <boost/test/unit_test_suite.hpp>

#include <string>

#include <attest/failure.hpp>

namespace attest::detail {

/// Checks `property` for the running test: a saved failure first, then random cases.
void check_property(const rc::detail::Property& property, SourceLocation where);

/// Checks the one case `reproduce` (RapidCheck's reproduce string) describes.
void replay_property(const rc::detail::Property& property, const std::string& reproduce,
                     SourceLocation where);

}  // namespace attest::detail

/// A property: a function of `args` (a parenthesised parameter list) that RapidCheck calls
/// with generated arguments; RC_ASSERT and friends (or BOOST_REQUIRE) state what must hold.
#define ATTEST_PROPERTY(test_name, args, ...)                                                    \
  static void attest_property_##test_name args;                                                  \
  BOOST_AUTO_TEST_CASE(                                                                          \
      test_name, boost::unit_test::decorator::collector_t::instance() __VA_OPT__(__VA_ARGS__)) { \
    ::attest::detail::check_property(                                                            \
        ::rc::detail::toProperty(&attest_property_##test_name),                                  \
        ::attest::SourceLocation::current(__FILE__, __LINE__, #test_name));                      \
  }                                                                                              \
  static void attest_property_##test_name args

/// An ordinary test replaying one saved case of `property_name` (declared above it in the
/// same file) — the line a failure message prints.
#define ATTEST_PROPERTY_REPLAY(test_name, property_name, reproduce, ...)                         \
  BOOST_AUTO_TEST_CASE(                                                                          \
      test_name, boost::unit_test::decorator::collector_t::instance() __VA_OPT__(__VA_ARGS__)) { \
    ::attest::detail::replay_property(                                                           \
        ::rc::detail::toProperty(&attest_property_##property_name), reproduce,                   \
        ::attest::SourceLocation::current(__FILE__, __LINE__, #test_name));                      \
  }
