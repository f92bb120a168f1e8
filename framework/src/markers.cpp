#include <attest/markers.hpp>

#include <boost/test/tree/test_unit.hpp>

#include <string>
#include <vector>

#include "registry.hpp"

namespace attest {
namespace {

namespace ut = boost::unit_test;

// What Boost keeps (via clone()) until finalize_setup_phase applies it: owned
// copies of the IDs, since the user-facing decorators only view their arguments.
// Validation (pattern, unknown markers) happens after every decorator applied,
// so each problem in the binary is reported at once with its file:line.
class stored_requirement final : public ut::decorator::base {
 public:
  explicit stored_requirement(std::vector<std::string> ids) : ids_(std::move(ids)) {}

  void apply(ut::test_unit& tu) override {
    detail::Registry::instance().add_requirements(tu.p_id, ids_);
    for (const auto& id : ids_) tu.add_label(id);
  }
  ut::decorator::base_ptr clone() const override {
    return ut::decorator::base_ptr(new stored_requirement(ids_));
  }

 private:
  std::vector<std::string> ids_;
};

class stored_mark final : public ut::decorator::base {
 public:
  explicit stored_mark(std::string name) : name_(std::move(name)) {}

  void apply(ut::test_unit& tu) override {
    detail::Registry::instance().add_marker(tu.p_id, name_);
    tu.add_label(name_);
  }
  ut::decorator::base_ptr clone() const override {
    return ut::decorator::base_ptr(new stored_mark(name_));
  }

 private:
  std::string name_;
};

}  // namespace

void requirement::apply(ut::test_unit& tu) {
  stored_requirement({ids().begin(), ids().end()}).apply(tu);
}

ut::decorator::base_ptr requirement::clone() const {
  return ut::decorator::base_ptr(new stored_requirement({ids().begin(), ids().end()}));
}

void mark::apply(ut::test_unit& tu) { stored_mark(std::string(name_)).apply(tu); }

ut::decorator::base_ptr mark::clone() const {
  return ut::decorator::base_ptr(new stored_mark(std::string(name_)));
}

void flaky::apply(ut::test_unit& tu) { detail::Registry::instance().set_reruns(tu.p_id, reruns_); }

ut::decorator::base_ptr flaky::clone() const { return ut::decorator::base_ptr(new flaky(reruns_)); }

}  // namespace attest
