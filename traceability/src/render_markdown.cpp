// Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY.
#include <ostream>

#include <attest/trace/render.hpp>

#include "renderers.hpp"

namespace attest::trace {
namespace {

std::string cell(std::string_view s) {  // one table cell: no pipes, no line breaks
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

const char* icon(Status s) {
  switch (s) {
    case Status::verified:
      return "✅";
    case Status::flaky:
      return "🟨";
    case Status::covered:
      return "✅";
    case Status::failing:
      return "❌";
    case Status::skipped:
      return "⚠️";
    case Status::untested:
      return "⚪";
    case Status::uncovered:
      return "❌";
  }
  return "";
}

}  // namespace

void render_markdown(std::ostream& out, const Report& r) {
  out << "## Requirement traceability: " << (r.passed ? "✅ passed" : "❌ failed") << "\n\n";
  out << "**" << verdict_line(r) << "** — " << r.requirements.size() << " requirements, "
      << r.tests.size() << " tests, " << r.defects.size() << " defects\n\n";
  if (!r.defects.empty()) {
    out << "### Defects\n\n";
    for (const auto& d : r.defects)
      out << "- **" << to_string(d.kind) << "** `" << cell(d.where.str())
          << "`: " << cell(d.message) << '\n';
    out << '\n';
  }
  out << "### Requirements\n\n| Requirement | Status |" << (r.have_code ? " Code reached |" : "")
      << " Tests |\n|---|---|" << (r.have_code ? "---|" : "") << "---|\n";
  for (const auto& row : r.requirements) {
    out << "| **" << cell(row.requirement.id) << "** " << cell(row.requirement.title) << " | "
        << icon(row.status) << ' ' << label(row.status) << " | ";
    if (r.have_code) out << cell(code_cell(row.code)) << " | ";
    for (std::size_t k = 0; k < row.tests.size(); ++k) {
      const auto& t = r.tests[row.tests[k]];
      out << (k ? ", " : "") << '`' << cell(t.test.id) << '`';
      if (t.outcome != Outcome::passed || t.flaky()) out << " (" << test_status(t) << ')';
    }
    out << " |\n";
  }
  if (!r.warnings.empty()) {
    out << "\n### Warnings\n\n";
    for (const auto& w : r.warnings)
      out << "- `" << cell(w.where.str()) << "`: " << cell(w.message) << '\n';
  }
}

}  // namespace attest::trace
