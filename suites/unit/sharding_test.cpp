// Sharding's partition, as properties over generated suites: every shard count from 1 to 16
// splits a selection into disjoint shards that together are all of it, of equal size (±1),
// moving few tests when one is added; by duration, skewed suites come out balanced.
#include <attest/attest.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <random>
#include <set>

#include "options.hpp"
#include "sharding.hpp"

using attest::detail::assign_shards;
using attest::detail::ShardUnit;

namespace {

// A suite of `n` tests with names like real ones: suites, cases, data-driven and template cases.
std::vector<ShardUnit> generated_suite(std::size_t n, std::mt19937& rng) {
  static const char* shapes[] = {"orders/creates_{}", "orders/rejects_{}_twice", "parse/_{}",
                                 "sized<unsigned {}>", "api/v2/get item {}"};
  std::vector<ShardUnit> units;
  std::set<std::string> seen;
  while (units.size() < n) {
    std::string name = shapes[rng() % 5];
    name.replace(name.find("{}"), 2, std::to_string(rng() % 100000));
    if (seen.insert(name).second) units.push_back({name, std::nullopt});
  }
  return units;
}

// Sets or unsets variables for a scope, then puts back what was there: these tests also run
// inside a sharded Job, whose own JOB_COMPLETION_INDEX/ATTEST_TOTAL_SHARDS must neither leak in
// nor be lost.
struct ScopedEnv {
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  void remember(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    saved.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
  }
  void set(const std::string& name, const std::string& value) {
    remember(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void unset(const std::string& name) {
    remember(name);
    ::unsetenv(name.c_str());
  }
  ~ScopedEnv() {
    for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
      if (it->second)
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      else
        ::unsetenv(it->first.c_str());
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sharding, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(shards_are_disjoint_complete_and_even,
                     *attest::requirement("FR-096", "FR-097")) {
  std::mt19937 rng(20261124);
  for (std::size_t n : {0u, 1u, 2u, 7u, 16u, 100u, 1000u}) {
    auto units = generated_suite(n, rng);
    for (std::size_t total = 1; total <= 16; ++total) {
      auto shard = assign_shards(units, total, false);
      std::vector<std::size_t> size(total, 0);
      for (auto s : shard) {
        BOOST_TEST_REQUIRE(s < total);  // every unit in exactly one shard of range
        ++size[s];
      }
      auto [lo, hi] = std::minmax_element(size.begin(), size.end());
      BOOST_TEST(*hi - *lo <= 1u, "n=" << n << " total=" << total);
      // Deterministic: every shard process computes the same split.
      BOOST_TEST((assign_shards(units, total, false) == shard));
    }
  }
}

BOOST_AUTO_TEST_CASE(an_added_test_moves_few_others, *attest::requirement("FR-097")) {
  std::mt19937 rng(7);
  auto units = generated_suite(300, rng);
  for (std::size_t total = 2; total <= 16; ++total) {
    auto before = assign_shards(units, total, false);
    auto grown = units;
    grown.push_back({"orders/a_new_test", std::nullopt});
    auto after = assign_shards(grown, total, false);
    std::size_t moved = 0;
    for (std::size_t i = 0; i < units.size(); ++i) moved += before[i] != after[i];
    BOOST_TEST(moved <= total - 1, "total=" << total << " moved=" << moved);
  }
}

BOOST_AUTO_TEST_CASE(duration_balanced_shards_of_a_skewed_suite, *attest::requirement("FR-097")) {
  // 200 tests: most take milliseconds, a few take seconds (a long tail, as real suites have).
  std::mt19937 rng(42);
  auto units = generated_suite(200, rng);
  std::lognormal_distribution<double> skewed(3.0, 1.6);
  for (auto& u : units) u.duration_ms = skewed(rng);
  // (With many shards, one test longer than a shard's fair share caps any balance: 2 and 4 here.)
  for (std::size_t total : {2u, 4u}) {
    auto load_of = [&](const std::vector<std::size_t>& shard) {
      std::vector<double> load(total, 0);
      for (std::size_t i = 0; i < units.size(); ++i) load[shard[i]] += *units[i].duration_ms;
      return *std::max_element(load.begin(), load.end()) /
             *std::min_element(load.begin(), load.end());
    };
    double by_count = load_of(assign_shards(units, total, false));
    double by_duration = load_of(assign_shards(units, total, true));
    BOOST_TEST(by_duration <= 1.2, "total=" << total << " max/min=" << by_duration);
    BOOST_TEST(by_duration <= by_count);
  }
  // Tests without a history are placed as by default, counted at the mean duration.
  units[0].duration_ms.reset();
  units[1].duration_ms.reset();
  auto mixed = assign_shards(units, 4, true);
  auto plain = assign_shards(units, 4, false);
  BOOST_TEST(mixed[0] == plain[0]);
  BOOST_TEST(mixed[1] == plain[1]);
}

BOOST_AUTO_TEST_CASE(every_protocol_and_its_errors, *attest::requirement("FR-096")) {
  using attest::detail::shard_spec;
  using attest::detail::UsageError;
  auto error_of = [](auto f) -> std::string {
    try {
      f();
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no error";
  };
  ScopedEnv none;  // whatever shards this very run (a Job, a CI matrix) stays out of the checks
  for (const char* v : {"GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX", "GTEST_SHARD_STATUS_FILE",
                        "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "TEST_SHARD_STATUS_FILE",
                        "ATTEST_TOTAL_SHARDS", "JOB_COMPLETION_INDEX", "ATTEST_SHARD_INDEX"})
    none.unset(v);
  BOOST_TEST(!shard_spec(std::nullopt, std::nullopt, std::nullopt));
  auto flag = shard_spec(std::string("2/5"), std::nullopt, std::nullopt);
  BOOST_TEST((flag->index == 2u && flag->total == 5u && flag->source == "--shard"));
  {
    ScopedEnv env;
    env.set("GTEST_TOTAL_SHARDS", "3");
    env.set("GTEST_SHARD_INDEX", "1");
    env.set("GTEST_SHARD_STATUS_FILE", "/tmp/status");
    auto g = shard_spec(std::nullopt, std::nullopt, std::nullopt);
    BOOST_TEST((g->index == 1u && g->total == 3u && *g->status == "/tmp/status"));
    env.set("TEST_TOTAL_SHARDS", "4");  // Bazel's, where both are set
    env.set("TEST_SHARD_INDEX", "3");
    BOOST_TEST(shard_spec(std::nullopt, std::nullopt, std::nullopt)->source ==
               "TEST_SHARD_INDEX/TEST_TOTAL_SHARDS");
    env.set("ATTEST_TOTAL_SHARDS", "8");  // Kubernetes Indexed Job, ahead of both
    env.set("JOB_COMPLETION_INDEX", "7");
    auto k = shard_spec(std::nullopt, std::nullopt, std::nullopt);
    BOOST_TEST((k->index == 7u && k->total == 8u));
    BOOST_TEST(shard_spec(std::string("0/2"), std::nullopt, std::nullopt)->total ==
               2u);  // flag wins
    env.set("JOB_COMPLETION_INDEX", "8");
    BOOST_TEST(error_of([] { shard_spec(std::nullopt, std::nullopt, std::nullopt); }) ==
               "JOB_COMPLETION_INDEX/ATTEST_TOTAL_SHARDS: shard index 8 is out of range for 8 "
               "shards (indices count from 0 to 7)");
  }
  {
    ScopedEnv env;
    env.set("TEST_TOTAL_SHARDS", "4");
    BOOST_TEST(error_of([] { shard_spec(std::nullopt, std::nullopt, std::nullopt); }) ==
               "TEST_TOTAL_SHARDS is set but TEST_SHARD_INDEX is not");
  }
  BOOST_TEST(error_of([] { shard_spec(std::string("4"), std::nullopt, std::nullopt); }) ==
             "--shard takes INDEX/TOTAL (0-based: 0/4 ... 3/4), not '4'");
  BOOST_TEST(error_of([] { shard_spec(std::string("0/0"), std::nullopt, std::nullopt); }) ==
             "--shard: the number of shards must be at least 1");
  BOOST_TEST(error_of([] { shard_spec(std::string("a/2"), std::nullopt, std::nullopt); }) ==
             "--shard INDEX: not a whole number: 'a'");
  BOOST_TEST(error_of([] {
               shard_spec(std::string("0/2"), std::string("duration"), std::nullopt);
             }).find("needs --durations-from") != std::string::npos);
  BOOST_TEST(error_of([] {
               shard_spec(std::nullopt, std::nullopt, std::string("r.json"));
             }).find("need a shard") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
