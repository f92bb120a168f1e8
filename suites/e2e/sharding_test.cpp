// Sharding from the outside, under every protocol a CI system speaks: the shards of a real
// binary's selection (data-driven cases, dependencies, filters) are disjoint and together are
// the whole selection, for 1 to 16 shards; a shard runs, reports and signals as its protocol
// expects.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include <set>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::read_file;
using attest_test::TempDir;
namespace fs = std::filesystem;
using strings = std::vector<std::string>;
using Env = std::map<std::string, std::string>;

namespace {

const std::string kSampleConfig = std::string(ATTEST_SAMPLE_DIR) + "/attest.json";

// The ids --collect-only=json lists.
std::vector<std::string> collected(const std::string& binary, strings args, const Env& env = {},
                                   const std::string& config = kSampleConfig) {
  args.insert(args.begin(), {binary, "--config", config, "--collect-only=json"});
  auto r = attest_test::run_command(args, {}, env);
  BOOST_TEST_REQUIRE(r.exit_code == 0, binary << ": " << r.err);
  std::vector<std::string> ids;
  auto doc = boost::json::parse(r.out);  // kept: the loop below walks into it
  for (const auto& t : doc.at("tests").as_array()) ids.emplace_back(t.at("id").as_string());
  return ids;
}

// The shard `index` of `total` as each protocol asks for it.
struct Protocol {
  const char* name;
  std::function<std::pair<strings, Env>(std::size_t, std::size_t)> ask;
};
const std::vector<Protocol>& protocols() {
  static const std::vector<Protocol> all = {
      {"--shard",
       [](std::size_t i, std::size_t n) {
         return std::pair{strings{"--shard", std::to_string(i) + "/" + std::to_string(n)}, Env{}};
       }},
      {"GoogleTest",
       [](std::size_t i, std::size_t n) {
         return std::pair{strings{}, Env{{"GTEST_SHARD_INDEX", std::to_string(i)},
                                         {"GTEST_TOTAL_SHARDS", std::to_string(n)}}};
       }},
      {"Bazel",
       [](std::size_t i, std::size_t n) {
         return std::pair{strings{}, Env{{"TEST_SHARD_INDEX", std::to_string(i)},
                                         {"TEST_TOTAL_SHARDS", std::to_string(n)}}};
       }},
      {"Kubernetes Indexed Job", [](std::size_t i, std::size_t n) {
         return std::pair{strings{}, Env{{"JOB_COMPLETION_INDEX", std::to_string(i)},
                                         {"ATTEST_TOTAL_SHARDS", std::to_string(n)}}};
       }}};
  return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sharding_e2e, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(every_protocol_splits_the_selection_exactly, *attest::requirement("FR-096")) {
  struct Case {
    std::string binary;
    strings filter;  // applied before sharding
    std::string config = kSampleConfig;
  };
  for (const auto& c : {Case{ATTEST_SAMPLE_BIN, {"-m", "not failing"}}, Case{ATTEST_RERUN_BIN, {}},
                        Case{ATTEST_DBLAYER_BIN, {"-k", "not isolation"}, ATTEST_DBLAYER_CONFIG}}) {
    auto whole = collected(c.binary, c.filter, {}, c.config);
    BOOST_TEST_REQUIRE(whole.size() >= 5u);
    std::multiset<std::string> expected(whole.begin(), whole.end());
    for (const auto& p : protocols())
      for (std::size_t total = 1; total <= 16; ++total) {
        std::multiset<std::string> union_of_shards;
        for (std::size_t index = 0; index < total; ++index) {
          auto [args, env] = p.ask(index, total);
          args.insert(args.end(), c.filter.begin(), c.filter.end());
          for (const auto& id : collected(c.binary, args, env, c.config))
            union_of_shards.insert(id);
        }
        // Equal as multisets: everything, and nothing twice.
        BOOST_TEST((union_of_shards == expected), fs::path(c.binary).filename()
                                                      << " under " << p.name << ", " << total
                                                      << " shards");
      }
  }
}

BOOST_AUTO_TEST_CASE(dependent_tests_share_a_shard, *attest::requirement("FR-096")) {
  for (std::size_t total = 2; total <= 8; ++total)
    for (std::size_t index = 0; index < total; ++index) {
      auto ids = collected(ATTEST_RERUN_BIN,
                           {"--shard", std::to_string(index) + "/" + std::to_string(total)});
      bool prerequisite = std::count(ids.begin(), ids.end(), "chain/prerequisite") > 0;
      bool dependent = std::count(ids.begin(), ids.end(), "chain/dependent") > 0;
      BOOST_TEST(prerequisite == dependent, index << "/" << total);
    }
}

BOOST_AUTO_TEST_CASE(a_shard_runs_as_its_protocol_expects, *attest::requirement("FR-096")) {
  TempDir dir;
  auto junit = dir.path / "bazel.xml", status = dir.path / "sharded";
  auto run = attest_test::run_command(
      {ATTEST_SAMPLE_BIN, "--config", kSampleConfig, "-m", "not failing and not database"}, {},
      {{"TEST_SHARD_INDEX", "1"},
       {"TEST_TOTAL_SHARDS", "3"},
       {"TEST_SHARD_STATUS_FILE", status.string()},
       {"XML_OUTPUT_FILE", junit.string()}});
  BOOST_TEST(run.exit_code == 0, run.out + run.err);
  BOOST_TEST(contains(run.out, "attest: shard 1/3 (TEST_SHARD_INDEX/TEST_TOTAL_SHARDS): "),
             run.out);
  BOOST_TEST(fs::exists(status));  // "sharding honoured"
  auto xml = read_file(junit);     // JUnit where Bazel asked for it: this shard's tests only
  auto shard =
      collected(ATTEST_SAMPLE_BIN, {"-m", "not failing and not database", "--shard", "1/3"});
  BOOST_TEST(std::count(xml.begin(), xml.end(), '\n') > 0);
  std::size_t cases = 0;
  for (auto at = xml.find("<testcase"); at != std::string::npos; at = xml.find("<testcase", at + 1))
    ++cases;
  BOOST_TEST(cases == shard.size(), xml);

  // More shards than tests: the empty ones exit 0 (Bazel's convention), saying so.
  auto empty = attest_test::run_command(
      {ATTEST_SAMPLE_BIN, "--config", kSampleConfig, "-k", "parses_orders", "--shard", "1/2"});
  auto other = attest_test::run_command(
      {ATTEST_SAMPLE_BIN, "--config", kSampleConfig, "-k", "parses_orders", "--shard", "0/2"});
  BOOST_TEST(empty.exit_code == 0, empty.out + empty.err);
  BOOST_TEST(other.exit_code == 0, other.out + other.err);
  BOOST_TEST(contains(empty.out + other.out, "attest: nothing to run in this shard"));
  BOOST_TEST(contains(empty.out + other.out, "attest: 1 passed, 0 failed"));

  // A bad spec is a usage error naming where it came from.
  auto bad = attest_test::run_command({ATTEST_SAMPLE_BIN, "--config", kSampleConfig}, {},
                                      {{"GTEST_TOTAL_SHARDS", "2"}, {"GTEST_SHARD_INDEX", "2"}});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(
      contains(bad.err, "GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS: shard index 2 is out of range"),
      bad.err);
  auto text = attest_test::run_command(
      {ATTEST_SAMPLE_BIN, "--config", kSampleConfig, "--collect-only", "--shard", "0/2"});
  BOOST_TEST(contains(text.out, "shard 0/2 (--shard): "), text.out);
}

BOOST_AUTO_TEST_CASE(balanced_by_an_earlier_runs_durations, *attest::requirement("FR-097")) {
  TempDir dir;
  auto results = dir.path / "results.json";
  auto whole = attest_test::run_command({ATTEST_RERUN_BIN, "--config", kSampleConfig,
                                         "--report-json", results.string(), "-k", "chain"});
  BOOST_TEST_REQUIRE(fs::exists(results), whole.out + whole.err);
  std::multiset<std::string> seen;
  for (std::size_t i = 0; i < 3; ++i) {
    auto ids = collected(ATTEST_RERUN_BIN, {"--shard", std::to_string(i) + "/3", "--shard-by",
                                            "duration", "--durations-from", dir.path.string()});
    seen.insert(ids.begin(), ids.end());
  }
  auto all = collected(ATTEST_RERUN_BIN, {});
  BOOST_TEST((seen == std::multiset<std::string>(all.begin(), all.end())));
  auto bad = attest_test::run_command({ATTEST_RERUN_BIN, "--config", kSampleConfig, "--shard",
                                       "0/2", "--shard-by", "duration", "--durations-from",
                                       (dir.path / "absent.json").string()});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(contains(bad.err, "--durations-from: "), bad.err);
}

BOOST_AUTO_TEST_SUITE_END()
