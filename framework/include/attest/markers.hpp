// Marker decorators: `* attest::requirement("FR-001")` and `* attest::mark("slow")`.
//
// They are Boost.Test decorators, so they combine with Boost's own
// (`* boost::unit_test::timeout(5) * attest::mark("slow")`) and work on test
// cases, fixture test cases, suites (inherited by every test inside) and data
// test cases (through BOOST_TEST_DECORATOR). Each also adds a Boost label, so
// plain `--run_test=@slow` keeps working.
#pragma once

#include <boost/test/tree/decorator.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace attest {

/// Declares that a test (or every test of a suite) verifies the given requirement IDs.
class requirement final : public boost::unit_test::decorator::base {
 public:
  // Arguments are taken by value so string literals of any length decay to one
  // instantiation per argument count: this keeps 10k marked cases cheap to compile.
  template <typename... More>
  explicit requirement(std::string_view id, More... more)
      : requirement(std::initializer_list<std::string_view>{id, std::string_view(more)...}) {}

  const std::vector<std::string>& ids() const { return ids_; }

 private:
  explicit requirement(std::initializer_list<std::string_view> ids);
  void apply(boost::unit_test::test_unit& tu) override;
  boost::unit_test::decorator::base_ptr clone() const override;

  std::vector<std::string> ids_;
};

/// Attaches a marker (`unit`, `integration`, `e2e`, `slow` or one declared in attest.json).
class mark final : public boost::unit_test::decorator::base {
 public:
  explicit mark(std::string_view name);

  const std::string& name() const { return name_; }

 private:
  void apply(boost::unit_test::test_unit& tu) override;
  boost::unit_test::decorator::base_ptr clone() const override;

  std::string name_;
};

}  // namespace attest
