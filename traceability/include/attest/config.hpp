// attest.json: the project's markers, its requirement-ID pattern and where its
// requirement catalogs live. Read by the runner (framework/) and by trace-check;
// part of attest::traceability because it has no Boost.Test dependency.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace attest {

/// A problem with a config file; what() starts with `file:line:col: `.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Config {
  std::filesystem::path source;                // empty when no attest.json was found
  std::map<std::string, std::string> markers;  // name -> description, built-ins included
  std::string requirement_pattern;             // as written; default_requirement_pattern if absent
  std::regex requirement_regex;
  std::vector<std::filesystem::path> requirements;  // resolved against the config's directory

  bool is_known_marker(const std::string& name) const { return markers.count(name) != 0; }
  bool is_valid_requirement(const std::string& id) const;
};

/// IDs without whitespace or commas (a JUnit `verifies` property joins them with ',').
inline constexpr const char* default_requirement_pattern = R"([A-Za-z0-9][A-Za-z0-9_.:/-]*)";

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
