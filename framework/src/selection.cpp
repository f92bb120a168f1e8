#include "selection.hpp"

#include <boost/test/framework.hpp>
#include <boost/test/tree/traverse.hpp>
#include <boost/test/tree/visitor.hpp>

#include <algorithm>
#include <cctype>

#include "expression.hpp"

namespace attest::detail {
namespace ut = boost::unit_test;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
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

std::string describe_filters(const Options& options) {
  std::string s;
  auto add = [&](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
  if (options.markexpr) add("-m '" + *options.markexpr + "'");
  if (options.keywordexpr) add("-k '" + *options.keywordexpr + "'");
  for (const auto& r : options.requirements) add("--req " + r);
  return s;
}

}  // namespace attest::detail
