// The run cache, pytest's .pytest_cache for one test binary: what the last runs
// found, so the next can rerun the failures (--lf), run them first (--ff) or go on
// where a stepwise run stopped (--sw). It lives in <dir>/<binary>/:
//   results.json     the last run's results document (what --report-json writes)
//   lastfailed.json  the tests whose last run failed, merged over runs: a failure is
//                    remembered until that test runs again (a run of other tests keeps it)
//   stepwise         the test a --sw run stopped at
// <dir> holds a .gitignore of "*": the cache never lands in a commit.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include <attest/trace/formats.hpp>

namespace attest::detail {

class RunCache {
 public:
  /// dir: --cache-dir, else $ATTEST_CACHE_DIR, else ./.attest_cache.
  RunCache(const std::optional<std::string>& dir, const std::string& binary);

  /// --cache-clear: forgets everything about this binary.
  void clear();

  /// The tests whose last run failed (empty without a cache). A malformed cache is
  /// ignored with a warning on stderr: it is ours to rewrite, not the user's input.
  std::set<std::string> last_failed() const;

  std::optional<std::string> stepwise() const;

  /// Merges this run's results into the cache and records (or clears) the stepwise
  /// position. Failing to write warns and returns: the run's outcome stands.
  void update(const trace::ResultsSource& run, const std::optional<std::string>& stepwise_at,
              bool stepwise_run) const;

  const std::filesystem::path& directory() const { return dir_; }

 private:
  std::filesystem::path root_;
  std::filesystem::path dir_;
};

}  // namespace attest::detail
