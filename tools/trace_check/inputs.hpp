// trace-check's I/O: reading files, expanding catalog paths, collecting test
// binaries (directly or through CTest). Everything here throws
// attest::trace::InputError with a location on bad input.
#pragma once

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <attest/trace/catalogs.hpp>
#include <attest/trace/model.hpp>

namespace trace_check {

std::string read_text(const std::filesystem::path& path);

/// The results files `args` name: files as given; a directory gives every attest results
/// JSON and JUnit XML below it (sorted); a pattern with * ? [ is a glob. A directory or glob
/// that matches nothing is an InputError.
std::vector<std::string> expand_results(const std::vector<std::string>& args);

/// Catalog files and directories: a directory contributes every spec.md below it, else
/// every Doorstop item (*.yml beside a .doorstop.yml) below it;
/// a spec.md inside a spec-kit feature directory (`003-order-sync/`) has its IDs
/// qualified by that directory's name; each file is read as the format its extension or
/// content says (attest::trace::read_catalog).
std::vector<attest::trace::Requirement> read_catalogs(const std::vector<std::string>& paths,
                                                      const attest::trace::CatalogOptions& options);

/// Runs `binary --collect-only=json` (with `extra_args`, in `cwd`) and reads its manifest.
std::vector<attest::trace::TestCase> collect_binary(const std::string& binary,
                                                    const std::vector<std::string>& extra_args,
                                                    const std::filesystem::path& cwd);

/// What a build directory's CTest tests say: the attest binaries among them, collected once
/// each however many tests run them (attest_discover_tests registers one per case), and the
/// results files their commands write (--report-json, else --junitxml) that exist.
struct BuildDir {
  std::vector<attest::trace::TestCase> tests;
  std::vector<std::string> results;
};
BuildDir collect_build_dir(const std::filesystem::path& build_dir);

}  // namespace trace_check
