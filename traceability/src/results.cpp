// Result files: attest results JSON, or JUnit XML (attest's own, or any
// framework's; a `verifies` property makes a testcase count for requirements).
#include <attest/trace/readers.hpp>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <sstream>

#include "json_input.hpp"

namespace attest::trace {
namespace {

namespace pt = boost::property_tree;

Outcome outcome_from(const std::string& s, const std::string& origin, const std::string& path) {
  if (s == "passed") return Outcome::passed;
  if (s == "failed") return Outcome::failed;
  if (s == "skipped") return Outcome::skipped;
  throw InputError(origin + ": " + path + ".outcome: expected passed, failed or skipped, not '" +
                   s + "'");
}

std::vector<TestOutcome> read_results_json(std::string_view text, const std::string& origin) {
  std::vector<TestOutcome> out;
  std::string binary = detail::read_test_list(
      text, origin, "attest_results", "an attest results file",
      [&](const boost::json::object& t, const std::string& path) {
        TestOutcome r;
        r.id = detail::string_member(t, "id", origin, path);
        r.outcome = outcome_from(detail::string_member(t, "outcome", origin, path), origin, path);
        r.message = detail::string_member(t, "message", origin, path, false);
        r.has_requirements = t.contains("requirements");
        r.requirements = detail::strings_member(t, "requirements", origin, path);
        r.markers = detail::strings_member(t, "markers", origin, path);
        r.where.file = detail::string_member(t, "file", origin, path, false);
        if (auto line = t.find("line"); line != t.end() && line->value().is_int64())
          r.where.line = static_cast<std::size_t>(line->value().get_int64());
        out.push_back(std::move(r));
      });
  for (auto& r : out) r.binary = binary;
  return out;
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

// attest writes classname "suite.sub" and name "case" for id "suite/sub/case",
// and classname = the binary for top-level cases.
std::string test_id(const std::string& binary, std::string classname, const std::string& name) {
  if (classname.empty() || classname == binary) return name;
  for (auto& c : classname)
    if (c == '.') c = '/';
  return classname + "/" + name;
}

void read_testsuite(const pt::ptree& suite, const std::string& binary, const std::string& origin,
                    std::vector<TestOutcome>& out) {
  for (const auto& [tag, node] : suite) {
    if (tag == "testsuite") {  // nested suites (some writers)
      read_testsuite(node, binary, origin, out);
      continue;
    }
    if (tag != "testcase") continue;
    TestOutcome r;
    r.binary = binary;
    r.id = test_id(binary, node.get<std::string>("<xmlattr>.classname", ""),
                   node.get<std::string>("<xmlattr>.name", ""));
    if (r.id.empty()) throw InputError(origin + ": a <testcase> has no name");
    r.where.file = node.get<std::string>("<xmlattr>.file", "");
    r.where.line = node.get<std::size_t>("<xmlattr>.line", 0);
    if (auto f = node.get_child_optional("failure")) {
      r.outcome = Outcome::failed;
      r.message = f->get<std::string>("<xmlattr>.message", f->data());
    } else if (auto e = node.get_child_optional("error")) {
      r.outcome = Outcome::failed;
      r.message = e->get<std::string>("<xmlattr>.message", e->data());
    } else if (auto s = node.get_child_optional("skipped")) {
      r.outcome = Outcome::skipped;
      r.message = s->get<std::string>("<xmlattr>.message", "");
    }
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
        }
      }
    }
    out.push_back(std::move(r));
  }
}

// The XML parser recurses per element: refuse absurd nesting up front, so a
// hostile or corrupt file gets an error instead of exhausting the stack.
void check_nesting(std::string_view text, const std::string& origin) {
  constexpr int kMaxDepth = 256;
  int depth = 0;
  std::size_t line = 1;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text[i] != '<') continue;
    char next = text[i + 1];
    if (next == '/') {
      --depth;
    } else if (next != '?' && next != '!') {
      auto close = text.find('>', i);
      if (close == std::string_view::npos) return;  // the parser reports it
      if (text[close - 1] != '/' && ++depth > kMaxDepth)
        throw InputError(origin + ":" + std::to_string(line) + ": XML nested deeper than " +
                         std::to_string(kMaxDepth) + " elements");
    }
  }
}

std::vector<TestOutcome> read_junit(std::string_view text, const std::string& origin) {
  check_nesting(text, origin);
  pt::ptree tree;
  std::istringstream in{std::string(text)};
  try {
    pt::read_xml(in, tree);
  } catch (const pt::xml_parser_error& e) {
    throw InputError(origin + ":" + std::to_string(e.line()) + ": malformed XML: " + e.message());
  }
  std::vector<TestOutcome> out;
  try {
    if (auto suites = tree.get_child_optional("testsuites")) {
      std::string binary = suites->get<std::string>("<xmlattr>.name", "");
      for (const auto& [tag, suite] : *suites)
        if (tag == "testsuite")
          read_testsuite(suite,
                         binary.empty() ? suite.get<std::string>("<xmlattr>.name", "") : binary,
                         origin, out);
    } else if (auto suite = tree.get_child_optional("testsuite")) {
      read_testsuite(*suite, suite->get<std::string>("<xmlattr>.name", ""), origin, out);
    } else {
      throw InputError(origin + ": not JUnit XML (no <testsuites> or <testsuite> root)");
    }
  } catch (const pt::ptree_bad_data& e) {
    throw InputError(origin + ": malformed JUnit: " + e.what());
  }
  return out;
}

}  // namespace

std::vector<TestOutcome> read_results(std::string_view text, const std::string& origin) {
  auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string_view::npos) throw InputError(origin + ": empty results file");
  if (text[first] == '<') return read_junit(text, origin);
  return read_results_json(text, origin);
}

}  // namespace attest::trace
