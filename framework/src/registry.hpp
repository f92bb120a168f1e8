// The marker registry: what the decorators recorded, keyed by Boost test-unit id.
// Decorators run in framework::finalize_setup_phase(); everything reading the
// registry (validation, selection, collection, results) runs after it.
#pragma once

#include <boost/test/tree/test_unit.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attest::detail {

struct Marks {
  std::vector<std::string> markers;
  std::vector<std::string> requirements;
};

class Registry {
 public:
  static Registry& instance();

  void add_marker(boost::unit_test::test_unit_id id, std::string_view name);
  void add_requirements(boost::unit_test::test_unit_id id, const std::vector<std::string>& ids);

  /// What was declared on this very unit (null when nothing was).
  const Marks* own(boost::unit_test::test_unit_id id) const;

  /// Own marks plus every enclosing suite's, outermost first, without duplicates.
  Marks effective(const boost::unit_test::test_unit& tu) const;
  /// The same, given the unit and its enclosing suites, the unit first.
  Marks effective(const std::vector<const boost::unit_test::test_unit*>& chain) const;

  const std::unordered_map<boost::unit_test::test_unit_id, Marks>& all() const { return units_; }

  /// attest::flaky(N): how often a failed test runs again (a case's own, else its nearest suite's).
  void set_reruns(boost::unit_test::test_unit_id id, unsigned reruns) { reruns_[id] = reruns; }
  std::optional<unsigned> reruns(const boost::unit_test::test_unit& tu) const;
  bool any_reruns() const { return !reruns_.empty(); }

 private:
  std::unordered_map<boost::unit_test::test_unit_id, Marks> units_;
  std::unordered_map<boost::unit_test::test_unit_id, unsigned> reruns_;
};

}  // namespace attest::detail
