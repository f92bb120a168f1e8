// Side by side: Boost.Test's own example programs built with Boost's main and with
// attest::main (boost_examples/CMakeLists.txt), run the same way, compared on the
// exit status and on every test's outcome — as Boost's report gives it under each
// main, and as attest's results JSON gives it. Upstream's programs, not ours: the
// best regression test a runner that claims Boost.Test fidelity can have.
#include <attest/attest.hpp>

#include <boost/json.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <map>
#include <sstream>

#include "test_support.hpp"

using attest_test::read_file;
using attest_test::TempDir;
using Outcomes = std::map<std::string, std::string>;  // test id -> passed/failed/skipped

namespace {

struct Example {
  std::string name, boost_binary, attest_binary;
};

std::vector<Example> examples() {
  std::vector<Example> out;
  std::istringstream pairs(ATTEST_BOOST_EXAMPLE_PAIRS);
  for (std::string pair; std::getline(pairs, pair, ',');) {
    auto eq = pair.find('='), bar = pair.find('|');
    if (eq == std::string::npos || bar == std::string::npos) continue;
    out.push_back({pair.substr(0, eq), pair.substr(eq + 1, bar - eq - 1), pair.substr(bar + 1)});
  }
  return out;
}

// Boost's aborted and timed-out cases are failed ones in attest's vocabulary.
std::string outcome_of(const std::string& boost_result) {
  return boost_result == "aborted" || boost_result == "timed-out" ? "failed" : boost_result;
}

// Boost's detailed XML report: <TestResult><TestSuite name=master><TestCase .../><TestSuite ...>.
void walk(const boost::property_tree::ptree& suite, const std::string& prefix, Outcomes& out) {
  for (const auto& [tag, node] : suite) {
    if (tag == "TestCase")
      out[prefix + node.get<std::string>("<xmlattr>.name")] =
          outcome_of(node.get<std::string>("<xmlattr>.result"));
    else if (tag == "TestSuite")
      walk(node, prefix + node.get<std::string>("<xmlattr>.name") + "/", out);
  }
}

// Empty when the module never ran (its init function threw: Boost writes no report).
Outcomes boost_report(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return {};
  auto text = read_file(file);
  if (text.empty() || text.front() != '<') return {};  // "Test setup error: ..."
  boost::property_tree::ptree doc;
  std::istringstream in(text);
  boost::property_tree::read_xml(in, doc);
  Outcomes out;
  for (const auto& [tag, master] : doc.get_child("TestResult"))
    if (tag == "TestSuite") walk(master, "", out);  // the master suite's name is not in test ids
  return out;
}

// attest's results, less the cases disabled in the source: Boost counts them as
// skipped too, but its detailed report does not list them.
Outcomes attest_results(const std::filesystem::path& file, const Outcomes& listed_by_boost,
                        std::string& unlisted) {
  Outcomes out;
  if (!std::filesystem::exists(file)) return out;
  auto doc = boost::json::parse(read_file(file)).as_object();
  for (const auto& t : doc.at("tests").as_array()) {
    std::string id(t.at("id").as_string()), outcome(t.at("outcome").as_string());
    std::string message(t.at("message").as_string());
    if (!listed_by_boost.count(id) && outcome == "skipped" && message == "disabled") continue;
    if (!listed_by_boost.count(id)) unlisted += "\n  " + id + ": " + outcome + " (" + message + ")";
    out[id] = outcome;
  }
  return out;
}

std::string describe(const Outcomes& o) {
  std::string s;
  for (const auto& [id, outcome] : o) s += "\n  " + id + ": " + outcome;
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(boost_examples, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(behave_as_under_boosts_main, *attest::requirement("FR-087")) {
  auto all = examples();
  // Every example the harness knows was found and built (libboost1.81-doc installed).
  BOOST_TEST_REQUIRE(all.size() == 17u,
                     "Boost.Test examples not found in " ATTEST_BOOST_EXAMPLES_DIR
                     " (apt-get install libboost1.81-doc, then re-run cmake)");
  std::size_t failing_examples = 0;
  for (const auto& e : all) {
    BOOST_TEST_CONTEXT(e.name) {
      TempDir tmp;
      auto report_flags = [&](const std::string& file) -> std::vector<std::string> {
        return {"--report_level=detailed", "--report_format=XML",
                "--report_sink=" + (tmp.path / file).string()};
      };
      auto boost_args = report_flags("boost.xml");
      boost_args.insert(boost_args.begin(), e.boost_binary);
      auto under_boost = attest_test::run_command(boost_args, ATTEST_BOOST_EXAMPLES_DIR);

      auto attest_args = report_flags("attest.xml");
      attest_args.insert(attest_args.begin(), e.attest_binary);
      attest_args.push_back("--report-json");
      attest_args.push_back((tmp.path / "attest.json").string());
      auto under_attest = attest_test::run_command(attest_args, ATTEST_BOOST_EXAMPLES_DIR);

      // Fails exactly when Boost's main fails: with "tests failed" (1), or with a
      // set-up error (2) where Boost's init function threw and no test ran.
      BOOST_TEST((under_boost.exit_code == 0) == (under_attest.exit_code == 0),
                 "Boost's main exited " << under_boost.exit_code << ", attest's "
                                        << under_attest.exit_code << "\n"
                                        << under_attest.out << under_attest.err);
      failing_examples += under_boost.exit_code != 0;

      auto boost_outcomes = boost_report(tmp.path / "boost.xml");
      if (boost_outcomes.empty()) {
        BOOST_TEST(under_boost.exit_code != 0, under_boost.out << under_boost.err);
        BOOST_TEST(under_attest.exit_code == 2, under_attest.out << under_attest.err);
        BOOST_TEST(attest_test::contains(under_attest.err, "attest: error: test setup: "),
                   under_attest.err);
        continue;
      }
      BOOST_TEST((under_attest.exit_code == 0 || under_attest.exit_code == 1),
                 under_attest.out << under_attest.err);
      // Boost's own report says the same under either main...
      auto report_under_attest = boost_report(tmp.path / "attest.xml");
      BOOST_TEST(report_under_attest == boost_outcomes,
                 "Boost's main:" << describe(boost_outcomes)
                                 << "\nattest::main:" << describe(report_under_attest));
      // ...and so do attest's results.
      std::string unlisted;
      auto attest_outcomes = attest_results(tmp.path / "attest.json", boost_outcomes, unlisted);
      BOOST_TEST(attest_outcomes == boost_outcomes,
                 "Boost's main:" << describe(boost_outcomes)
                                 << "\nattest's results:" << describe(attest_outcomes)
                                 << "\nnot in Boost's report:" << unlisted);
    }
  }
  // Most of upstream's examples fail on purpose (the Jamfile's run-fail): both kinds are here.
  BOOST_TEST(failing_examples >= 8u);
  BOOST_TEST(failing_examples < all.size());
}

BOOST_AUTO_TEST_CASE(xunit2_junit_is_valid_for_jenkins_xunit, *attest::requirement("FR-106")) {
  // Jenkins' xUnit plugin validates JUnit against junit-10.xsd (pytest's own tests validate its
  // xunit2 output with it): every example's file under --junit-family=xunit2 must pass it, with
  // passes, failures, skips and set-up errors in it; xunit1 (the default) carries per-testcase
  // properties and file/line, which that schema refuses.
  const std::string xsd = ATTEST_JUNIT_XSD;
  std::size_t validated = 0, xunit1_refused = 0;
  for (const auto& e : examples()) {
    BOOST_TEST_CONTEXT(e.name) {
      TempDir tmp;
      auto x2 = (tmp.path / "x2.xml").string(), x1 = (tmp.path / "x1.xml").string();
      auto run2 = attest_test::run_command(
          {e.attest_binary, "--junitxml", x2, "--junit-family=xunit2"}, ATTEST_BOOST_EXAMPLES_DIR);
      auto run1 = attest_test::run_command({e.attest_binary, "--junitxml", x1},
                                           ATTEST_BOOST_EXAMPLES_DIR);
      if (!std::filesystem::exists(x2)) {  // a set-up error: no test ran, no file
        BOOST_TEST(run2.exit_code == 2, run2.out << run2.err);
        continue;
      }
      auto check2 = attest_test::run_command({"xmllint", "--noout", "--schema", xsd, x2});
      BOOST_TEST(check2.exit_code == 0, check2.err << read_file(x2));
      validated += check2.exit_code == 0;
      auto check1 = attest_test::run_command({"xmllint", "--noout", "--schema", xsd, x1});
      xunit1_refused += check1.exit_code != 0;
    }
  }
  BOOST_TEST(validated >= 12u);
  BOOST_TEST(xunit1_refused == validated);
}

BOOST_AUTO_TEST_SUITE_END()
