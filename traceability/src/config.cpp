#include <attest/checked_regex.hpp>
#include <attest/config.hpp>

#include <attest/detail/json_input.hpp>

#include <boost/json.hpp>

#include <cstdlib>

namespace attest {
namespace {

namespace json = boost::json;

[[noreturn]] void fail_at(std::string_view text, const std::filesystem::path& origin,
                          std::string_view key, const std::string& what) {
  throw ConfigError(detail::locate_key(text, origin.string(), key), what);
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

bool RequirementPattern::matches(const std::string& id) const {
  auto slash = id.rfind('/');
  if (slash == std::string::npos) return std::regex_match(id, regex);
  return slash > 0 &&
         std::regex_match(id.begin() + static_cast<std::ptrdiff_t>(slash) + 1, id.end(), regex);
}

std::string RequirementPattern::describe() const {
  return "'" + pattern + "' (" + (source == "default" ? "the default" : "from " + source) + ")";
}

RequirementPattern requirement_pattern(const Config& config, const std::string& flag,
                                       const std::string& flag_name) {
  if (flag.empty()) return config.requirement_pattern;
  RequirementPattern p{flag, flag_name, {}};
  try {
    p.regex = checked_regex(flag);
  } catch (const std::regex_error& e) {
    throw InputError(flag_name + ": invalid regex '" + flag + "': " + e.what());
  }
  return p;
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
  config.requirement_pattern.regex = checked_regex(default_requirement_pattern);
  return config;
}

Config parse_config(std::string_view text, const std::filesystem::path& origin) {
  Config config = default_config();
  config.source = origin;

  json::value root;
  try {
    root = detail::parse_json(text, origin.string());
  } catch (const InputError& e) {
    throw ConfigError(e.where(), e.message());
  }
  if (!root.is_object())
    throw ConfigError({origin.string(), 1, 1}, "the config must be a JSON object");

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
      config.requirement_pattern.pattern = std::string(value.as_string());
      config.requirement_pattern.source = origin.filename().string();
    } else if (key == "requirements") {
      if (!value.is_array())
        fail_at(text, origin, key, "\"requirements\" must be an array of paths");
      for (const auto& entry : value.as_array()) {
        if (!entry.is_string())
          fail_at(text, origin, key, "\"requirements\" entries must be strings");
        config.requirements.push_back(origin.parent_path() / std::string(entry.as_string()));
      }
    } else if (key == "reqif") {
      if (!value.is_object())
        fail_at(text, origin, key,
                "\"reqif\" must be an object: {\"id\": [...], \"title\": [...]}");
      for (const auto& [field, names] : value.as_object()) {
        if (field != "id" && field != "title")
          fail_at(text, origin, field,
                  "unknown key \"" + std::string(field) + "\" in \"reqif\" (expected id, title)");
        std::vector<std::string> list;
        if (names.is_string()) list.emplace_back(names.as_string());
        if (names.is_array())
          for (const auto& n : names.as_array())
            if (n.is_string()) list.emplace_back(n.as_string());
        if (list.empty() || (names.is_array() && list.size() != names.as_array().size()))
          fail_at(text, origin, field,
                  "\"reqif\"." + std::string(field) + " must be a name or a list of names");
        (field == "id" ? config.reqif.id : config.reqif.title) = std::move(list);
      }
    } else if (key == "junit_family") {
      if (!value.is_string() || (value.as_string() != "xunit1" && value.as_string() != "xunit2"))
        fail_at(text, origin, key, "\"junit_family\" must be \"xunit1\" or \"xunit2\"");
      config.junit_family = std::string(value.as_string());
    } else if (key == "services" || key == "compose") {
      // The test environment's declaration: attest::read_environment_spec() validates it.
      if (key == "compose") continue;
      if (!value.is_object())
        fail_at(text, origin, key, "\"services\" must be an object of name: declaration");
    } else {
      fail_at(text, origin, key,
              "unknown key \"" + std::string(key) +
                  "\" (expected markers, requirement_pattern, requirements, reqif, junit_family, "
                  "services, compose)");
    }
  }

  auto& rp = config.requirement_pattern;
  if (rp.source == "default") return config;
  try {
    rp.regex = checked_regex(rp.pattern);
  } catch (const std::regex_error& e) {
    fail_at(text, origin, "requirement_pattern",
            "invalid requirement_pattern '" + rp.pattern + "': " + e.what());
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
      throw ConfigError({path->string()}, "config file not found");
  } else {
    path = find_config(std::filesystem::current_path());
  }
  if (!path) return default_config();
  std::string text;
  try {
    text = detail::read_file(*path);
  } catch (const InputError&) {
    throw ConfigError({path->string()}, "cannot read config file");
  }
  return parse_config(text, *path);
}

}  // namespace attest
