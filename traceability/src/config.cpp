#include <attest/checked_regex.hpp>
#include <attest/config.hpp>

#include "json_input.hpp"

#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace attest {
namespace {

namespace json = boost::json;
using trace::detail::line_col;

// Where a top-level key starts in the text: good enough to point a reader at
// the offending member without a position-tracking JSON parser.
std::string key_location(std::string_view text, const std::filesystem::path& origin,
                         std::string_view key) {
  std::string quoted = "\"" + std::string(key) + "\"";
  auto pos = text.find(quoted);
  auto [line, col] = line_col(text, pos == std::string_view::npos ? 0 : pos);
  return origin.string() + ":" + std::to_string(line) + ":" + std::to_string(col);
}

[[noreturn]] void fail_at(std::string_view text, const std::filesystem::path& origin,
                          std::string_view key, const std::string& what) {
  throw ConfigError(key_location(text, origin, key) + ": " + what);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string() + ": cannot read config file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool valid_marker_name(const std::string& name) {
  // Marker names appear in -m expressions: they must be expression identifiers.
  if (name.empty() || name == "and" || name == "or" || name == "not") return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

}  // namespace

const std::map<std::string, std::string>& builtin_markers() {
  static const std::map<std::string, std::string> markers{
      {"unit", "fast, isolated tests with no external services"},
      {"integration", "tests against real services (PostgreSQL, Redis, HTTP peers)"},
      {"e2e", "end-to-end tests of whole programs or deployments"},
      {"slow", "tests that take long; deselect with -m \"not slow\""},
  };
  return markers;
}

bool Config::is_valid_requirement(const std::string& id) const {
  return std::regex_match(id, requirement_regex);
}

std::optional<std::filesystem::path> find_config(const std::filesystem::path& start) {
  std::error_code ec;
  auto dir = std::filesystem::absolute(start, ec);
  if (ec) return std::nullopt;
  for (;;) {
    auto candidate = dir / "attest.json";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

Config default_config() {
  Config config;
  config.markers = builtin_markers();
  config.requirement_pattern = default_requirement_pattern;
  config.requirement_regex = checked_regex(config.requirement_pattern);
  return config;
}

Config parse_config(std::string_view text, const std::filesystem::path& origin) {
  Config config = default_config();
  config.source = origin;

  json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    auto [line, col] = line_col(text, consumed);
    throw ConfigError(origin.string() + ":" + std::to_string(line) + ":" + std::to_string(col) +
                      ": malformed JSON: " + ec.message());
  }
  json::value root = parser.release();
  if (!root.is_object())
    throw ConfigError(origin.string() + ":1:1: the config must be a JSON object");

  for (const auto& [key, value] : root.as_object()) {
    if (key == "markers") {
      if (!value.is_object())
        fail_at(text, origin, key, "\"markers\" must be an object of name: description");
      for (const auto& [name, description] : value.as_object()) {
        std::string marker(name);
        if (!valid_marker_name(marker))
          fail_at(text, origin, name,
                  "invalid marker name '" + marker + "' (letters, digits, '_', '-', '.')");
        if (!description.is_string())
          fail_at(text, origin, name,
                  "the description of marker '" + marker + "' must be a string");
        config.markers[marker] = std::string(description.as_string());
      }
    } else if (key == "requirement_pattern") {
      if (!value.is_string())
        fail_at(text, origin, key, "\"requirement_pattern\" must be a string");
      config.requirement_pattern = std::string(value.as_string());
    } else if (key == "requirements") {
      if (!value.is_array())
        fail_at(text, origin, key, "\"requirements\" must be an array of paths");
      for (const auto& entry : value.as_array()) {
        if (!entry.is_string())
          fail_at(text, origin, key, "\"requirements\" entries must be strings");
        config.requirements.push_back(origin.parent_path() / std::string(entry.as_string()));
      }
    } else {
      fail_at(text, origin, key,
              "unknown key \"" + std::string(key) +
                  "\" (expected markers, requirement_pattern, requirements)");
    }
  }

  if (config.requirement_pattern == default_requirement_pattern) return config;
  try {
    config.requirement_regex = checked_regex(config.requirement_pattern);
  } catch (const std::regex_error& e) {
    fail_at(text, origin, "requirement_pattern",
            "invalid requirement_pattern '" + config.requirement_pattern + "': " + e.what());
  }
  return config;
}

Config load_config(const std::optional<std::filesystem::path>& explicit_path) {
  std::optional<std::filesystem::path> path = explicit_path;
  if (!path) {
    if (const char* env = std::getenv("ATTEST_CONFIG"); env && *env) path = env;
  }
  if (path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*path, ec))
      throw ConfigError(path->string() + ": config file not found");
  } else {
    path = find_config(std::filesystem::current_path());
  }
  if (!path) return default_config();
  return parse_config(read_file(*path), *path);
}

}  // namespace attest
