#include <attest/trace/render.hpp>

#include <stdexcept>

#include "renderers.hpp"

namespace attest::trace {

const std::vector<std::string>& formats() {
  static const std::vector<std::string> names{"text", "json", "markdown", "html", "github"};
  return names;
}

void render(const std::string& format, std::ostream& out, const Report& report) {
  if (format == "text") return render_text(out, report);
  if (format == "json") return render_json(out, report);
  if (format == "markdown") return render_markdown(out, report);
  if (format == "html") return render_html(out, report);
  if (format == "github") return render_github(out, report);
  throw std::invalid_argument("unknown format '" + format +
                              "' (text, json, markdown, html, github)");
}

std::vector<const RequirementRow*> uncovered(const Report& report) {
  std::vector<const RequirementRow*> out;
  for (const auto& row : report.requirements)
    if (!row.counts_as_covered) out.push_back(&row);
  return out;
}

}  // namespace attest::trace
