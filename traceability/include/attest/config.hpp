// attest.json: the project's markers, its requirement-ID pattern and where its
// requirement catalogs live. Read by the runner (framework/) and by trace-check;
// part of attest::traceability because it has no Boost.Test dependency.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <attest/input_error.hpp>

namespace attest {

/// A problem with a config file; what() starts with `file:line:col: `.
class ConfigError : public InputError {
 public:
  using InputError::InputError;
};

/// The one default for requirement IDs, in markers and in catalogs alike:
/// spec-kit's FR-001, SC-004, NFR-12, US-3 ...
inline constexpr const char* default_requirement_pattern = R"([A-Z][A-Z0-9]*-[0-9]+)";

/// The requirement-ID pattern in force, and where it came from. An ID matches when it
/// matches whole, or is qualified by a spec-kit feature ("003-order-sync/FR-001") and
/// its last part matches.
struct RequirementPattern {
  std::string pattern = default_requirement_pattern;
  std::string source = "default";  // "default", the attest.json path, or the flag's name
  std::regex regex;

  bool matches(const std::string& id) const;
  /// "'FR-[0-9]{3}' (from attest.json)": for error messages.
  std::string describe() const;
};

/// How ReqIF catalogs map onto requirements (attest.json "reqif": {"id": [...], "title": [...]}):
/// attribute LONG-NAMEs tried in order, the first non-empty value wins. "IDENTIFIER" and
/// "LONG-NAME" name the SPEC-OBJECT's own attributes (Enterprise Architect titles that way).
struct ReqifMapping {
  std::vector<std::string> id = {"ReqIF.ForeignID", "ID", "UID", "Identifier", "Object Identifier",
                                 "IDENTIFIER"};
  std::vector<std::string> title = {"ReqIF.Name", "ReqIF.ChapterName", "Title", "TITLE", "Name",
                                    "LONG-NAME", "ReqIF.Text", "Text", "STATEMENT", "Object Text"};
};

struct Config {
  std::filesystem::path source;                // empty when no attest.json was found
  std::map<std::string, std::string> markers;  // name -> description, built-ins included
  RequirementPattern requirement_pattern;      // attest.json's, else the default
  std::vector<std::filesystem::path> requirements;  // resolved against the config's directory
  ReqifMapping reqif;
  std::string junit_family;  // "xunit1" | "xunit2" | "" (the runner's default)

  bool is_known_marker(const std::string& name) const { return markers.count(name) != 0; }
  bool is_valid_requirement(const std::string& id) const { return requirement_pattern.matches(id); }
};

/// The one place that decides the pattern: `flag` (a command line's --id-pattern) when
/// not empty, else the config's. `flag_name` names it in errors and in `source`; a bad
/// flag pattern throws InputError.
RequirementPattern requirement_pattern(const Config& config, const std::string& flag = {},
                                       const std::string& flag_name = "--id-pattern");

/// The built-in markers every project has.
const std::map<std::string, std::string>& builtin_markers();

/// Built-in markers and the default requirement pattern: the config of a project without
/// attest.json.
Config default_config();

/// Searches `attest.json` in `start` and its parents.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

/// Parses a config document; `origin` names it in error messages.
Config parse_config(std::string_view text, const std::filesystem::path& origin);

/// Loads the config: `explicit_path` (from --config), else $ATTEST_CONFIG, else the
/// nearest attest.json above the working directory, else built-ins only.
Config load_config(const std::optional<std::filesystem::path>& explicit_path);

}  // namespace attest
