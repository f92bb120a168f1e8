// The database-layer suite (dblayer/) as its user runs it: 64 tests green, its
// traceability gate at 100%, nothing left behind, and clean under valgrind.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Run {
  attest::CommandResult result;
  boost::json::object report;
};

// Runs the suite with its run directory under `tmp` (others may traverse it: as root
// the server runs as nobody), so that what it leaves behind can be seen.
Run run_dblayer(const TempDir& tmp, std::vector<std::string> prefix = {}) {
  fs::permissions(tmp.path, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  auto report = tmp.path / "results.json";
  std::vector<std::string> argv = std::move(prefix);
  argv.insert(argv.end(), {ATTEST_DBLAYER_BIN, "--report-json", report.string()});
  Run run{attest_test::run_command(argv, ATTEST_DBLAYER_DIR,
                                   {{"DBLAYER_MIGRATIONS", std::string(ATTEST_DBLAYER_DIR) + "/migrations"},
                                    {"ATTEST_RUN_DIR", (tmp.path / "run").string()}}),
          {}};
  if (fs::exists(report)) run.report = boost::json::parse(attest_test::read_file(report)).as_object();
  return run;
}

void expect_nothing_left(const TempDir& tmp) {
  auto left = attest_test::leftovers(tmp.path / "run");
  BOOST_TEST(left.empty(), left);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dblayer, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(a_database_layer_suite_runs_green_and_gates,
                     *attest::requirement("FR-062", "FR-066") * attest::mark("slow")) {
  TempDir tmp;
  auto r = run_dblayer(tmp);
  BOOST_TEST(r.result.exit_code == 0, r.result.out + r.result.err);
  const auto& summary = r.report.at("summary").as_object();
  BOOST_TEST(summary.at("passed").as_int64() >= 60);
  BOOST_TEST(summary.at("failed").as_int64() == 0);
  expect_nothing_left(tmp);
  auto gate = attest_test::run_command(
      {ATTEST_TRACE_CHECK, "--collect", ATTEST_DBLAYER_BIN, "--results",
       (tmp.path / "results.json").string(), "--threshold", "100", "--require-passing"},
      ATTEST_DBLAYER_DIR);
  BOOST_TEST(gate.exit_code == 0, gate.out + gate.err);
  BOOST_TEST(contains(gate.out, "PASSED: coverage 100% (8/8)"), gate.out);
}

BOOST_AUTO_TEST_CASE(the_suite_is_clean_under_valgrind,
                     *attest::requirement("FR-063") * attest::mark("slow")) {
  TempDir tmp;
  auto r = run_dblayer(tmp, {"valgrind", "--error-exitcode=99", "--errors-for-leak-kinds=none",
                             "--quiet"});
  BOOST_TEST(r.result.exit_code == 0, r.result.out + r.result.err);
  BOOST_TEST(!contains(r.result.err, "Invalid read"), r.result.err);
  BOOST_TEST(!contains(r.result.err, "Invalid write"), r.result.err);
  expect_nothing_left(tmp);
}

BOOST_AUTO_TEST_SUITE_END()
