#include "sharding.hpp"

#include <attest/detail/json_input.hpp>
#include <attest/detail/stable_hash.hpp>
#include <attest/trace/formats.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "options.hpp"

namespace attest::detail {
namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

std::size_t number(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size())
    throw UsageError(what + ": not a whole number: '" + text + "'");
  return n;
}

ShardSpec checked(std::size_t index, std::size_t total, std::string source) {
  if (total == 0) throw UsageError(source + ": the number of shards must be at least 1");
  if (index >= total)
    throw UsageError(source + ": shard index " + std::to_string(index) + " is out of range for " +
                     std::to_string(total) + " shards (indices count from 0 to " +
                     std::to_string(total - 1) + ")");
  ShardSpec s;
  s.index = index;
  s.total = total;
  s.source = std::move(source);
  return s;
}

// INDEX and TOTAL from two variables, when the TOTAL one is set.
std::optional<ShardSpec> from_variables(const char* index_var, const char* total_var,
                                        const char* status_var) {
  auto total = env(total_var);
  if (!total) return std::nullopt;
  auto index = env(index_var);
  std::string source = std::string(index_var) + "/" + total_var;
  if (!index) throw UsageError(std::string(total_var) + " is set but " + index_var + " is not");
  auto s = checked(number(*index, index_var), number(*total, total_var), source);
  if (status_var) s.status = env(status_var);
  return s;
}

}  // namespace

std::optional<ShardSpec> shard_spec(const std::optional<std::string>& flag,
                                    const std::optional<std::string>& shard_by,
                                    const std::optional<std::string>& durations_from) {
  std::optional<ShardSpec> spec;
  if (flag) {
    auto slash = flag->find('/');
    if (slash == std::string::npos)
      throw UsageError("--shard takes INDEX/TOTAL (0-based: 0/4 ... 3/4), not '" + *flag + "'");
    spec = checked(number(flag->substr(0, slash), "--shard INDEX"),
                   number(flag->substr(slash + 1), "--shard TOTAL"), "--shard");
  } else if (auto total = env("ATTEST_TOTAL_SHARDS")) {
    // Kubernetes Indexed Jobs number their pods in JOB_COMPLETION_INDEX; ATTEST_SHARD_INDEX
    // serves anything else.
    const char* index_var =
        env("ATTEST_SHARD_INDEX") ? "ATTEST_SHARD_INDEX" : "JOB_COMPLETION_INDEX";
    auto index = env(index_var);
    if (!index)
      throw UsageError(
          "ATTEST_TOTAL_SHARDS is set but neither JOB_COMPLETION_INDEX nor ATTEST_SHARD_INDEX is");
    spec = checked(number(*index, index_var), number(*total, "ATTEST_TOTAL_SHARDS"),
                   std::string(index_var) + "/ATTEST_TOTAL_SHARDS");
  } else if (auto bazel = from_variables("TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS",
                                         "TEST_SHARD_STATUS_FILE")) {
    spec = bazel;
  } else if (auto gtest = from_variables("GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS",
                                         "GTEST_SHARD_STATUS_FILE")) {
    spec = gtest;
  }
  if (shard_by && *shard_by != "duration" && *shard_by != "hash")
    throw UsageError("--shard-by takes duration or hash, not '" + *shard_by + "'");
  bool by_duration = shard_by && *shard_by == "duration";
  if (by_duration && !durations_from)
    throw UsageError(
        "--shard-by duration needs --durations-from FILE (an earlier run's "
        "--report-json or JUnit)");
  if (!spec) {
    if (shard_by || durations_from)
      throw UsageError(
          "--shard-by and --durations-from need a shard (--shard INDEX/TOTAL or "
          "a sharding protocol's variables)");
    return std::nullopt;
  }
  spec->by_duration = by_duration;
  spec->durations_from = durations_from;
  return spec;
}

std::vector<std::size_t> assign_shards(const std::vector<ShardUnit>& units, std::size_t total,
                                       bool by_duration) {
  // The units in the order of a stable hash of their keys, cut into `total` contiguous runs of
  // equal length (±1): balanced by count, and a unit added anywhere moves at most one unit
  // across each cut, total - 1 in all (a hash modulo total would move none, but leaves small
  // suites lopsided; an index modulo total balances, but moves nearly everything).
  std::vector<std::size_t> order(units.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<std::uint64_t> hash(units.size());
  for (std::size_t i = 0; i < units.size(); ++i) hash[i] = stable_hash(units[i].key);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return hash[a] != hash[b] ? hash[a] < hash[b] : units[a].key < units[b].key;
  });
  std::vector<std::size_t> shard(units.size());
  for (std::size_t r = 0; r < order.size(); ++r) shard[order[r]] = r * total / order.size();
  if (!by_duration || total == 1) return shard;

  // Longest processing time first: each known unit, longest first, onto the shard with the
  // least work so far; the unknown ones stay where the hash put them, at the mean duration.
  std::vector<std::size_t> known;
  double sum = 0;
  for (std::size_t i = 0; i < units.size(); ++i)
    if (units[i].duration_ms) {
      known.push_back(i);
      sum += *units[i].duration_ms;
    }
  if (known.empty()) return shard;
  double mean = sum / static_cast<double>(known.size());
  std::vector<double> load(total, 0.0);
  for (std::size_t i = 0; i < units.size(); ++i)
    if (!units[i].duration_ms) load[shard[i]] += mean;
  std::stable_sort(known.begin(), known.end(), [&](std::size_t a, std::size_t b) {
    if (*units[a].duration_ms != *units[b].duration_ms)
      return *units[a].duration_ms > *units[b].duration_ms;
    return units[a].key < units[b].key;
  });
  for (auto i : known) {
    auto least =
        static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    shard[i] = least;
    load[least] += *units[i].duration_ms;
  }
  return shard;
}

std::map<std::string, double> read_durations(const std::string& path) {
  // A file, or a directory of them (every shard's results of an earlier run).
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(path, ec))
      if (e.is_regular_file() &&
          (e.path().extension() == ".json" || e.path().extension() == ".xml"))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  std::map<std::string, double> out;
  for (const auto& file : files) {
    try {
      for (const auto& t : trace::read_results(read_file(file), file.string()))
        out[t.id] = t.duration_ms;
    } catch (const InputError& e) {
      throw UsageError("--durations-from: " + std::string(e.what()));
    }
  }
  return out;
}

}  // namespace attest::detail
