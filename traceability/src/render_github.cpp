// GitHub Actions workflow commands: one annotation per defect, at its file:line.
#include <ostream>

#include <attest/trace/render.hpp>

#include "renderers.hpp"

namespace attest::trace {
namespace {

// Escaping as the runner's toolkit does (issueCommand in @actions/core).
std::string escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string escape_property(std::string_view s) {
  std::string out;
  for (char c : escape_data(s)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

void annotate(std::ostream& out, const char* level, const Location& where, std::string_view title,
              std::string_view message) {
  out << "::" << level << ' ';
  if (!where.file.empty()) {
    out << "file=" << escape_property(where.file);
    if (where.line) out << ",line=" << where.line;
    out << ',';
  }
  out << "title=" << escape_property(title) << "::" << escape_data(message) << '\n';
}

}  // namespace

void render_github(std::ostream& out, const Report& r) {
  for (const auto& d : r.defects) annotate(out, "error", d.where, to_string(d.kind), d.message);
  const char* level = r.coverage_ok ? "warning" : "error";
  for (const auto* row : uncovered(r))
    annotate(out, level, row->requirement.where, "uncovered requirement",
             row->requirement.id + " [" + label(row->status) + "]: " + row->requirement.title);
  for (const auto& w : r.warnings) annotate(out, "warning", w.where, to_string(w.kind), w.message);
  // Flaky passes are named, not hidden: a warning at the test.
  for (const auto& t : r.tests)
    if (t.flaky())
      annotate(out, "warning", t.test.where, "flaky test",
               t.test.id + " passed after " + std::to_string(t.failed_attempts.size()) +
                   " failed attempt" + (t.failed_attempts.size() == 1 ? "" : "s") + ": " +
                   t.failed_attempts.front());
  annotate(out, r.passed ? "notice" : "error", {}, "trace-check", verdict_line(r));
}

}  // namespace attest::trace
