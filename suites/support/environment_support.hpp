// What the e2e suites that start a shared environment share: a test binary run as two test
// processes of one run at once inside it. Header-only.
#pragma once

#include <attest/polling.hpp>
#include <attest/process.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace attest_test {

/// `binary` run twice at once ("one", "two") in the environment `env_dir`, each with its own
/// cache directory under `scratch`, from `cwd`; returns both once they finished (60 s at most).
inline std::vector<std::unique_ptr<attest::Process>> run_two_at_once(
    const std::string& binary, const std::filesystem::path& env_dir,
    const std::filesystem::path& scratch, const std::filesystem::path& cwd) {
  std::vector<std::unique_ptr<attest::Process>> runs;
  for (const char* name : {"one", "two"})
    runs.push_back(std::make_unique<attest::Process>(
        binary, attest::ProcessOptions{.args = {},
                                       .env = {{"ATTEST_ENV", env_dir.string()},
                                               {"ATTEST_CACHE_DIR", (scratch / name).string()}},
                                       .cwd = cwd,
                                       .name = name}));
  attest::wait_for_condition(
      [&] { return !runs[0]->running() && !runs[1]->running(); },
      {.timeout = std::chrono::seconds(60), .description = "both test binaries to finish"});
  return runs;
}

}  // namespace attest_test
