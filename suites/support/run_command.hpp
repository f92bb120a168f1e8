// Test support: run a program to completion and capture its output.
// A small stand-in until fixtures/ grows attest::Process (supervised children
// with logs, readiness and reaping); these tests only need exit code + output.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace attest_test {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out, err;
};

/// Runs argv[0] (a path) with `env` added to the current environment, in `cwd` if given.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::filesystem::path& cwd = {},
                          const std::map<std::string, std::string>& env = {});

/// A fresh directory under $TMPDIR, removed by the destructor.
struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path path;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace attest_test
