// The property suite of property/ as its user runs it: a planted bug is shrunk to its
// minimal case, saved in the run cache and replayed first on the next run (which says so),
// until it passes, when it is forgotten; RapidCheck's own replay and --prop-seed agree.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include <regex>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kFailing = "numbers_properties/sorting_keeps_every_element";

attest::CommandResult run_numbers(const TempDir& tmp, std::vector<std::string> args = {},
                                  std::map<std::string, std::string> env = {}) {
  // The pasted regression case is checked on its own (the last test below).
  std::vector<std::string> argv{ATTEST_NUMBERS_BIN, "--cache-dir", (tmp.path / "cache").string(),
                                "-m", "not regression"};
  argv.insert(argv.end(), args.begin(), args.end());
  return attest_test::run_command(argv, ATTEST_NUMBERS_DIR, env);
}

std::vector<fs::path> saved_failures(const TempDir& tmp) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(tmp.path / "cache", ec))
    if (e.path().parent_path().filename() == "properties") files.push_back(e.path());
  return files;
}

// What the first line after `label` says, up to the end of the line.
std::string after(const std::string& text, const std::string& label) {
  auto at = text.find(label);
  if (at == std::string::npos) return "";
  at += label.size();
  return text.substr(at, text.find('\n', at) - at);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(property_suite, *attest::mark("e2e") * attest::requirement("FR-150"))

BOOST_AUTO_TEST_CASE(a_planted_bug_is_shrunk_saved_replayed_first_and_forgotten_once_fixed) {
  TempDir tmp;
  // 1. The bug is found and shrunk to the smallest input that shows it: the first number the bug loses, alone.
  auto first = run_numbers(tmp);
  BOOST_TEST(first.exit_code == 1, first.out + first.err);
  BOOST_TEST(contains(first.out, "FAILED " + kFailing), first.out);
  BOOST_TEST(contains(first.out, "([100])"), first.out);
  BOOST_TEST(!contains(first.out, "FAILED numbers_properties/clamping"), first.out);
  std::string seed = after(first.out, "seed: ");
  BOOST_TEST(!seed.empty(), first.out);
  BOOST_TEST(contains(first.out,
                      "keep it as a test: ATTEST_PROPERTY_REPLAY(sorting_keeps_every_element_case, "
                      "sorting_keeps_every_element, \""),
             first.out);
  auto files = saved_failures(tmp);
  BOOST_REQUIRE_EQUAL(files.size(), 1u);  // the failing property only
  auto saved = boost::json::parse(attest_test::read_file(files[0])).as_object();
  BOOST_TEST(saved.at("id").as_string() == kFailing);
  BOOST_TEST(contains(std::string(saved.at("counterexample").as_string()), "([100])"));

  // 2. The next run replays it first and says so; it fails again on that very case.
  auto second = run_numbers(tmp);
  BOOST_TEST(second.exit_code == 1, second.out + second.err);
  BOOST_TEST(contains(second.out + second.err, kFailing + ": replaying the failure saved in " +
                                                   files[0].string() + " first"),
             second.out + second.err);
  BOOST_TEST(contains(second.out, "property failed again on the replayed case"), second.out);
  BOOST_TEST(contains(second.out, "([100])"), second.out);
  BOOST_TEST(fs::exists(files[0]));

  // 3. RapidCheck's own replay of the printed reproduce string fails on the same case.
  std::string reproduce = after(first.out, "RC_PARAMS=\"reproduce=");
  reproduce = reproduce.substr(0, reproduce.find('"'));
  BOOST_REQUIRE(!reproduce.empty());
  auto rapidcheck = run_numbers(
      tmp,
      {"--cache-dir", (tmp.path / "other-cache").string(), "-k", "sorting_keeps_every_element"},
      {{"RC_PARAMS", "reproduce=" + reproduce}});
  BOOST_TEST(rapidcheck.exit_code == 1, rapidcheck.out + rapidcheck.err);
  BOOST_TEST(contains(rapidcheck.out, "([100])"), rapidcheck.out);

  // 4. With the bug fixed, the saved case is replayed, passes, and is forgotten.
  auto fixed = run_numbers(tmp, {}, {{"PLANTED_BUG", "fixed"}});
  BOOST_TEST(fixed.exit_code == 0, fixed.out + fixed.err);
  BOOST_TEST(
      contains(fixed.out + fixed.err, kFailing + ": the saved failure passes now; forgotten"),
      fixed.out + fixed.err);
  BOOST_TEST(saved_failures(tmp).empty());
  auto after_fix = run_numbers(tmp, {}, {{"PLANTED_BUG", "fixed"}});
  BOOST_TEST(after_fix.exit_code == 0, after_fix.out + after_fix.err);
  BOOST_TEST(!contains(after_fix.out + after_fix.err, "replaying"), after_fix.out + after_fix.err);
}

BOOST_AUTO_TEST_CASE(the_same_seed_finds_the_same_failure_after_the_same_tests) {
  TempDir one, two;
  auto a = run_numbers(one, {"--prop-seed", "4242", "-k", "sorting_keeps_every_element"});
  auto b = run_numbers(two, {"--prop-seed", "4242", "-k", "sorting_keeps_every_element"});
  BOOST_TEST(a.exit_code == 1, a.out + a.err);
  BOOST_TEST(after(a.out, "seed: ") == after(b.out, "seed: "));
  BOOST_TEST(contains(a.out, "seed: 4242"), a.out);
  std::regex falsifiable("Falsifiable after [0-9]+ tests? and [0-9]+ shrinks?");
  std::smatch ma, mb;
  BOOST_REQUIRE(std::regex_search(a.out, ma, falsifiable));
  BOOST_REQUIRE(std::regex_search(b.out, mb, falsifiable));
  BOOST_TEST(ma.str() == mb.str());
  // A bad $RC_PARAMS fails the properties saying why (RapidCheck itself would exit the
  // process, its message lost in the captured output).
  TempDir three;
  auto bad = run_numbers(three, {}, {{"RC_PARAMS", "seed=abc"}});
  BOOST_TEST(bad.exit_code == 1, bad.out + bad.err);
  BOOST_TEST(contains(bad.out, "RC_PARAMS is not a RapidCheck configuration"), bad.out + bad.err);
  BOOST_TEST(contains(bad.out, "attest: 0 passed, 2 failed"), bad.out);
  // --prop-max-success: a passing property runs as many cases as asked.
  auto many = run_numbers(one, {"--prop-max-success", "1000", "-k", "clamping"});
  BOOST_TEST(many.exit_code == 0, many.out + many.err);
}

BOOST_AUTO_TEST_CASE(a_failure_pasted_as_a_test_replays_that_case) {
  TempDir tmp;
  std::vector<std::string> argv{ATTEST_NUMBERS_BIN, "--cache-dir", (tmp.path / "cache").string(),
                                "-m", "regression"};
  auto buggy = attest_test::run_command(argv, ATTEST_NUMBERS_DIR);
  BOOST_TEST(buggy.exit_code == 1, buggy.out + buggy.err);
  BOOST_TEST(contains(buggy.out, "the replayed case fails"), buggy.out);
  BOOST_TEST(contains(buggy.out, "([100])"), buggy.out);
  auto fixed = attest_test::run_command(argv, ATTEST_NUMBERS_DIR, {{"PLANTED_BUG", "fixed"}});
  BOOST_TEST(fixed.exit_code == 0, fixed.out + fixed.err);
  BOOST_TEST(contains(fixed.out, "1 passed"), fixed.out);
}

BOOST_AUTO_TEST_SUITE_END()
