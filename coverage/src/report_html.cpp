// The HTML report: one self-contained page. A summary table, then each file's source with
// every line marked executed / missed / not code, and beside each executed line the tests
// that executed it and the requirements those tests verify (coverage.py's "show
// contexts", always on). Sources are read from their paths; a missing one shows numbers.
#include <attest/coverage/reports.hpp>
#include <attest/markup.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <set>

namespace attest::coverage {
namespace {

std::string anchor(const std::string& path) {
  std::string a = "f-";
  for (char c : path) a += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return a;
}

std::vector<std::string> source_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string percent(double p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", std::floor(p * 10) / 10);
  return buf;
}

}  // namespace

void write_html(std::ostream& out, const Record& record, const ReportOptions& options) {
  Totals all = totals(record);
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<title>attest coverage</title><style>\n"
         "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
         "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}"
         "th{background:#eee}td.name{text-align:left}"
         "pre{margin:0}.src{font-family:monospace;width:100%}.src td{text-align:left;"
         "vertical-align:top;padding:0 6px}.src td.n{text-align:right;color:#888}"
         "tr.hit td.code{background:#dfd}tr.miss td.code{background:#fdd}"
         "td.ctx{font-size:85%;color:#555}details summary{cursor:pointer}"
         ".req{color:#06c}.br{color:#a60}\n</style></head><body>\n"
      << "<h1>Coverage</h1>\n<p>lines " << percent(all.line_percent()) << " (" << all.lines_hit
      << "/" << all.lines << "), branches " << percent(all.branch_percent()) << " ("
      << all.branches_taken << "/" << all.branches << "), " << record.tests.size()
      << " tests</p>\n<table><tr><th class=\"name\">file</th><th>lines</th><th>missed</th>"
         "<th>line %</th><th>branches</th><th>taken</th><th>branch %</th></tr>\n";
  for (const auto& [path, file] : record.files) {
    Totals t = totals(file);
    auto shown = display_path(path, options.root);
    out << "<tr><td class=\"name\"><a href=\"#" << anchor(shown) << "\">" << escape_markup(shown)
        << "</a></td><td>" << t.lines << "</td><td>" << t.lines - t.lines_hit << "</td><td>"
        << percent(t.line_percent()) << "</td><td>" << t.branches << "</td><td>" << t.branches_taken
        << "</td><td>" << percent(t.branch_percent()) << "</td></tr>\n";
  }
  out << "</table>\n";
  for (const auto& [path, file] : record.files) {
    auto shown = display_path(path, options.root);
    auto text = source_lines(path);
    std::uint32_t last = file.lines.empty() ? 0 : file.lines.rbegin()->first;
    last = std::max<std::uint32_t>(last, static_cast<std::uint32_t>(text.size()));
    out << "<h2 id=\"" << anchor(shown) << "\">" << escape_markup(shown)
        << "</h2>\n<table class=\"src\">\n";
    auto branch = file.branches.begin();
    for (std::uint32_t n = 1; n <= last; ++n) {
      auto it = file.lines.find(n);
      const char* cls = it == file.lines.end() ? "" : it->second.hits ? "hit" : "miss";
      out << "<tr class=\"" << cls << "\"><td class=\"n\">" << n << "</td><td class=\"n\">"
          << (it == file.lines.end() ? std::string() : std::to_string(it->second.hits))
          << "</td><td class=\"code\"><pre>"
          << escape_markup(n <= text.size() ? text[n - 1] : std::string())
          << "</pre></td><td class=\"ctx\">";
      std::size_t branches = 0, taken = 0;
      while (branch != file.branches.end() && branch->first.first < n) ++branch;
      for (auto b = branch; b != file.branches.end() && b->first.first == n; ++b) {
        ++branches;
        taken += b->second.taken > 0;
      }
      if (branches) out << "<span class=\"br\">" << taken << "/" << branches << " branches</span> ";
      if (it != file.lines.end() && !it->second.tests.empty()) {
        std::set<std::string> requirements;
        for (auto t : it->second.tests)
          requirements.insert(record.tests[t].requirements.begin(),
                              record.tests[t].requirements.end());
        out << "<details><summary>" << it->second.tests.size()
            << (it->second.tests.size() == 1 ? " test" : " tests");
        for (const auto& r : requirements)
          out << " <span class=\"req\">" << escape_markup(r) << "</span>";
        out << "</summary>";
        for (auto t : it->second.tests)
          out << escape_markup(record.tests[t].id) << " <small>("
              << escape_markup(record.tests[t].binary) << ")</small><br>";
        out << "</details>";
      }
      out << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "</body></html>\n";
}

}  // namespace attest::coverage
