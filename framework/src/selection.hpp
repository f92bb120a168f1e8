// -m / -k / --req selection. The verdict is written into Boost's own tree
// state (p_default_status), so Boost's execution, reporting and --list_content
// agree with attest; Boost's --run_test filters then apply on top of it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <attest/config.hpp>
#include "collection.hpp"
#include "options.hpp"
#include "sharding.hpp"

namespace attest::detail {

/// Sets TestInfo::selected. Throws UsageError for a malformed expression (with
/// its column) or a -m marker that is not registered.
void select_tests(std::vector<TestInfo>& tests, const Options& options, const Config& config);

/// Disables the deselected test cases and every suite left without an enabled child.
void apply_selection(const std::vector<TestInfo>& tests);

/// Adds to the selection what selected tests `depends_on` (as Boost's --run_test
/// does), so a selected test is never skipped for a prerequisite attest deselected.
/// Returns how many tests were added.
std::size_t select_prerequisites(std::vector<TestInfo>& tests);

/// Keeps only `spec`'s shard of the selection. Tests that depend on each other form one
/// unit (they run in the same shard); `durations` (by test id) balance --shard-by duration.
/// Returns how many tests were selected before sharding.
std::size_t shard_tests(std::vector<TestInfo>& tests, const ShardSpec& spec,
                        const std::map<std::string, double>& durations);

/// --ff: runs the tests in `first` before the others, wherever Boost's order allows
/// (siblings of equal dependency rank; a suite holding one of them before its siblings).
void run_first(const std::vector<TestInfo>& tests, const std::vector<bool>& first);

/// "-m 'slow', --req FR-001" — what the user filtered by, for messages.
std::string describe_filters(const Options& options);

}  // namespace attest::detail
