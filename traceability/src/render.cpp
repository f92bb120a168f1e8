// The report formats. Adding one: its renderer in its own render_<name>.cpp,
// declared in renderers.hpp, and one line in the table below; the CLI's help
// and errors are generated from it.
#include <attest/trace/render.hpp>

#include <stdexcept>

#include "renderers.hpp"

namespace attest::trace {

const std::vector<Renderer>& renderers() {
  static const std::vector<Renderer> table{
      {"text", "the verdict, defects and coverage for a terminal (default)", render_text},
      {"json", "the whole matrix as JSON, for other tools", render_json},
      {"markdown", "a summary and matrix for pull requests and GitHub step summaries",
       render_markdown},
      {"html", "a self-contained page: matrix, defects, tests", render_html},
      {"github", "GitHub Actions annotations (::error file=...,line=...)", render_github},
  };
  return table;
}

const std::vector<std::string>& formats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& r : renderers()) out.emplace_back(r.name);
    return out;
  }();
  return names;
}

void render(const std::string& format, std::ostream& out, const Report& report) {
  for (const auto& r : renderers())
    if (format == r.name) return r.render(out, report);
  std::string names;
  for (const auto& n : formats()) names += (names.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown format '" + format + "' (" + names + ")");
}

std::vector<const RequirementRow*> uncovered(const Report& report) {
  std::vector<const RequirementRow*> out;
  for (const auto& row : report.requirements)
    if (!row.counts_as_covered) out.push_back(&row);
  return out;
}

}  // namespace attest::trace
