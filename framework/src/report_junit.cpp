#include <cstdio>
#include <ostream>

#include <attest/trace/markup.hpp>

#include "reports.hpp"

namespace attest::detail {
namespace {

using trace::escape_markup;

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : ",") + item;
  return s;
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", ms / 1000.0);
  return buf;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

void write_junit_xml(std::ostream& out, const std::string& binary,
                     const std::vector<TestInfo>& tests, const std::vector<TestResult>& results,
                     const Summary& summary) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"" << escape_markup(binary) << "\" tests=\"" << results.size()
      << "\" failures=\"" << summary.failed << "\" errors=\"0\" skipped=\"" << summary.skipped
      << "\" time=\"" << seconds(summary.duration_ms) << "\">\n"
      << "  <testsuite name=\"" << escape_markup(binary) << "\" tests=\"" << results.size()
      << "\" failures=\"" << summary.failed << "\" errors=\"0\" skipped=\"" << summary.skipped
      << "\" time=\"" << seconds(summary.duration_ms) << "\">\n";
  for (const auto& r : results) {
    const auto& t = tests[r.test];
    // classname: the suite path with dots (as pytest writes module.Class); the binary for top-level
    // cases.
    auto slash = t.name.rfind('/');
    std::string classname = binary, name = t.name;
    if (slash != std::string::npos) {
      classname = t.name.substr(0, slash);
      for (auto& c : classname)
        if (c == '/') c = '.';
      name = t.name.substr(slash + 1);
    }
    out << "    <testcase classname=\"" << escape_markup(classname) << "\" name=\""
        << escape_markup(name) << "\" file=\"" << escape_markup(t.file) << "\" line=\"" << t.line
        << "\" time=\"" << seconds(r.duration_ms) << "\">\n"
        << "      <properties>\n"
        << "        <property name=\"verifies\" value=\""
        << escape_markup(join(t.marks.requirements)) << "\"/>\n"
        << "        <property name=\"markers\" value=\"" << escape_markup(join(t.marks.markers))
        << "\"/>\n"
        << "      </properties>\n";
    if (r.outcome == Outcome::failed)
      out << "      <failure message=\"" << escape_markup(first_line(r.message)) << "\">"
          << escape_markup(r.message) << "</failure>\n";
    else if (r.outcome == Outcome::skipped)
      out << "      <skipped message=\"" << escape_markup(r.message) << "\"/>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace attest::detail
