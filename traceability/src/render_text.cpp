#include <map>
#include <ostream>

#include <attest/trace/render.hpp>

#include "renderers.hpp"

namespace attest::trace {

void render_text(std::ostream& out, const Report& r) {
  out << verdict_line(r) << '\n';
  out << r.requirements.size() << " requirements, " << r.tests.size() << " tests";
  if (r.have_results) {
    std::size_t with = 0;
    for (const auto& t : r.tests) with += t.outcome.has_value();
    out << ", results for " << with;
  }
  out << ", " << r.defects.size() << (r.defects.size() == 1 ? " defect" : " defects") << '\n';

  // Defects grouped by kind, each with its location first (editors jump to it).
  std::map<DefectKind, std::vector<const Defect*>> groups;
  for (const auto& d : r.defects) groups[d.kind].push_back(&d);
  for (const auto& [kind, list] : groups) {
    out << '\n' << to_string(kind) << "s (" << list.size() << "):\n";
    for (const auto* d : list) out << "  " << d->where.str() << ": " << d->message << '\n';
  }
  auto missing = uncovered(r);
  if (!missing.empty()) {
    out << '\n'
        << (r.options.require_passing ? "requirements not verified" : "uncovered requirements")
        << " (" << missing.size() << "):\n";
    for (const auto* row : missing)
      out << "  " << row->requirement.where.str() << ": " << row->requirement.id << " ["
          << label(row->status) << "] " << row->requirement.title << '\n';
  }
  if (r.have_results) {
    bool header = false;
    for (const auto& row : r.requirements) {
      if (row.status != Status::failing) continue;
      if (!header) out << "\nfailing requirements:\n";
      header = true;
      out << "  " << row.requirement.id << ':';
      for (auto i : row.tests)
        if (r.tests[i].outcome == Outcome::failed) out << ' ' << r.tests[i].test.id;
      out << '\n';
    }
  }
  auto list_tests = [&](const char* heading, auto&& which) {
    std::vector<const TestRow*> rows;
    for (const auto& t : r.tests)
      if (which(t)) rows.push_back(&t);
    if (rows.empty()) return;
    out << '\n' << heading << " (" << rows.size() << "):\n";
    for (const auto* t : rows) {
      out << "  " << t->test.where.str() << ": " << t->test.id << " (" << t->test.binary << ")";
      if (t->flaky())
        out << " passed after " << t->failed_attempts.size() << " failed attempt"
            << (t->failed_attempts.size() == 1 ? "" : "s") << ": " << t->failed_attempts.front();
      out << '\n';
    }
  };
  if (r.have_code) {
    // The code each requirement's tests reach (from the coverage records given).
    out << "\ncode reached by each requirement's tests:\n";
    for (const auto& row : r.requirements) {
      auto code = code_cell(row.code);
      out << "  " << row.requirement.id << ": " << (code.empty() ? "not measured" : code) << '\n';
    }
  }
  list_tests("flaky tests", [](const TestRow& t) { return t.flaky(); });
  list_tests("tests not run", [](const TestRow& t) { return t.not_run; });
  if (!r.warnings.empty()) {
    out << "\nwarnings (" << r.warnings.size() << "):\n";
    for (const auto& w : r.warnings) out << "  " << w.where.str() << ": " << w.message << '\n';
  }
  if (r.have_results) {
    // Last, in the plain shape CI log readers understand: "results: 85 passed, 1 failed, 1
    // skipped".
    std::size_t passed = 0, failed = 0, skipped = 0, not_run = 0, flaky = 0;
    for (const auto& t : r.tests) {
      if (t.outcome == Outcome::passed) ++passed;
      if (t.outcome == Outcome::failed) ++failed;
      if (t.outcome == Outcome::skipped) ++skipped;
      not_run += t.not_run;
      flaky += t.flaky();
    }
    out << "\nresults: " << passed << " passed, " << failed << " failed";
    if (skipped) out << ", " << skipped << " skipped";
    if (flaky) out << ", " << flaky << " flaky";
    if (not_run) out << ", " << not_run << " not run";
    out << '\n';
  }
}

}  // namespace attest::trace
