#include <attest/coverage/reports.hpp>
#include <attest/markup.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <ostream>
#include <stdexcept>

namespace attest::coverage {
namespace {

std::string percent(double p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", std::floor(p));  // never round up to pass
  return buf;
}

std::string ratio(std::size_t part, std::size_t whole) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.4f",
                whole ? static_cast<double>(part) / static_cast<double>(whole) : 1.0);
  return buf;
}

}  // namespace

std::string display_path(const std::string& path, const std::filesystem::path& root) {
  if (root.empty()) return path;
  std::string prefix = root.lexically_normal().string();
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  return path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
}

std::string lcov_test_name(const TestContext& test) {
  std::string name = test.id;
  for (auto& c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) c = '_';
  return name;
}

void write_term_missing(std::ostream& out, const Record& record, const ReportOptions& options) {
  std::size_t width = 5;
  for (const auto& [path, file] : record.files)
    width = std::max(width, display_path(path, options.root).size());
  char line[64];
  auto row = [&](const std::string& name, const Totals& t, const std::string& missing) {
    out << name << std::string(width - name.size() + 2, ' ');
    std::snprintf(line, sizeof line, "%6zu %6zu %6zu %6zu %6s", t.lines, t.lines - t.lines_hit,
                  t.branches, t.branches - t.branches_taken, percent(t.line_percent()).c_str());
    out << line;
    if (!missing.empty()) out << "   " << missing;
    out << '\n';
  };
  std::string header = "Name";
  out << header << std::string(width - header.size() + 2, ' ')
      << " Lines   Miss Branch BrMiss  Cover   Missing\n"
      << std::string(width + 50, '-') << '\n';
  for (const auto& [path, file] : record.files)
    row(display_path(path, options.root), totals(file), missing_ranges(file));
  out << std::string(width + 50, '-') << '\n';
  Totals all = totals(record);
  row("TOTAL", all, "");
  std::snprintf(line, sizeof line, "%.1f%%", std::floor(all.branch_percent() * 10) / 10);
  out << "branches: " << line << " (" << all.branches_taken << '/' << all.branches << ")\n";
}

void write_lcov(std::ostream& out, const Record& record, const ReportOptions&) {
  // The first section (no test name) lists every line and branch, with the executions that
  // happened outside any test: the files' totals come out right even for code no test ran.
  // Each test's section says which lines and branches it executed (1 each): genhtml sums
  // the sections, so a line's count is the number of tests (plus outside runs) reaching it.
  auto section = [&](const std::string& name, std::uint32_t test, bool base) {
    for (const auto& [path, file] : record.files) {
      std::size_t found = 0, hit = 0, branches = 0, taken = 0;
      std::string body;
      for (const auto& [line, l] : file.lines) {
        bool by_test = std::binary_search(l.tests.begin(), l.tests.end(), test);
        if (!base && !by_test) continue;
        std::uint64_t count = base ? (l.tests.empty() ? l.hits : 0) : 1;
        body += "DA:" + std::to_string(line) + "," + std::to_string(count) + "\n";
        ++found;
        hit += count > 0;
      }
      for (const auto& [key, b] : file.branches) {
        bool by_test = std::binary_search(b.tests.begin(), b.tests.end(), test);
        if (!base && !by_test) continue;
        std::uint64_t count = base ? (b.tests.empty() ? b.taken : 0) : 1;
        body += "BRDA:" + std::to_string(key.first) + ",0," + std::to_string(key.second) + "," +
                std::to_string(count) + "\n";
        ++branches;
        taken += count > 0;
      }
      if (!found && !branches) continue;
      out << "TN:" << name << "\nSF:" << path << '\n' << body;
      if (branches) out << "BRF:" << branches << "\nBRH:" << taken << '\n';
      out << "LF:" << found << "\nLH:" << hit << "\nend_of_record\n";
    }
  };
  section("", static_cast<std::uint32_t>(-1), true);
  for (std::uint32_t t = 0; t < record.tests.size(); ++t)
    section(lcov_test_name(record.tests[t]), t, false);
}

void write_cobertura(std::ostream& out, const Record& record, const ReportOptions& options) {
  Totals all = totals(record);
  out << "<?xml version=\"1.0\" ?>\n"
      << "<!DOCTYPE coverage SYSTEM 'http://cobertura.sourceforge.net/xml/coverage-04.dtd'>\n"
      << "<coverage line-rate=\"" << ratio(all.lines_hit, all.lines) << "\" branch-rate=\""
      << ratio(all.branches_taken, all.branches) << "\" lines-covered=\"" << all.lines_hit
      << "\" lines-valid=\"" << all.lines << "\" branches-covered=\"" << all.branches_taken
      << "\" branches-valid=\"" << all.branches << "\" complexity=\"0.0\" timestamp=\""
      << std::time(nullptr) << "\" version=\"attest\">\n"
      << "  <sources>\n    <source>" << escape_markup(options.root.string()) << "</source>\n"
      << "  </sources>\n  <packages>\n";
  // One package per directory, as gcovr writes it.
  std::map<std::string, std::vector<const std::pair<const std::string, FileCoverage>*>> packages;
  for (const auto& entry : record.files) {
    auto shown = display_path(entry.first, options.root);
    auto dir = std::filesystem::path(shown).parent_path().string();
    std::replace(dir.begin(), dir.end(), '/', '.');
    packages[dir].push_back(&entry);
  }
  for (const auto& [package, files] : packages) {
    Totals pt;
    for (const auto* f : files) pt += totals(f->second);
    out << "    <package name=\"" << escape_markup(package) << "\" line-rate=\""
        << ratio(pt.lines_hit, pt.lines) << "\" branch-rate=\""
        << ratio(pt.branches_taken, pt.branches) << "\" complexity=\"0.0\">\n      <classes>\n";
    for (const auto* f : files) {
      const auto& file = f->second;
      Totals ft = totals(file);
      auto shown = display_path(f->first, options.root);
      out << "        <class name=\""
          << escape_markup(std::filesystem::path(shown).filename().string()) << "\" filename=\""
          << escape_markup(shown) << "\" line-rate=\"" << ratio(ft.lines_hit, ft.lines)
          << "\" branch-rate=\"" << ratio(ft.branches_taken, ft.branches)
          << "\" complexity=\"0.0\">\n          <methods/>\n          <lines>\n";
      auto branch = file.branches.begin();
      for (const auto& [line, l] : file.lines) {
        std::size_t n = 0, taken = 0;
        while (branch != file.branches.end() && branch->first.first < line) ++branch;
        for (auto b = branch; b != file.branches.end() && b->first.first == line; ++b) {
          ++n;
          taken += b->second.taken > 0;
        }
        out << "            <line number=\"" << line << "\" hits=\"" << l.hits << "\" branch=\""
            << (n ? "true" : "false") << '"';
        if (n)
          out << " condition-coverage=\"" << (100 * taken / n) << "% (" << taken << '/' << n
              << ")\"";
        out << "/>\n";
      }
      out << "          </lines>\n        </class>\n";
    }
    out << "      </classes>\n    </package>\n";
  }
  out << "  </packages>\n</coverage>\n";
}

void write_json(std::ostream& out, const Record& record, const ReportOptions&) {
  write_json(out, record);
}

const std::vector<ReportKind>& report_kinds() {
  static const std::vector<ReportKind> kinds{
      {"term-missing", "", "per file: lines, missed, branches, missed, percent, missing lines",
       write_term_missing},
      {"lcov", "coverage.info", "lcov tracefile, one TN: section per test (genhtml --show-details)",
       write_lcov},
      {"cobertura", "coverage.xml", "Cobertura XML (GitLab, Jenkins)", write_cobertura},
      {"json", "coverage.json", "the attest coverage record (per-test, mergeable)", write_json},
      {"html", "coverage.html", "one page: every line with the tests and requirements reaching it",
       write_html},
  };
  return kinds;
}

const ReportKind* find_report_kind(const std::string& name) {
  for (const auto& k : report_kinds())
    if (name == k.name) return &k;
  return nullptr;
}

ReportRequest parse_report_request(const std::string& spec) {
  auto colon = spec.find(':');
  std::string name = spec.substr(0, colon);
  const ReportKind* kind = find_report_kind(name);
  if (!kind) {
    std::string names;
    for (const auto& k : report_kinds()) names += (names.empty() ? "" : ", ") + std::string(k.name);
    throw std::invalid_argument("--cov-report: unknown kind '" + name + "' (one of " + names +
                                ", as KIND or KIND:FILE)");
  }
  ReportRequest r{kind, colon == std::string::npos ? std::string() : spec.substr(colon + 1)};
  if (colon != std::string::npos && r.file.empty())
    throw std::invalid_argument("--cov-report " + spec + ": empty file name after ':'");
  return r;
}

}  // namespace attest::coverage
