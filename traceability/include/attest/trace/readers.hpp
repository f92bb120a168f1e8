// Readers: text in, model out. Each names its origin in errors
// (`origin:line:col: message`) and throws InputError; none touches the disk.
#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <attest/trace/model.hpp>

namespace attest::trace {

/// The ID pattern catalogs are read with unless the project says otherwise:
/// spec-kit's FR-001, SC-004, NFR-12, US-3 ...
inline constexpr const char* default_catalog_pattern = R"([A-Z][A-Z0-9]*-[0-9]+)";

/// spec-kit Markdown: `- **FR-001**: text`, `**SC-004**: text`, `- FR-002: text`, anywhere in
/// the file. `feature` qualifies every ID ("003-order-sync" → "003-order-sync/FR-001").
std::vector<Requirement> read_markdown_catalog(std::string_view text, const std::string& origin,
                                               const std::regex& id_pattern,
                                               const std::string& feature = {});

/// JSON: {"requirements": [{"id": "FR-001", "title": "...", "priority": "P1"}]}.
std::vector<Requirement> read_json_catalog(std::string_view text, const std::string& origin,
                                           const std::string& feature = {});

/// The runner's manifest (`--collect-only=json`).
std::vector<TestCase> read_manifest(std::string_view text, const std::string& origin);

/// attest results JSON (`--report-json`) or JUnit XML, told apart by content.
std::vector<TestOutcome> read_results(std::string_view text, const std::string& origin);

}  // namespace attest::trace
