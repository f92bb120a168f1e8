// Marker decorators: `* attest::requirement("FR-001")` and `* attest::mark("slow")`.
//
// They are Boost.Test decorators, so they combine with Boost's own
// (`* boost::unit_test::timeout(5) * attest::mark("slow")`) and work on test
// cases, fixture test cases, suites (inherited by every test inside) and data
// test cases (through BOOST_TEST_DECORATOR). Each also adds a Boost label, so
// plain `--run_test=@slow` keeps working.
#pragma once

#include <boost/test/tree/decorator.hpp>

#include <cstddef>
#include <span>
#include <string_view>

namespace attest {

/// Declares that a test (or every test of a suite) verifies the given requirement IDs.
///
/// The object only views its arguments: Boost stores a deep copy (clone()) made
/// within the same full expression. Keeping the temporary trivially
/// destructible and free of allocations makes 10k marked cases compile about
/// as fast as Boost's own `label` decorator.
class requirement final : public boost::unit_test::decorator::base {
 public:
  static constexpr std::size_t max_ids = 16;

  template <typename... More>
  explicit requirement(std::string_view id, More... more) noexcept
      : ids_{id, std::string_view(more)...}, count_(1 + sizeof...(More)) {
    static_assert(sizeof...(More) < max_ids, "attest::requirement takes at most 16 IDs");
  }

  std::span<const std::string_view> ids() const { return {ids_, count_}; }

 private:
  void apply(boost::unit_test::test_unit& tu) override;
  boost::unit_test::decorator::base_ptr clone() const override;

  std::string_view ids_[max_ids];
  std::size_t count_;
};

/// Attaches a marker (`unit`, `integration`, `e2e`, `slow` or one declared in attest.json).
class mark final : public boost::unit_test::decorator::base {
 public:
  explicit mark(std::string_view name) noexcept : name_(name) {}

  std::string_view name() const { return name_; }

 private:
  void apply(boost::unit_test::test_unit& tu) override;
  boost::unit_test::decorator::base_ptr clone() const override;

  std::string_view name_;
};

/// A test known to fail now and then: when an attempt fails it runs again, up to
/// `reruns` more times. A pass on a rerun is reported as passed *and flaky*, with
/// every failed attempt's message (terminal, results JSON, JUnit); `--fail-on-flaky`
/// makes that fail the run. On a suite, every test inside inherits it.
class flaky final : public boost::unit_test::decorator::base {
 public:
  explicit flaky(unsigned reruns = 2) noexcept : reruns_(reruns) {}

  unsigned reruns() const { return reruns_; }

 private:
  void apply(boost::unit_test::test_unit& tu) override;
  boost::unit_test::decorator::base_ptr clone() const override;

  unsigned reruns_;
};

}  // namespace attest
