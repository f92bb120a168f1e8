// attest-discover: CTest's tests from a test binary's --collect-only=json manifest — one
// add_test() per case (or per suite), labelled with its markers and requirement IDs.
// attest_discover_tests() (cmake/AttestDiscovery.cmake) runs it; users never need to.
//   attest-discover --manifest M.json --executable EXE --out tests.cmake [--prefix P]
//     [--suffix S] [--extra-arg A]... [--property NAME=VALUE]... [--working-directory D]
//     [--output-dir D] [--granularity case|suite] [--test-list VAR]
// Exit codes: 0 written, 2 usage or an unreadable manifest.
#include <attest/detail/json_input.hpp>
#include <attest/detail/stable_hash.hpp>
#include <attest/trace/formats.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace {

struct Args {
  std::string manifest, executable, out, prefix, suffix, working_directory, output_dir;
  std::string granularity = "case", test_list;
  std::vector<std::string> extra_args, properties;
};

// A CMake bracket argument holds any text as is: spaces, quotes, <>, ;, $, \ and newlines.
std::string bracket(const std::string& text) {
  std::string eq;
  while (text.find("]" + eq + "]") != std::string::npos) eq += '=';
  return "[" + eq + "[" + text + "]" + eq + "]";
}

// A file name for a test's results: readable, and unique through a hash of the id.
std::string file_name(const std::string& id) {
  std::string out;
  for (char c : id)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  if (out.size() > 80) out.resize(80);
  std::ostringstream hex;
  hex << std::hex << (attest::detail::stable_hash(id) & 0xffffffffull);
  return out + "-" + hex.str();
}

// One CTest test: a case, or a suite standing for its cases.
struct Unit {
  std::string id;  // what --test selects
  std::set<std::string> labels;
  bool disabled = true;  // a suite is disabled only when all its cases are
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"attest-discover: CTest tests from an attest --collect-only=json manifest",
               "attest-discover"};
  Args a;
  app.add_option("--manifest", a.manifest, "the binary's --collect-only=json output")->required();
  app.add_option("--executable", a.executable, "the test binary")->required();
  app.add_option("--out", a.out, "the CTest script to write")->required();
  app.add_option("--prefix", a.prefix, "prepended to every test name");
  app.add_option("--suffix", a.suffix, "appended to every test name");
  app.add_option("--extra-arg", a.extra_args, "an argument for every test's command (repeatable)");
  app.add_option("--property", a.properties, "NAME=VALUE set on every test (repeatable)");
  app.add_option("--working-directory", a.working_directory, "where the tests run");
  app.add_option("--output-dir", a.output_dir,
                 "each test writes its results JSON and JUnit here (for trace-check)");
  app.add_option("--granularity", a.granularity, "case (one test per case) or suite")
      ->check(CLI::IsMember({"case", "suite"}));
  app.add_option("--test-list", a.test_list, "a variable to set to the list of tests");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  attest::trace::Manifest manifest;
  try {
    manifest =
        attest::trace::read_manifest_document(attest::detail::read_file(a.manifest), a.manifest);
  } catch (const std::exception& e) {
    std::cerr << "attest-discover: " << e.what() << "\n";
    return 2;
  }

  // Cases, or their suites, in the binary's order.
  std::vector<Unit> units;
  std::map<std::string, std::size_t> index;
  for (const auto& t : manifest.tests) {
    // A suite is a top-level one (its cases and every suite below): one process each. The
    // path says where the suite's name ends (a name may hold '/'); without it, the id does.
    std::string id = t.id;
    if (a.granularity == "suite") {
      if (t.path.size() > 1)
        id = t.path.front();
      else if (t.path.empty())
        if (auto slash = t.id.find('/'); slash != std::string::npos) id = t.id.substr(0, slash);
    }
    auto [it, added] = index.emplace(id, units.size());
    if (added) units.push_back({id, {}, true});
    Unit& u = units[it->second];
    u.labels.insert(t.markers.begin(), t.markers.end());
    u.labels.insert(t.requirements.begin(), t.requirements.end());
    u.disabled = u.disabled && !t.enabled;
  }

  std::map<std::string, std::string> properties;
  for (const auto& p : a.properties) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "attest-discover: --property takes NAME=VALUE, not '" << p << "'\n";
      return 2;
    }
    properties[p.substr(0, eq)] = p.substr(eq + 1);
  }
  std::string user_labels;
  if (auto l = properties.find("LABELS"); l != properties.end()) {
    user_labels = l->second;
    properties.erase(l);
  }

  std::ostringstream out;
  out << "# Written by attest-discover from " << a.manifest << ": do not edit.\n";
  std::vector<std::string> names;
  for (const auto& u : units) {
    std::string name = a.prefix + u.id + a.suffix;
    names.push_back(name);
    out << "add_test(" << bracket(name) << " " << bracket(a.executable);
    for (const auto& e : a.extra_args) out << " " << bracket(e);
    out << " --test " << bracket(u.id);
    if (!a.output_dir.empty()) {
      std::string base = a.output_dir + "/" + file_name(a.prefix + u.id + a.suffix);
      out << " --report-json " << bracket(base + ".json") << " --junitxml "
          << bracket(base + ".xml");
    }
    out << ")\n";
    std::string labels = user_labels;
    for (const auto& l : u.labels) labels += (labels.empty() ? "" : ";") + l;
    out << "set_tests_properties(" << bracket(name) << " PROPERTIES";
    if (!labels.empty()) out << " LABELS " << bracket(labels);
    // attest's last line when everything selected was skipped: CTest's "skipped", not "passed".
    out << " SKIP_REGULAR_EXPRESSION "
        << bracket("attest: 0 passed, 0 failed, [1-9][0-9]* skipped");
    if (!a.working_directory.empty()) out << " WORKING_DIRECTORY " << bracket(a.working_directory);
    if (u.disabled) out << " DISABLED TRUE";
    for (const auto& [k, v] : properties) out << " " << k << " " << bracket(v);
    out << ")\n";
  }
  if (!a.test_list.empty()) {
    out << "set(" << a.test_list;
    for (const auto& n : names) out << " " << bracket(n);
    out << ")\n";
  }
  std::string text = out.str();
  if (!attest::detail::write_file_atomically(a.out, text, 0644)) {
    std::cerr << "attest-discover: cannot write " << a.out << "\n";
    return 2;
  }
  return 0;
}
