// Sharding: one selection split across processes or machines, deterministically, so that
// the union of the shards is the whole selection and no test runs twice. The protocols
// CI systems speak are all read here: --shard, GoogleTest's GTEST_* and Bazel's TEST_*
// variables, and Kubernetes Indexed Jobs' JOB_COMPLETION_INDEX with ATTEST_TOTAL_SHARDS.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace attest::detail {

struct ShardSpec {
  std::size_t index = 0;  // 0-based, as every protocol counts
  std::size_t total = 1;
  std::string source;                 // "--shard", "GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS", ...
  std::optional<std::string> status;  // a file to touch: the protocol's "sharding honoured"
  bool by_duration = false;           // --shard-by duration
  std::optional<std::string> durations_from;  // --durations-from FILE (results JSON or JUnit)
};

/// The shard this process runs, from `flag` (--shard INDEX/TOTAL) or else the environment;
/// nullopt when nothing asks for sharding. Throws UsageError naming the source for a bad spec.
std::optional<ShardSpec> shard_spec(const std::optional<std::string>& flag,
                                    const std::optional<std::string>& shard_by,
                                    const std::optional<std::string>& durations_from);

/// One unit of partitioning: the tests that must run together (a test and what it depends
/// on), named by its first test, with its past duration if known.
struct ShardUnit {
  std::string key;
  std::optional<double> duration_ms;
};

/// Which shard each unit goes to. By default, cut into equal runs in the order of a stable
/// hash of the keys (counts differ by at most one; a test added moves at most total - 1
/// others); by duration, the longest first onto the least loaded shard,
/// units without a history by hash (counted at the mean known duration).
std::vector<std::size_t> assign_shards(const std::vector<ShardUnit>& units, std::size_t total,
                                       bool by_duration);

/// Past durations by test id, from a results JSON or JUnit file (UsageError when unreadable).
std::map<std::string, double> read_durations(const std::string& file);

}  // namespace attest::detail
