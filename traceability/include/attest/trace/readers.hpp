// Readers: text in, model out. Each names its origin in errors
// (`origin:line:col: message`) and throws InputError; none touches the disk.
#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <attest/trace/formats.hpp>  // read_manifest, read_results
#include <attest/trace/model.hpp>

namespace attest::trace {

/// spec-kit Markdown: `- **FR-001**: text`, `**SC-004**: text`, `- FR-002: text`, anywhere in
/// the file. `feature` qualifies every ID ("003-order-sync" → "003-order-sync/FR-001").
std::vector<Requirement> read_markdown_catalog(std::string_view text, const std::string& origin,
                                               const std::regex& id_pattern,
                                               const std::string& feature = {});

/// JSON: {"requirements": [{"id": "FR-001", "title": "...", "priority": "P1"}]}.
std::vector<Requirement> read_json_catalog(std::string_view text, const std::string& origin,
                                           const std::string& feature = {});

}  // namespace attest::trace
