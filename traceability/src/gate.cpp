#include <attest/trace/gate.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace attest::trace {
namespace {

int severity(Outcome o) {  // the worst of several shard results wins
  switch (o) {
    case Outcome::failed:
      return 2;
    case Outcome::skipped:
      return 1;
    case Outcome::passed:
      return 0;
  }
  return 0;
}

std::string key(const std::string& binary, const std::string& id) { return binary + '\x1f' + id; }

std::string percent(double p) {
  char buf[32];
  if (std::fabs(p - std::round(p)) < 1e-9)
    std::snprintf(buf, sizeof buf, "%.0f%%", p);
  else
    std::snprintf(buf, sizeof buf, "%.1f%%", std::floor(p * 10) / 10);  // never round up to pass
  return buf;
}

std::string describe(const TestCase& t) { return "test '" + t.id + "' (" + t.binary + ")"; }

Status status_of(const RequirementRow& row, const std::vector<TestRow>& tests, bool have_results) {
  if (!have_results) return row.tests.empty() ? Status::uncovered : Status::covered;
  if (row.tests.empty()) return Status::untested;
  bool any_result = false, all_passed = true, any_flaky = false;
  for (auto i : row.tests) {
    const auto& o = tests[i].outcome;
    if (o == Outcome::failed) return Status::failing;
    any_result |= o.has_value();
    all_passed &= o == Outcome::passed;
    any_flaky |= tests[i].flaky();
  }
  if (all_passed) return any_flaky ? Status::flaky : Status::verified;
  return any_result ? Status::skipped : Status::untested;
}

}  // namespace

const char* to_string(Status s) {
  switch (s) {
    case Status::verified:
      return "verified";
    case Status::flaky:
      return "flaky";
    case Status::failing:
      return "failing";
    case Status::skipped:
      return "skipped";
    case Status::untested:
      return "untested";
    case Status::covered:
      return "covered";
    case Status::uncovered:
      return "uncovered";
  }
  return "?";
}

const char* to_string(DefectKind k) {
  switch (k) {
    case DefectKind::unmarked:
      return "unmarked test";
    case DefectKind::unknown_id:
      return "unknown requirement ID";
    case DefectKind::ambiguous_id:
      return "ambiguous requirement ID";
    case DefectKind::duplicate_id:
      return "duplicate requirement ID";
    case DefectKind::unclear:
      return "unclear requirement";
    case DefectKind::no_code:
      return "requirement reaching no code";
  }
  return "?";
}

void attach_code(Report& report, const std::map<std::string, CodeReach>& by_requirement) {
  report.have_code = true;
  // Tests may name a feature's requirement by its bare ID when no other feature has it.
  std::map<std::string, std::size_t> bare_count;
  for (const auto& row : report.requirements) ++bare_count[row.requirement.bare_id];
  for (auto& row : report.requirements) {
    auto it = by_requirement.find(row.requirement.id);
    if (it == by_requirement.end() && bare_count[row.requirement.bare_id] == 1)
      it = by_requirement.find(row.requirement.bare_id);
    if (it == by_requirement.end()) continue;
    row.code = it->second;
    if (it->second.files == 0)
      report.warnings.push_back(
          {DefectKind::no_code, row.requirement.where,
           row.requirement.id + ": its tests ran under coverage and reached no measured code"});
  }
}

std::string code_cell(const std::optional<CodeReach>& code) {
  if (!code) return "";
  if (code->files == 0) return "no measured code";
  char percent[32];
  std::snprintf(percent, sizeof percent, "%.1f%%", code->line_percent());
  return std::string(percent) + " (" + std::to_string(code->lines_hit) + "/" +
         std::to_string(code->lines) + " lines, " + std::to_string(code->files) +
         (code->files == 1 ? " file)" : " files)");
}

std::string label(Status s) {
  return s == Status::flaky ? std::string("verified (flaky)") : std::string(to_string(s));
}

std::string test_status(const TestRow& row) {
  if (row.outcome) return row.flaky() ? "passed (flaky)" : to_string(*row.outcome);
  return row.not_run ? "not run" : "no result";
}

Report evaluate(std::vector<Requirement> requirements, std::vector<TestCase> tests,
                const std::vector<TestOutcome>& outcomes, bool have_results,
                const GateOptions& options) {
  Report report;
  report.options = options;
  report.have_results = have_results;

  // Requirements, without duplicates (a duplicate is a defect naming both places).
  std::unordered_map<std::string, std::size_t> by_id;
  std::unordered_map<std::string, std::vector<std::size_t>> by_bare_id;
  report.requirements.reserve(requirements.size());
  for (auto& r : requirements) {
    if (auto it = by_id.find(r.id); it != by_id.end()) {
      const auto& first = report.requirements[it->second].requirement;
      report.defects.push_back({DefectKind::duplicate_id, r.where,
                                r.id + " is defined twice: here and at " + first.where.str()});
      continue;
    }
    by_id.emplace(r.id, report.requirements.size());
    by_bare_id[r.bare_id].push_back(report.requirements.size());
    if (r.unclear)
      (options.strict ? report.defects : report.warnings)
          .push_back(
              {DefectKind::unclear, r.where, r.id + " still needs clarification: " + r.title});
    report.requirements.push_back({std::move(r), {}, Status::uncovered, false});
  }

  // Tests, then outcomes joined by (binary, id). Results for a binary that no
  // inventory lists are its inventory (GoogleTest's or pytest's JUnit): every
  // testcase is a test, so an unmarked one is a defect, not dropped. For a listed
  // binary, a result the inventory lacks stands for a test only if it carries
  // requirements (a renamed test's stale result otherwise).
  std::unordered_map<std::string, std::size_t> test_index;
  std::unordered_set<std::string> inventoried, with_results;
  report.tests.reserve(tests.size());
  for (auto& t : tests) {
    inventoried.insert(t.binary);
    test_index.emplace(key(t.binary, t.id), report.tests.size());
    report.tests.push_back({std::move(t), std::nullopt, {}});
  }
  for (const auto& o : outcomes) {
    with_results.insert(o.binary);
    auto [it, inserted] = test_index.emplace(key(o.binary, o.id), report.tests.size());
    if (inserted) {
      if (!o.has_requirements && inventoried.count(o.binary)) {
        test_index.erase(it);
        continue;
      }
      report.tests.push_back(
          {TestCase{o.binary, o.id, o.where, o.markers, o.requirements, true, {}}, {}, {}});
    }
    auto& row = report.tests[it->second];
    bool worse = !row.outcome || severity(o.outcome) > severity(*row.outcome);
    if (worse) {
      row.outcome = o.outcome;
      row.message = o.message;
    }
    if (o.flaky()) {
      row.failed_attempts.insert(row.failed_attempts.end(), o.failed_attempts.begin(),
                                 o.failed_attempts.end());
    }
  }
  // A listed test with no result, though its binary reported: it never ran
  // (deselected by a shard, or the run aborted before it).
  for (auto& row : report.tests)
    row.not_run = !row.outcome && with_results.count(row.test.binary) != 0;

  // Link tests to requirements: a qualified ID exactly, a bare ID when it is unambiguous.
  for (std::size_t ti = 0; ti < report.tests.size(); ++ti) {
    const auto& t = report.tests[ti].test;
    if (t.requirements.empty()) {
      report.defects.push_back(
          {DefectKind::unmarked, t.where, describe(t) + " verifies no requirement"});
      continue;
    }
    for (const auto& id : t.requirements) {
      std::optional<std::size_t> target;
      if (auto it = by_id.find(id); it != by_id.end()) {
        target = it->second;
      } else if (auto bare = by_bare_id.find(id); bare != by_bare_id.end()) {
        if (bare->second.size() == 1) {
          target = bare->second.front();
        } else {
          std::string candidates;
          for (auto i : bare->second)
            candidates += (candidates.empty() ? "" : ", ") + report.requirements[i].requirement.id;
          report.defects.push_back(
              {DefectKind::ambiguous_id, t.where,
               describe(t) + " references " + id + ", which is ambiguous: " + candidates});
          continue;
        }
      }
      if (!target) {
        report.defects.push_back(
            {DefectKind::unknown_id, t.where,
             describe(t) + " references " + id + ", which is not in the catalog"});
        continue;
      }
      auto& linked = report.requirements[*target].tests;
      if (linked.empty() || linked.back() != ti) linked.push_back(ti);
    }
  }

  for (auto& row : report.requirements) {
    row.status = status_of(row, report.tests, have_results);
    row.counts_as_covered =
        options.require_passing
            ? row.status == Status::verified || (options.allow_flaky && row.status == Status::flaky)
            : !row.tests.empty();
    report.covered += row.counts_as_covered;
  }
  std::size_t total = report.requirements.size();
  report.coverage =
      total ? 100.0 * static_cast<double>(report.covered) / static_cast<double>(total) : 100.0;
  report.coverage_ok = report.coverage + 1e-9 >= options.threshold;
  report.passed = report.coverage_ok && report.defects.empty();
  return report;
}

// "2073 unmarked tests", "2 unknown requirement IDs": every kind's noun is its last word.
static std::string plural(DefectKind k) { return std::string(to_string(k)) + "s"; }

std::string verdict_line(const Report& r) {
  std::string line = r.passed ? "PASSED: " : "FAILED: ";
  if (!r.defects.empty()) {
    std::map<DefectKind, std::size_t> kinds;
    for (const auto& d : r.defects) ++kinds[d.kind];
    line += std::to_string(r.defects.size()) + (r.defects.size() == 1 ? " defect (" : " defects (");
    bool first = true;
    for (const auto& [kind, n] : kinds) {
      line +=
          (first ? "" : ", ") +
          (kinds.size() == 1 && r.defects.size() == 1 ? std::string() : std::to_string(n) + " ") +
          (n == 1 ? std::string(to_string(kind)) : plural(kind));
      first = false;
    }
    line += "); ";
  }
  return line + coverage_line(r);
}

std::string coverage_line(const Report& r) {
  return "coverage " + percent(r.coverage) + " (" + std::to_string(r.covered) + "/" +
         std::to_string(r.requirements.size()) + ") " + (r.coverage_ok ? ">=" : "<") +
         " threshold " + percent(r.options.threshold);
}

}  // namespace attest::trace
