// JUnit XML: attest's writer (each testcase carries `verifies` and `markers`
// properties, the sphinx-test-reports convention) and the reader for any
// framework's JUnit (a `verifies` property makes a testcase count for
// requirements), with the one classname/name <-> test ID mapping between them.
#include <attest/trace/formats.hpp>
#include <attest/trace/markup.hpp>

#include <boost/property_tree/ptree.hpp>

#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>

#include "xml_input.hpp"

namespace attest::trace {
namespace {

namespace pt = boost::property_tree;

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : ",") + item;
  return s;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, ',')) {
    auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", ms / 1000.0);
  return buf;
}

std::string seconds3(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
  return buf;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

JunitName junit_name(const std::string& binary, const std::string& id) {
  auto slash = id.rfind('/');
  if (slash == std::string::npos) return {binary, id};
  std::string classname = id.substr(0, slash);
  for (auto& c : classname)
    if (c == '/') c = '.';
  return {classname, id.substr(slash + 1)};
}

std::string junit_id(const std::string& binary, const std::string& classname,
                     const std::string& name) {
  if (classname.empty() || classname == binary) return name;
  std::string suites = classname;
  for (auto& c : suites)
    if (c == '.') c = '/';
  return suites + "/" + name;
}

std::optional<JunitFamily> parse_junit_family(std::string_view name) {
  if (name == "xunit1" || name == "legacy") return JunitFamily::xunit1;
  if (name == "xunit2") return JunitFamily::xunit2;
  return std::nullopt;
}

void write_junit(std::ostream& out, const Results& results, JunitFamily family) {
  const bool xunit2 = family == JunitFamily::xunit2;
  // junit-10.xsd: times are SUREFIRE_TIME (at most three decimals), <testsuites> has no `skipped`.
  auto time = [&](double ms) { return xunit2 ? seconds3(ms) : seconds(ms); };
  const auto& s = results.summary;
  std::string counts = "\" tests=\"" + std::to_string(results.tests.size()) + "\" failures=\"" +
                       std::to_string(s.failed) + "\" errors=\"0\"";
  std::string skipped = " skipped=\"" + std::to_string(s.skipped) + "\"";
  std::string duration = " time=\"" + time(s.duration_ms) + "\">\n";
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"" << escape_markup(results.binary) << counts << (xunit2 ? "" : skipped)
      << duration << "  <testsuite name=\"" << escape_markup(results.binary) << counts << skipped
      << duration;
  if (xunit2 && !results.tests.empty()) {
    out << "    <properties>\n";
    for (const auto& r : results.tests) {
      auto property = [&](const char* kind, const std::string& value) {
        out << "      <property name=\"" << kind << ":" << escape_markup(r.id) << "\" value=\""
            << escape_markup(value) << "\"/>\n";
      };
      // A suite named with a dot would not map back from classname/name: say the ID itself,
      // keyed by what the reader derives.
      auto [classname, name] = junit_name(results.binary, r.id);
      if (auto derived = junit_id(results.binary, classname, name); derived != r.id)
        out << "      <property name=\"id:" << escape_markup(derived) << "\" value=\""
            << escape_markup(r.id) << "\"/>\n";
      property("verifies", join(r.requirements));
      if (!r.markers.empty()) property("markers", join(r.markers));
      if (!r.where.file.empty())
        property("location", r.where.file + ":" + std::to_string(r.where.line));
    }
    out << "    </properties>\n";
  }
  for (const auto& r : results.tests) {
    auto [classname, name] = junit_name(results.binary, r.id);
    out << "    <testcase classname=\"" << escape_markup(classname) << "\" name=\""
        << escape_markup(name) << "\"";
    if (!xunit2)
      out << " file=\"" << escape_markup(r.where.file) << "\" line=\"" << r.where.line << "\"";
    out << " time=\"" << time(r.duration_ms) << "\">\n";
    if (!xunit2) {
      out << "      <properties>\n"
          << "        <property name=\"verifies\" value=\"" << escape_markup(join(r.requirements))
          << "\"/>\n"
          << "        <property name=\"markers\" value=\"" << escape_markup(join(r.markers))
          << "\"/>\n";
      // A suite named with a dot would not map back: say the ID itself.
      if (junit_id(results.binary, classname, name) != r.id)
        out << "        <property name=\"id\" value=\"" << escape_markup(r.id) << "\"/>\n";
      out << "      </properties>\n";
    }
    // Attempts that failed before a pass, as Maven Surefire writes them (junit-10.xsd requires
    // their `type`).
    for (const auto& attempt : r.failed_attempts)
      out << "      <flakyFailure" << (xunit2 ? " type=\"failure\"" : "") << " message=\""
          << escape_markup(first_line(attempt)) << "\">" << escape_markup(attempt)
          << "</flakyFailure>\n";
    if (r.outcome == Outcome::failed)
      out << "      <failure message=\"" << escape_markup(first_line(r.message)) << "\">"
          << escape_markup(r.message) << "</failure>\n";
    else if (r.outcome == Outcome::skipped)
      out << "      <skipped message=\"" << escape_markup(r.message) << "\"/>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

namespace {

// A failure's whole text when it has one (the message attribute is often its
// first line only), else the attribute.
std::string failure_text(const pt::ptree& node) {
  std::string body = node.data();
  if (body.find_first_not_of(" \t\r\n") != std::string::npos) return body;
  return node.get<std::string>("<xmlattr>.message", "");
}

// xunit2's per-test properties on the <testsuite> ("verifies:<id>", "markers:<id>",
// "location:<id>"), applied to the testcases read from that suite.
void apply_suite_properties(const pt::ptree& suite, std::vector<TestOutcome>& out,
                            std::size_t first) {
  auto props = suite.get_child_optional("properties");
  if (!props) return;
  std::map<std::string, TestOutcome*> by_id;
  for (std::size_t i = first; i < out.size(); ++i) by_id[out[i].id] = &out[i];
  // "id:<derived>" first: the other properties name the test by its real ID.
  for (const auto& [ptag, prop] : *props) {
    auto name = prop.get<std::string>("<xmlattr>.name", "");
    if (ptag != "property" || !name.starts_with("id:")) continue;
    auto it = by_id.find(name.substr(3));
    auto value = prop.get<std::string>("<xmlattr>.value", "");
    if (it == by_id.end() || value.empty()) continue;
    TestOutcome* test = it->second;
    by_id.erase(it);
    test->id = value;
    by_id[value] = test;
  }
  for (const auto& [ptag, prop] : *props) {
    if (ptag != "property") continue;
    auto name = prop.get<std::string>("<xmlattr>.name", "");
    auto value = prop.get<std::string>("<xmlattr>.value", "");
    auto colon = name.find(':');
    if (colon == std::string::npos) continue;
    auto it = by_id.find(name.substr(colon + 1));
    if (it == by_id.end()) continue;
    auto kind = name.substr(0, colon);
    TestOutcome& r = *it->second;
    if (kind == "verifies") {
      r.has_requirements = true;
      for (auto& id : split_list(value)) r.requirements.push_back(std::move(id));
    } else if (kind == "markers") {
      r.markers = split_list(value);
    } else if (kind == "location" && r.where.file.empty()) {
      auto at = value.rfind(':');
      if (at == std::string::npos) continue;
      r.where.file = value.substr(0, at);
      try {
        r.where.line = std::stoul(value.substr(at + 1));
      } catch (const std::exception&) {
        r.where.line = 0;
      }
    }
  }
}

void read_testsuite(const pt::ptree& suite, const std::string& binary, const std::string& origin,
                    std::vector<TestOutcome>& out);

void read_testcases(const pt::ptree& suite, const std::string& binary, const std::string& origin,
                    std::vector<TestOutcome>& out) {
  for (const auto& [tag, node] : suite) {
    if (tag == "testsuite") {  // nested suites (some writers)
      read_testsuite(node, binary, origin, out);
      continue;
    }
    if (tag != "testcase") continue;
    TestOutcome r;
    r.binary = binary;
    r.id = junit_id(binary, node.get<std::string>("<xmlattr>.classname", ""),
                    node.get<std::string>("<xmlattr>.name", ""));
    if (r.id.empty()) throw InputError({origin}, "a <testcase> has no name");
    r.where.file = node.get<std::string>("<xmlattr>.file", "");
    r.where.line = node.get<std::size_t>("<xmlattr>.line", 0);
    // pytest writes the line 0-based (its node location), GoogleTest and attest 1-based.
    if (r.where.file.size() > 3 && r.where.file.ends_with(".py") &&
        node.get_optional<std::size_t>("<xmlattr>.line"))
      ++r.where.line;
    r.duration_ms = node.get<double>("<xmlattr>.time", 0.0) * 1000.0;
    if (auto f = node.get_child_optional("failure")) {
      r.outcome = Outcome::failed;
      r.message = failure_text(*f);
    } else if (auto e = node.get_child_optional("error")) {
      r.outcome = Outcome::failed;
      r.message = failure_text(*e);
    } else if (auto s = node.get_child_optional("skipped")) {
      r.outcome = Outcome::skipped;
      r.message = s->get<std::string>("<xmlattr>.message", "");
    }
    for (const auto& [child, value] : node)
      if (child == "flakyFailure" || child == "flakyError")
        r.failed_attempts.push_back(failure_text(value));
    if (auto props = node.get_child_optional("properties")) {
      for (const auto& [ptag, prop] : *props) {
        if (ptag != "property") continue;
        auto name = prop.get<std::string>("<xmlattr>.name", "");
        auto value = prop.get<std::string>("<xmlattr>.value", "");
        if (name == "verifies" || name == "requirements") {
          r.has_requirements = true;
          for (auto& id : split_list(value)) r.requirements.push_back(std::move(id));
        } else if (name == "markers") {
          r.markers = split_list(value);
        } else if (name == "id" && !value.empty()) {
          r.id = value;
        }
      }
    }
    out.push_back(std::move(r));
  }
}

void read_testsuite(const pt::ptree& suite, const std::string& binary, const std::string& origin,
                    std::vector<TestOutcome>& out) {
  std::size_t first = out.size();
  read_testcases(suite, binary, origin, out);
  apply_suite_properties(suite, out, first);
}

std::size_t count_attribute(const pt::ptree& node, const char* name) {
  return node.get<std::size_t>(std::string("<xmlattr>.") + name, 0);
}

}  // namespace

namespace detail {

Results read_junit(std::string_view text, const std::string& origin) {
  pt::ptree tree = parse_xml(text, origin);
  Results results;
  try {
    const pt::ptree* totals = nullptr;
    if (auto suites = tree.get_child_optional("testsuites")) {
      totals = &*suites;
      results.binary = suites->get<std::string>("<xmlattr>.name", "");
      for (const auto& [tag, suite] : *suites)
        if (tag == "testsuite")
          read_testsuite(suite,
                         results.binary.empty() ? suite.get<std::string>("<xmlattr>.name", "")
                                                : results.binary,
                         origin, results.tests);
    } else if (auto suite = tree.get_child_optional("testsuite")) {
      totals = &*suite;
      results.binary = suite->get<std::string>("<xmlattr>.name", "");
      read_testsuite(*suite, results.binary, origin, results.tests);
    } else {
      throw InputError({origin}, "not JUnit XML (no <testsuites> or <testsuite> root)");
    }
    results.summary = {0, count_attribute(*totals, "failures") + count_attribute(*totals, "errors"),
                       count_attribute(*totals, "skipped"),
                       totals->get<double>("<xmlattr>.time", 0.0) * 1000.0};
    std::size_t all = count_attribute(*totals, "tests");
    std::size_t not_passed = results.summary.failed + results.summary.skipped;
    results.summary.passed = all > not_passed ? all - not_passed : 0;
  } catch (const pt::ptree_bad_data& e) {
    throw InputError({origin}, std::string("malformed JUnit: ") + e.what());
  }
  return results;
}

}  // namespace detail
}  // namespace attest::trace
