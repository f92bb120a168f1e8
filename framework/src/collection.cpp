#include "collection.hpp"

#include <boost/test/framework.hpp>
#include <boost/test/tree/test_case_counter.hpp>
#include <boost/test/tree/traverse.hpp>
#include <boost/test/tree/visitor.hpp>

#include <string_view>
#include <unordered_map>

#include <algorithm>
#include <ostream>
#include <tuple>

namespace attest::detail {
namespace ut = boost::unit_test;

namespace {

class Collector final : public ut::test_tree_visitor {
 public:
  Collector(const Registry& registry, std::vector<TestInfo>& out)
      : registry_(registry), out_(out) {}

  void visit(const ut::test_case& tc) override {
    // The units from the case up to the master suite, walked once for the name, the marks
    // and the labels. Cases follow their siblings: the suites above the last case are asked
    // of Boost again (a map lookup per unit) only when the parent changes.
    if (tc.p_parent_id != parent_ || chain_.empty()) {
      parent_ = tc.p_parent_id;
      chain_.assign(1, &tc);
      prefix_.clear();
      parents_slash_ = false;
      for (ut::test_unit_id id = parent_; id != ut::INV_TEST_UNIT_ID;) {
        const auto& unit = ut::framework::get(id, ut::TUT_ANY);
        chain_.push_back(&unit);
        id = unit.p_parent_id.get();
      }
      // Boost's full name: the names below the master suite, joined by '/'.
      for (auto it = chain_.rbegin(); it + 1 != chain_.rend(); ++it) {
        if ((*it)->p_id == master_) continue;
        const std::string& part = (*it)->p_name.get();
        prefix_ += part;
        prefix_ += '/';
        parents_slash_ = parents_slash_ || part.find('/') != std::string::npos;
      }
    }
    chain_.front() = &tc;
    std::string name = prefix_ + tc.p_name.get();
    bool slash_in_a_name = parents_slash_ || tc.p_name.get().find('/') != std::string::npos;
    out_.push_back(TestInfo{
        tc.p_id, std::move(name), std::string_view(tc.p_file_name.begin(), tc.p_file_name.size()),
        tc.p_line_num, with_labels(chain_, registry_.effective(chain_)), tc.p_description.get(),
        tc.p_default_status == ut::test_unit::RS_ENABLED});
    // The name's parts, kept only when a part holds a '/' itself (registered by hand): the
    // full name cannot say where such a part ends.
    if (slash_in_a_name) {
      auto& path = out_.back().path;
      for (auto it = chain_.rbegin(); it != chain_.rend(); ++it)
        if ((*it)->p_id != master_) path.push_back((*it)->p_name.get());
    }
  }

  // Boost labels (`* utf::label("fast")`, on the case or a suite above it) are markers too:
  // declared in code, they are registered by being there. attest's own decorators add their
  // markers and IDs as labels as well; those are already in `marks`. `chain`: the case first.
  static Marks with_labels(const std::vector<const ut::test_unit*>& chain, Marks marks) {
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
      for (const auto& label : (*it)->p_labels.get()) {
        auto known = [&](const std::vector<std::string>& v) {
          return std::find(v.begin(), v.end(), label) != v.end();
        };
        if (!known(marks.markers) && !known(marks.requirements)) marks.markers.push_back(label);
      }
    return marks;
  }

 private:
  const Registry& registry_;
  std::vector<TestInfo>& out_;
  const ut::test_unit_id master_ = ut::framework::master_test_suite().p_id;
  std::vector<const ut::test_unit*> chain_;  // the last case, then its suites up to the master
  ut::test_unit_id parent_ = ut::INV_TEST_UNIT_ID;  // of the last case
  std::string prefix_;          // the names of the suites above it, each followed by '/'
  bool parents_slash_ = false;  // one of those names holds a '/' itself
};

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string s;
  for (const auto& item : items) {
    if (!s.empty()) s += sep;
    s += item;
  }
  return s;
}

}  // namespace

std::vector<std::string> path_of(const TestInfo& test) {
  if (!test.path.empty()) return test.path;
  std::vector<std::string> parts;
  std::string_view name = test.name;
  for (std::size_t from = 0;;) {
    auto slash = name.find('/', from);
    parts.emplace_back(name.substr(from, slash - from));
    if (slash == std::string_view::npos) return parts;
    from = slash + 1;
  }
}

std::vector<TestInfo> collect_tests(const Registry& registry) {
  // Exactly as many as there are cases: the list lives through the run (10,000 tests).
  ut::test_case_counter count(true);
  ut::traverse_test_tree(ut::framework::master_test_suite().p_id, count, true);
  std::vector<TestInfo> tests;
  tests.reserve(count.p_count);
  Collector collector(registry, tests);
  ut::traverse_test_tree(ut::framework::master_test_suite().p_id, collector, true);
  return tests;
}

std::vector<std::string> validate_marks(const Registry& registry, const Config& config) {
  struct Problem {
    std::string file;
    std::size_t line;
    std::string message;
  };
  std::vector<Problem> problems;
  std::string declare_in =
      config.source.empty() ? std::string("attest.json") : config.source.string();
  // Each distinct ID is matched once (the pattern is a regex; 10,000 tests often share a few
  // hundred IDs); the registry owns the strings the views point into.
  std::unordered_map<std::string_view, bool> valid_id;
  auto valid = [&](const std::string& r) {
    auto [it, fresh] = valid_id.try_emplace(r, false);
    if (fresh) it->second = config.is_valid_requirement(r);
    return it->second;
  };
  for (const auto& [id, marks] : registry.all()) {
    // The unit is asked of Boost (a map lookup) only when there is something to say of it.
    auto problem = [&](std::string what, const std::string& rest) {
      const auto& tu = ut::framework::get(id, ut::TUT_ANY);
      problems.push_back(
          {std::string(tu.p_file_name.begin(), tu.p_file_name.end()), tu.p_line_num,
           what + " on " + tu.p_type_name.begin() + " '" + tu.full_name() + "'" + rest});
    };
    for (const auto& m : marks.markers)
      if (!config.is_known_marker(m))
        problem("unknown marker '" + m + "'", " (declare it in " + declare_in + ")");
    for (const auto& r : marks.requirements)
      if (!valid(r))
        problem("requirement ID '" + r + "'",
                " does not match requirement_pattern " + config.requirement_pattern.describe());
  }
  std::sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.file, a.line, a.message) < std::tie(b.file, b.line, b.message);
  });
  std::vector<std::string> out;
  for (const auto& p : problems)
    out.push_back(p.file + ":" + std::to_string(p.line) + ": " + p.message);
  return out;
}

void write_collection_text(std::ostream& out, const std::vector<TestInfo>& tests) {
  std::size_t selected = 0;
  for (const auto& t : tests) {
    if (!t.selected) continue;
    ++selected;
    out << t.name;
    if (!t.marks.markers.empty()) out << "  [" << join(t.marks.markers, ", ") << "]";
    if (!t.marks.requirements.empty()) out << "  verifies " << join(t.marks.requirements, ", ");
    if (!t.enabled) out << "  (disabled)";
    out << "  " << t.file << ':' << t.line << '\n';
  }
  out << '\n' << selected << '/' << tests.size() << " tests collected";
  if (selected != tests.size()) out << " (" << tests.size() - selected << " deselected)";
  out << '\n';
}

}  // namespace attest::detail
