// Test support shared by attest's own suites: temp dirs, file helpers, and
// running programs (attest::run_command from attest::fixtures).
#pragma once

#include <attest/subprocess.hpp>

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace attest_test {

using attest::CommandResult;

/// A run cache for the test binaries this process runs (ATTEST_CACHE_DIR), so
/// they write none into the source tree or a directory a test expects empty.
const std::filesystem::path& run_cache_dir();

/// Runs argv (argv[0] a path) with `env` added to the environment, in `cwd` if given, for
/// `timeout` at most. ATTEST_CACHE_DIR is run_cache_dir() unless `env` says otherwise.
inline CommandResult run_command(const std::vector<std::string>& argv,
                                 const std::filesystem::path& cwd = {},
                                 std::map<std::string, std::string> env = {},
                                 std::chrono::seconds timeout = std::chrono::minutes(5)) {
  env.emplace("ATTEST_CACHE_DIR", run_cache_dir().string());
  return attest::run_command(argv, {cwd, env, timeout});
}

/// A fresh directory under $TMPDIR, removed by the destructor.
struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path path;
};

std::string read_file(const std::filesystem::path& path);

/// The 1-based line of `path` holding `needle` (std::runtime_error when none does).
std::size_t line_of(const std::filesystem::path& path, const std::string& needle);

/// What `f` threw (std::exception's what()), or "" when it did not throw.
std::string error_of(const std::function<void()>& f);

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// What a run left in its run directory `run_dir` (its entries) or running (processes whose
/// command line names it); "" when nothing.
std::string leftovers(const std::filesystem::path& run_dir);

/// Running, not merely a zombie waiting for its (possibly absent) reaper.
bool alive(pid_t pid);

/// Polls until `pid` is gone (10 s at most).
void wait_gone(pid_t pid, const std::string& what);
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace attest_test
