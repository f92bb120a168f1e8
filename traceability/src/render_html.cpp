// One self-contained HTML file: the verdict and counts by status at the top,
// every defect (untested requirements included) in one list, each failing
// test's message one click from its chip, and the requirement × test matrix.
// No external resources; without JavaScript everything is shown (the filter box
// appears only with it); readable on a phone (rows become cards). The matrix's
// rows are grid rows with content-visibility:auto, so a 2,000-requirement page
// lays out only what is on screen (half the render time of a plain table).
#include <map>
#include <ostream>

#include <attest/trace/markup.hpp>
#include <attest/trace/render.hpp>

#include "inline_markdown.hpp"
#include "renderers.hpp"

namespace attest::trace {
namespace {

std::string esc(std::string_view s) { return escape_markup(s); }

const char* kStyle = R"CSS(
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--none:#6e7781;--flaky:#bf8700;--bg:#fff;--fg:#1f2328;--line:#d0d7de}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header{padding:16px 20px;border-bottom:1px solid var(--line)}h1{font-size:20px;margin:0 0 6px}h2{font-size:17px;margin:18px 0 8px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:13px}
.passed,.verified,.covered{background:var(--ok)}.failed,.failing,.uncovered{background:var(--bad)}
.skipped{background:var(--warn)}.untested{background:var(--none)}.flaky{background:var(--flaky)}
.counts{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 0;padding:0;list-style:none}.counts a{text-decoration:none}
main{padding:12px 20px}.verdict{font-family:ui-monospace,monospace;margin:4px 0;font-weight:600}
input#filter{width:100%;max-width:520px;padding:8px 10px;font-size:15px;border:1px solid var(--line);border-radius:6px;margin:8px 0 12px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:8px;border-bottom:1px solid var(--line)}
th{font-size:13px;color:var(--none)}.id{font-weight:600;white-space:nowrap}.loc{color:var(--none);font-size:12px;overflow-wrap:anywhere}
code{font:13px ui-monospace,monospace;background:#f6f8fa;padding:0 3px;border-radius:4px}
.chip{display:inline-block;margin:2px 4px 2px 0;padding:1px 8px;border-radius:10px;font:12px ui-monospace,monospace;border:1px solid var(--line);color:var(--fg);text-decoration:none}
.chip.passed{background:#dafbe1;color:var(--ok);border-color:#aceebb}.chip.failed{background:#ffebe9;color:var(--bad);border-color:#ffcecb}
.chip.skipped{background:#fff8c5;color:var(--warn)}.chip.flaky{background:#fff8c5;color:var(--flaky);border-color:#eac54f}.chip.none,.chip.notrun{background:#f6f8fa}
a.chip:hover{text-decoration:underline}
.defects li{margin:4px 0}.defects code{font-size:12px;overflow-wrap:anywhere}
.failure{border:1px solid #ffcecb;border-radius:6px;margin:8px 0;padding:8px 12px}.failure.flaky{border-color:#eac54f}
.failure h3{font:600 14px ui-monospace,monospace;margin:0 0 4px;overflow-wrap:anywhere}
.failure pre{margin:6px 0 0;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:#f6f8fa;padding:8px;border-radius:4px}
:target{outline:3px solid #0969da;outline-offset:2px}
#matrix,#matrix thead,#matrix tbody{display:block}#matrix th,#matrix td{display:block}
#matrix tr{display:grid;grid-template-columns:minmax(0,2fr) 150px minmax(0,3fr)}#matrix tr[hidden]{display:none}
#matrix.code tr{grid-template-columns:minmax(0,2fr) 150px 190px minmax(0,3fr)}
#matrix tbody tr{content-visibility:auto;contain-intrinsic-size:auto 64px}
@media (max-width:640px){#matrix thead{display:none}#matrix tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}#matrix td{border:0;padding:2px 0}}
)CSS";

// The filter matches every word typed (AND); `report.html#q=failing` opens filtered,
// so a link can point at what needs attention. Without JavaScript the box stays hidden
// and every row is shown.
const char* kScript = R"JS(
const box=document.getElementById('filter');box.hidden=false;
const rows=[...document.querySelectorAll('#matrix tbody tr')];
function apply(){const words=box.value.toLowerCase().split(/\s+/).filter(Boolean);let shown=0;
for(const row of rows){const hit=words.every(w=>row.dataset.search.includes(w));
row.hidden=!hit;shown+=hit;}document.getElementById('shown').textContent=shown;}
box.addEventListener('input',apply);
if(location.hash.startsWith('#q=')){box.value=decodeURIComponent(location.hash.slice(3));apply();}
)JS";

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void render_html(std::ostream& out, const Report& r) {
  std::map<Status, std::size_t> by_status;
  for (const auto& row : r.requirements) ++by_status[row.status];
  // The tests whose message a reader wants: failed ones, and flaky passes.
  std::vector<std::size_t> attention;
  for (std::size_t i = 0; i < r.tests.size(); ++i)
    if (r.tests[i].outcome == Outcome::failed || r.tests[i].flaky()) attention.push_back(i);
  auto missing = uncovered(r);

  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>Requirement traceability: " << (r.passed ? "passed" : "failed")
      << "</title><style>" << kStyle
      << "</style></head><body>\n<header><h1>Requirement traceability <span class=\"badge "
      << (r.passed ? "passed\">passed" : "failed\">failed") << "</span></h1>"
      << "<div class=\"verdict\">" << esc(verdict_line(r)) << "</div><div>"
      << plural(r.requirements.size(), "requirement", "requirements") << " · "
      << plural(r.tests.size(), "test", "tests") << " · "
      << plural(r.defects.size(), "defect", "defects")
      << (missing.empty() ? std::string()
                          : " · " + plural(missing.size(), "requirement", "requirements") +
                                (r.options.require_passing ? " not verified" : " not covered"))
      << "</div>"
      << "<ul class=\"counts\" aria-label=\"Requirements by status\">";
  for (const auto& [status, n] : by_status)
    out << "<li><a class=\"badge " << to_string(status) << "\" href=\"#q=" << to_string(status)
        << "\">" << n << ' ' << esc(label(status)) << "</a></li>";
  out << "</ul></header>\n<main>\n";

  if (!r.defects.empty() || !missing.empty()) {
    out << "<h2 id=\"defects\">Defects</h2><ul class=\"defects\">\n";
    for (const auto& d : r.defects)
      out << "<li><b>" << esc(to_string(d.kind)) << "</b> <code>" << esc(d.where.str())
          << "</code>: " << esc(d.message) << "</li>\n";
    for (const auto* row : missing)
      out << "<li><b>"
          << (r.options.require_passing ? "requirement not verified" : "uncovered requirement")
          << "</b> <code>" << esc(row->requirement.where.str()) << "</code>: <a href=\"#r-"
          << esc(row->requirement.id) << "\">" << esc(row->requirement.id) << "</a> ["
          << esc(label(row->status)) << "] " << detail::inline_markdown_html(row->requirement.title)
          << "</li>\n";
    out << "</ul>\n";
  }
  if (!attention.empty()) {
    out << "<h2 id=\"failures\">Failures</h2>\n";
    for (auto i : attention) {
      const auto& t = r.tests[i];
      out << "<div class=\"failure" << (t.flaky() ? " flaky" : "") << "\" id=\"t-" << i << "\"><h3>"
          << esc(t.test.id) << " <span class=\"badge " << (t.flaky() ? "flaky" : "failed") << "\">"
          << esc(test_status(t)) << "</span></h3><div class=\"loc\">" << esc(t.test.binary) << " · "
          << esc(t.test.where.str()) << "</div>";
      if (!t.message.empty() && t.outcome == Outcome::failed)
        out << "<pre>" << esc(t.message) << "</pre>";
      for (std::size_t k = 0; k < t.failed_attempts.size(); ++k)
        out << "<div class=\"loc\">attempt " << k + 1 << " failed:</div><pre>"
            << esc(t.failed_attempts[k]) << "</pre>";
      out << "</div>\n";
    }
  }
  if (!r.warnings.empty()) {
    out << "<h2>Warnings</h2><ul class=\"defects\">\n";
    for (const auto& w : r.warnings)
      out << "<li><code>" << esc(w.where.str()) << "</code>: " << esc(w.message) << "</li>\n";
    out << "</ul>\n";
  }

  out << "<h2>Requirements</h2><input id=\"filter\" type=\"search\" hidden "
      << "placeholder=\"Filter by requirement, status or test\" aria-label=\"Filter\">"
      << "<div class=\"loc\"><span id=\"shown\">" << r.requirements.size()
      << "</span> shown</div>\n"
      << "<table id=\"matrix\"" << (r.have_code ? " class=\"code\"" : "")
      << "><thead><tr><th>Requirement</th><th>Status</th>"
      << (r.have_code ? "<th>Code reached</th>" : "") << "<th>Tests</th></tr></thead><tbody>\n";
  std::string search;
  for (const auto& row : r.requirements) {
    search = row.requirement.id + ' ' + row.requirement.title + ' ' + to_string(row.status);
    for (auto i : row.tests) search += ' ' + r.tests[i].test.id;
    for (auto& c : search) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out << "<tr id=\"r-" << esc(row.requirement.id) << "\" data-search=\"" << esc(search)
        << "\"><td><span class=\"id\">" << esc(row.requirement.id) << "</span> "
        << detail::inline_markdown_html(row.requirement.title) << "<div class=\"loc\">"
        << esc(row.requirement.where.str())
        << (row.requirement.section.empty() ? "" : " · " + esc(row.requirement.section))
        << "</div></td><td><span class=\"badge " << to_string(row.status) << "\">"
        << esc(label(row.status)) << "</span></td><td>";
    if (r.have_code) {
      auto code = code_cell(row.code);
      out << (row.code && row.code->files == 0 ? "<span class=\"badge uncovered\">" : "<span>")
          << esc(code.empty() ? "not measured" : code) << "</span></td><td>";
    }
    for (auto i : row.tests) {
      const auto& t = r.tests[i];
      const char* cls = t.flaky()   ? "flaky"
                        : t.outcome ? to_string(*t.outcome)
                        : t.not_run ? "notrun"
                                    : "none";
      bool linked = t.outcome == Outcome::failed || t.flaky();
      out << (linked ? "<a href=\"#t-" + std::to_string(i) + "\" " : std::string("<span "))
          << "class=\"chip " << cls << "\" title=\""
          << esc(t.test.binary + " · " + t.test.where.str() + " · " + test_status(t)) << "\">"
          << esc(t.test.id) << (linked ? "</a>" : "</span>");
    }
    out << "</td></tr>\n";
  }
  out << "</tbody></table>\n</main><script>" << kScript << "</script></body></html>\n";
}

}  // namespace attest::trace
