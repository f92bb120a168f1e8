// One self-contained HTML file: the requirement × test matrix as rows of
// requirements with their tests as coloured chips, defects first, and a filter
// box. No external resources; readable on a phone (rows become cards).
#include <ostream>

#include <attest/trace/markup.hpp>
#include <attest/trace/render.hpp>

#include "renderers.hpp"

namespace attest::trace {
namespace {

std::string esc(std::string_view s) { return escape_markup(s); }

const char* kStyle = R"CSS(
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--none:#6e7781;--bg:#fff;--fg:#1f2328;--line:#d0d7de}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header{padding:16px 20px;border-bottom:1px solid var(--line)}h1{font-size:20px;margin:0 0 6px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:13px}
.passed,.verified,.covered{background:var(--ok)}.failed,.failing,.uncovered{background:var(--bad)}
.skipped{background:var(--warn)}.untested{background:var(--none)}
main{padding:12px 20px}.summary{font-family:ui-monospace,monospace;margin:4px 0}
input#filter{width:100%;max-width:520px;padding:8px 10px;font-size:15px;border:1px solid var(--line);border-radius:6px;margin:8px 0 12px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:8px;border-bottom:1px solid var(--line)}
th{font-size:13px;color:var(--none)}.id{font-weight:600;white-space:nowrap}.loc{color:var(--none);font-size:12px}
.chip{display:inline-block;margin:2px 4px 2px 0;padding:1px 8px;border-radius:10px;font:12px ui-monospace,monospace;border:1px solid var(--line)}
.chip.passed{background:#dafbe1;color:var(--ok);border-color:#aceebb}.chip.failed{background:#ffebe9;color:var(--bad);border-color:#ffcecb}
.chip.skipped{background:#fff8c5;color:var(--warn)}.chip.none{background:#f6f8fa;color:var(--fg)}
.defects li{margin:4px 0}.defects code{font-size:12px;overflow-wrap:anywhere}.loc{overflow-wrap:anywhere}
@media (max-width:640px){thead{display:none}tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}td{display:block;border:0;padding:2px 0}}
)CSS";

// The filter matches every word typed (AND); `report.html#q=failing` opens filtered,
// so a link can point at what needs attention.
const char* kScript = R"JS(
const box=document.getElementById('filter');
function apply(){const words=box.value.toLowerCase().split(/\s+/).filter(Boolean);let shown=0;
for(const row of document.querySelectorAll('tbody tr')){const hit=words.every(w=>row.dataset.search.includes(w));
row.hidden=!hit;shown+=hit;}document.getElementById('shown').textContent=shown;}
box.addEventListener('input',apply);
if(location.hash.startsWith('#q=')){box.value=decodeURIComponent(location.hash.slice(3));apply();}
)JS";

}  // namespace

void render_html(std::ostream& out, const Report& r) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>Requirement traceability: " << (r.passed ? "passed" : "failed")
      << "</title><style>" << kStyle
      << "</style></head><body>\n<header><h1>Requirement traceability <span class=\"badge "
      << (r.passed ? "passed\">passed" : "failed\">failed") << "</span></h1>"
      << "<div class=\"summary\">" << esc(coverage_line(r)) << "</div><div>"
      << r.requirements.size() << " requirements · " << r.tests.size() << " tests · "
      << r.defects.size() << (r.defects.size() == 1 ? " defect" : " defects")
      << "</div></header>\n<main>\n";

  if (!r.defects.empty()) {
    out << "<h2>Defects</h2><ul class=\"defects\">\n";
    for (const auto& d : r.defects)
      out << "<li><b>" << esc(to_string(d.kind)) << "</b> <code>" << esc(d.where.str())
          << "</code>: " << esc(d.message) << "</li>\n";
    out << "</ul>\n";
  }
  if (!r.warnings.empty()) {
    out << "<h2>Warnings</h2><ul class=\"defects\">\n";
    for (const auto& w : r.warnings)
      out << "<li><code>" << esc(w.where.str()) << "</code>: " << esc(w.message) << "</li>\n";
    out << "</ul>\n";
  }

  out << "<h2>Requirements</h2><input id=\"filter\" type=\"search\" "
      << "placeholder=\"Filter by requirement, status or test\" aria-label=\"Filter\">"
      << "<div class=\"loc\"><span id=\"shown\">" << r.requirements.size()
      << "</span> shown</div>\n"
      << "<table><thead><tr><th>Requirement</th><th>Status</th><th>Tests</th></tr></"
         "thead><tbody>\n";
  for (const auto& row : r.requirements) {
    std::string search =
        row.requirement.id + ' ' + row.requirement.title + ' ' + to_string(row.status);
    for (auto i : row.tests) search += ' ' + r.tests[i].test.id;
    for (auto& c : search) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out << "<tr data-search=\"" << esc(search) << "\"><td><span class=\"id\">"
        << esc(row.requirement.id) << "</span> " << esc(row.requirement.title)
        << "<div class=\"loc\">" << esc(row.requirement.where.str())
        << "</div></td><td><span class=\"badge " << to_string(row.status) << "\">"
        << to_string(row.status) << "</span></td><td>";
    for (auto i : row.tests) {
      const auto& t = r.tests[i];
      const char* cls = t.outcome ? to_string(*t.outcome) : "none";
      out << "<span class=\"chip " << cls << "\" title=\""
          << esc(t.test.binary + " · " + t.test.where.str())
          << (t.message.empty() ? "" : "\n" + esc(t.message)) << "\">" << esc(t.test.id)
          << "</span>";
    }
    out << "</td></tr>\n";
  }
  out << "</tbody></table>\n</main><script>" << kScript << "</script></body></html>\n";
}

}  // namespace attest::trace
