#include <attest/markers.hpp>

#include <boost/test/tree/test_unit.hpp>

#include "registry.hpp"

namespace attest {

requirement::requirement(std::initializer_list<std::string_view> ids) {
  ids_.reserve(ids.size());
  for (auto id : ids) ids_.emplace_back(id);
}

void requirement::apply(boost::unit_test::test_unit& tu) {
  // Validation (pattern, emptiness) happens after all decorators ran, so every
  // problem in the binary is reported at once with its file:line.
  detail::Registry::instance().add_requirements(tu.p_id, ids_);
  for (const auto& id : ids_) tu.add_label(id);
}

boost::unit_test::decorator::base_ptr requirement::clone() const {
  return boost::unit_test::decorator::base_ptr(new requirement(*this));
}

mark::mark(std::string_view name) : name_(name) {}

void mark::apply(boost::unit_test::test_unit& tu) {
  detail::Registry::instance().add_marker(tu.p_id, name_);
  tu.add_label(name_);
}

boost::unit_test::decorator::base_ptr mark::clone() const {
  return boost::unit_test::decorator::base_ptr(new mark(*this));
}

}  // namespace attest
