// The coverage gate: thresholds for lines and branches, overall, per file and per
// requirement, and the messages that name what is below. A requirement's coverage is the
// code its tests reach: of the files they reach, the share of lines (and branches) at
// least one of its tests executed; a requirement whose tests reach nothing is at 0%.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <attest/coverage/record.hpp>

namespace attest::coverage {

struct Threshold {
  std::optional<double> line, branch;
  bool empty() const { return !line && !branch; }
};

/// "line=90,branch=75", "branch=75" or "90" (lines). Throws std::invalid_argument naming
/// `flag` on anything else.
Threshold parse_threshold(const std::string& flag, const std::string& spec);

struct RequirementCoverage {
  std::vector<std::uint32_t> tests;  // the record's tests that verify it
  std::size_t files = 0;             // files its tests reach
  Totals totals;                     // over those files: lines and branches its tests reach
};

/// Every requirement some test of the record verifies.
std::map<std::string, RequirementCoverage> requirement_coverage(const Record& record);

struct GateOptions {
  Threshold overall, per_file, per_requirement;
  std::filesystem::path root;  // for the file names in messages
};

/// What is below its threshold, one line each, worst first within a kind:
/// "src/f.cpp: line 50.0% < 80%", "FR-002: line 0% < 50% (its tests reach no measured code)".
/// Empty: the gate passes.
std::vector<std::string> check_gate(const Record& record, const GateOptions& options);

}  // namespace attest::coverage
