#include "selection.hpp"

#include <boost/test/framework.hpp>
#include <boost/test/tree/traverse.hpp>
#include <boost/test/tree/visitor.hpp>

#include <algorithm>
#include <cctype>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "expression.hpp"

namespace attest::detail {
namespace ut = boost::unit_test;

namespace {

// -k compares case-insensitively, and a space as an underscore: Boost's own JUnit
// log writes a template case `my_test<unsigned char>` as `my_test<unsigned_char>`.
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c == ' ' ? '_' : static_cast<char>(std::tolower(c));
  });
  return out;
}

Expression compile(const std::string& flag, const std::string& text) {
  try {
    return Expression::compile(text);
  } catch (const ExpressionError& e) {
    throw UsageError(flag + ": bad expression at column " + std::to_string(e.column()) + ": " +
                     e.message() + "\n    " + text + "\n    " + std::string(e.column() - 1, ' ') +
                     "^");
  }
}

// Recomputes suites' default status bottom-up: a suite runs when any child does.
class SuiteStatusFixer final : public ut::test_tree_visitor {
 public:
  void visit(const ut::test_case& tc) override {
    if (!enabled_.empty() && tc.p_default_status == ut::test_unit::RS_ENABLED)
      enabled_.back() = true;
  }
  bool test_suite_start(const ut::test_suite&) override {
    enabled_.push_back(false);
    return true;
  }
  void test_suite_finish(const ut::test_suite& ts) override {
    bool any = enabled_.back();
    enabled_.pop_back();
    const_cast<ut::test_suite&>(ts).p_default_status.value =
        any ? ut::test_unit::RS_ENABLED : ut::test_unit::RS_DISABLED;
    if (any && !enabled_.empty()) enabled_.back() = true;
  }

 private:
  std::vector<bool> enabled_;
};

}  // namespace

void select_tests(std::vector<TestInfo>& tests, const Options& options, const Config& config) {
  // An ID no requirement can have is a typo, not an empty selection.
  for (const auto& r : options.requirements)
    if (!config.is_valid_requirement(r))
      throw UsageError("--req " + r + ": not a requirement ID (requirement_pattern " +
                       config.requirement_pattern.describe() + ")");
  std::optional<Expression> markexpr, keywordexpr;
  if (options.markexpr) {
    markexpr = compile("-m", *options.markexpr);
    // Registered: attest.json's markers, and Boost labels found in the code.
    auto in_code = [&](const std::string& name) {
      return std::any_of(tests.begin(), tests.end(), [&](const TestInfo& t) {
        return std::find(t.marks.markers.begin(), t.marks.markers.end(), name) !=
               t.marks.markers.end();
      });
    };
    for (const auto& ident : markexpr->identifiers())
      if (!config.is_known_marker(ident.name) && !in_code(ident.name)) {
        std::string known;
        for (const auto& [name, _] : config.markers) known += (known.empty() ? "" : ", ") + name;
        throw UsageError("-m: unknown marker '" + ident.name + "' at column " +
                         std::to_string(ident.column) + " (registered: " + known + ")");
      }
  }
  if (options.keywordexpr) keywordexpr = compile("-k", *options.keywordexpr);

  for (auto& t : tests) {
    bool selected = true;
    if (markexpr) {
      const auto& markers = t.marks.markers;
      selected = markexpr->evaluate([&](std::string_view name) {
        return std::find(markers.begin(), markers.end(), name) != markers.end();
      });
    }
    if (selected && keywordexpr) {
      std::string id = lower(t.name);
      selected = keywordexpr->evaluate(
          [&](std::string_view word) { return id.find(lower(word)) != std::string::npos; });
    }
    if (selected && !options.exact.empty()) {
      selected =
          std::any_of(options.exact.begin(), options.exact.end(), [&](const std::string& id) {
            return t.name == id ||
                   (t.name.size() > id.size() && t.name.compare(0, id.size(), id) == 0 &&
                    t.name[id.size()] == '/');
          });
    }
    if (selected && !options.requirements.empty()) {
      const auto& reqs = t.marks.requirements;
      selected = std::any_of(options.requirements.begin(), options.requirements.end(),
                             [&](const std::string& r) {
                               return std::find(reqs.begin(), reqs.end(), r) != reqs.end();
                             });
    }
    t.selected = selected;
  }
}

void apply_selection(const std::vector<TestInfo>& tests) {
  bool any_deselected = false;
  for (const auto& t : tests) {
    if (t.selected) continue;
    any_deselected = true;
    ut::framework::get(t.id, ut::TUT_CASE).p_default_status.value = ut::test_unit::RS_DISABLED;
  }
  if (!any_deselected) return;
  SuiteStatusFixer fixer;
  ut::traverse_test_tree(ut::framework::master_test_suite().p_id, fixer, true);
}

namespace {

// Boost keeps a suite's execution order in a protected member; a derived type may
// name it (the pointer-to-member is then usable on any test_suite).
struct OrderAccess : ut::test_suite {
  static ut::test_suite::children_per_rank& order(ut::test_suite& ts) {
    return ts.*(&OrderAccess::m_ranked_children);
  }
  static const ut::test_unit_id_list& children(const ut::test_suite& ts) {
    return ts.*(&OrderAccess::m_children);
  }
};

// What a unit depends on: its own dependencies and those of every suite above it.
std::vector<ut::test_unit_id> dependencies_of(ut::test_unit_id id) {
  std::vector<ut::test_unit_id> out;
  while (id != ut::INV_TEST_UNIT_ID) {
    const auto& tu = ut::framework::get(id, ut::TUT_ANY);
    const auto& deps = tu.p_dependencies.get();
    out.insert(out.end(), deps.begin(), deps.end());
    id = tu.p_parent_id.get();
  }
  return out;
}

// Calls f for every test case a unit stands for: itself, or every case below a suite.
template <class F>
void for_each_case(ut::test_unit_id id, const F& f) {
  const auto& tu = ut::framework::get(id, ut::TUT_ANY);
  if (tu.p_type != ut::TUT_SUITE) return f(id);
  for (auto child : OrderAccess::children(static_cast<const ut::test_suite&>(tu)))
    for_each_case(child, f);
}

}  // namespace

std::size_t select_prerequisites(std::vector<TestInfo>& tests) {
  // Nothing deselected, nothing to add (the common run: 10,000 walks up the tree saved).
  if (std::all_of(tests.begin(), tests.end(), [](const TestInfo& t) { return t.selected; }))
    return 0;
  std::unordered_map<ut::test_unit_id, std::size_t> index;
  for (std::size_t i = 0; i < tests.size(); ++i) index.emplace(tests[i].id, i);
  std::vector<ut::test_unit_id> pending;
  auto add_dependencies = [&](ut::test_unit_id id) {
    for (auto dep : dependencies_of(id)) pending.push_back(dep);
  };
  for (const auto& t : tests)
    if (t.selected) add_dependencies(t.id);
  std::size_t added = 0;
  std::unordered_set<ut::test_unit_id> seen;
  while (!pending.empty()) {
    auto id = pending.back();
    pending.pop_back();
    if (!seen.insert(id).second) continue;
    const auto& tu = ut::framework::get(id, ut::TUT_ANY);
    if (tu.p_type == ut::TUT_SUITE) {  // a suite prerequisite: every test in it
      for (auto child : OrderAccess::children(static_cast<const ut::test_suite&>(tu)))
        pending.push_back(child);
      add_dependencies(id);
      continue;
    }
    auto it = index.find(id);
    if (it == index.end() || tests[it->second].selected) continue;
    tests[it->second].selected = true;
    ++added;
    add_dependencies(id);
  }
  return added;
}

std::size_t shard_tests(std::vector<TestInfo>& tests, const ShardSpec& spec,
                        const std::map<std::string, double>& durations) {
  // Union-find over "depends on": a test and its prerequisites are one unit.
  std::vector<std::size_t> parent(tests.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::unordered_map<ut::test_unit_id, std::size_t> index;
  for (std::size_t i = 0; i < tests.size(); ++i) index.emplace(tests[i].id, i);
  for (std::size_t i = 0; i < tests.size(); ++i)
    for (auto dep : dependencies_of(tests[i].id))
      for_each_case(dep, [&](ut::test_unit_id id) {
        if (auto it = index.find(id); it != index.end()) parent[root(it->second)] = root(i);
      });

  std::size_t before = 0;
  std::unordered_map<std::size_t, std::size_t> unit_of;  // root -> unit
  std::vector<ShardUnit> units;
  for (std::size_t i = 0; i < tests.size(); ++i) {
    if (!tests[i].selected) continue;
    ++before;
    auto [it, added] = unit_of.emplace(root(i), units.size());
    if (added) units.push_back({tests[i].name, std::nullopt});  // named by its first test
    if (auto d = durations.find(tests[i].name); d != durations.end())
      units[it->second].duration_ms = units[it->second].duration_ms.value_or(0) + d->second;
  }
  auto shard = assign_shards(units, spec.total, spec.by_duration);
  for (std::size_t i = 0; i < tests.size(); ++i)
    if (tests[i].selected) tests[i].selected = shard[unit_of.at(root(i))] == spec.index;
  return before;
}

void run_first(const std::vector<TestInfo>& tests, const std::vector<bool>& first) {
  // A unit goes first when it is, or holds, a test to run first.
  std::unordered_set<ut::test_unit_id> early;
  for (std::size_t i = 0; i < tests.size(); ++i) {
    if (!first[i]) continue;
    for (auto id = tests[i].id; id != ut::INV_TEST_UNIT_ID && early.insert(id).second;)
      id = ut::framework::get(id, ut::TUT_ANY).p_parent_id.get();
  }
  std::unordered_set<ut::test_unit_id> suites;
  for (auto id : early)
    if (auto parent = ut::framework::get(id, ut::TUT_ANY).p_parent_id.get();
        parent != ut::INV_TEST_UNIT_ID)
      suites.insert(parent);
  for (auto suite_id : suites) {
    auto& order = OrderAccess::order(ut::framework::get<ut::test_suite>(suite_id));
    std::vector<std::pair<ut::counter_t, ut::test_unit_id>> children(order.begin(), order.end());
    // Ranks keep dependencies first; within a rank the early ones move ahead.
    std::stable_sort(children.begin(), children.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return early.count(a.second) > early.count(b.second);
    });
    order.clear();
    for (const auto& c : children) order.insert(order.end(), c);
  }
}

std::string describe_filters(const Options& options) {
  std::string s;
  auto add = [&](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
  if (options.markexpr) add("-m '" + *options.markexpr + "'");
  if (options.keywordexpr) add("-k '" + *options.keywordexpr + "'");
  for (const auto& r : options.requirements) add("--req " + r);
  for (const auto& t : options.exact) add("--test '" + t + "'");
  return s;
}

}  // namespace attest::detail
