#include "registry.hpp"

#include <boost/test/framework.hpp>

#include <algorithm>

namespace attest::detail {
namespace {

void append_unique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& v : from)
    if (std::find(to.begin(), to.end(), v) == to.end()) to.push_back(v);
}

}  // namespace

Registry& Registry::instance() {
  // Never destroyed: it lives as long as the process and holds only memory, and freeing the
  // marks of 10,000 tests one by one at exit cost more than the process's own end.
  static Registry& registry = *new Registry;
  return registry;
}

void Registry::add_marker(boost::unit_test::test_unit_id id, std::string_view name) {
  auto& markers = units_[id].markers;
  if (std::find(markers.begin(), markers.end(), name) == markers.end()) markers.emplace_back(name);
}

void Registry::add_requirements(boost::unit_test::test_unit_id id,
                                const std::vector<std::string>& ids) {
  append_unique(units_[id].requirements, ids);
}

const Marks* Registry::own(boost::unit_test::test_unit_id id) const {
  auto it = units_.find(id);
  return it == units_.end() ? nullptr : &it->second;
}

std::optional<unsigned> Registry::reruns(const boost::unit_test::test_unit& tu) const {
  if (reruns_.empty()) return std::nullopt;
  for (boost::unit_test::test_unit_id id = tu.p_id; id != boost::unit_test::INV_TEST_UNIT_ID;) {
    if (auto it = reruns_.find(id); it != reruns_.end()) return it->second;
    id = boost::unit_test::framework::get(id, boost::unit_test::TUT_ANY).p_parent_id.get();
  }
  return std::nullopt;
}

Marks Registry::effective(const boost::unit_test::test_unit& tu) const {
  std::vector<const boost::unit_test::test_unit*> chain;
  for (boost::unit_test::test_unit_id id = tu.p_id; id != boost::unit_test::INV_TEST_UNIT_ID;) {
    const auto& unit = boost::unit_test::framework::get(id, boost::unit_test::TUT_ANY);
    chain.push_back(&unit);
    id = unit.p_parent_id.get();
  }
  return effective(chain);
}

Marks Registry::effective(const std::vector<const boost::unit_test::test_unit*>& chain) const {
  // Merged outermost-first so suite markers come before the case's own, as a reader of the
  // source sees them.
  Marks result;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (const Marks* m = own((*it)->p_id)) {
      append_unique(result.markers, m->markers);
      append_unique(result.requirements, m->requirements);
    }
  }
  return result;
}

}  // namespace attest::detail
