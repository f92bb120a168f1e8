// YAML catalogs (yaml-cpp): Doorstop items — one `PREFIX001.yml` per
// requirement, its ID the file's name, with text, header, level, active,
// normative, links — and a plain list of {id, title, priority}. Errors carry
// file:line:col from yaml-cpp's marks.
#include <attest/trace/catalogs.hpp>

#include <attest/detail/yaml_input.hpp>

#include <yaml-cpp/yaml.h>

#include <filesystem>

namespace attest::trace {
namespace {

[[noreturn]] void fail(const std::string& origin, const YAML::Mark& mark, const std::string& what) {
  if (mark.is_null()) throw InputError({origin}, what);
  throw InputError(
      {origin, static_cast<std::size_t>(mark.line) + 1, static_cast<std::size_t>(mark.column) + 1},
      what);
}

std::string scalar(const YAML::Node& node, const char* key, const std::string& origin) {
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return {};
  if (!v.IsScalar()) fail(origin, v.Mark(), std::string("'") + key + "' must be text");
  return v.Scalar();
}

bool flag(const YAML::Node& node, const char* key, bool fallback, const std::string& origin) {
  const YAML::Node v = node[key];
  if (!v || v.IsNull()) return fallback;
  bool out = fallback;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out))
    fail(origin, v.Mark(), std::string("'") + key + "' must be true or false");
  return out;
}

std::string first_line(const std::string& text) {
  auto start = text.find_first_not_of(" \n\r\t");
  if (start == std::string::npos) return {};
  auto end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

Requirement make(std::string id, std::string title, const CatalogOptions& o,
                 const std::string& origin, const YAML::Mark& mark) {
  Requirement r;
  r.bare_id = std::move(id);
  r.feature = o.feature;
  r.id = o.feature.empty() ? r.bare_id : o.feature + "/" + r.bare_id;
  r.title = std::move(title);
  r.where = {origin, mark.is_null() ? 0 : static_cast<std::size_t>(mark.line) + 1};
  r.unclear = r.title.find("[NEEDS CLARIFICATION") != std::string::npos;
  return r;
}

}  // namespace

std::vector<Requirement> read_yaml_catalog(std::string_view text, const std::string& origin,
                                           const CatalogOptions& options) {
  detail::check_yaml_nesting(text, origin);
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    fail(origin, e.mark, "malformed YAML: " + e.msg);
  }
  std::vector<Requirement> out;
  try {
    if (doc.IsMap() && !doc["requirements"]) {
      // A Doorstop item: the ID is the file's name (REQ001.yml → REQ001).
      std::string id = std::filesystem::path(origin).stem().string();
      if (!flag(doc, "active", true, origin) || !flag(doc, "normative", true, origin)) return out;
      if (!std::regex_match(id, options.id_pattern)) return out;
      std::string body = scalar(doc, "text", origin), header = scalar(doc, "header", origin);
      header = first_line(header);  // `header: |` keeps its newline
      auto r = make(id, header.empty() ? first_line(body) : header, options, origin, doc.Mark());
      r.where.line = 1;
      r.section = scalar(doc, "level", origin);
      r.unclear = body.find("[NEEDS CLARIFICATION") != std::string::npos;
      out.push_back(std::move(r));
      return out;
    }
    YAML::Node list = doc.IsMap() ? doc["requirements"] : doc;
    if (!list.IsSequence())
      fail(origin, list.Mark(),
           "expected a Doorstop item, a list of requirements, or a 'requirements:' list");
    for (const auto& item : list) {
      if (!item.IsMap()) fail(origin, item.Mark(), "a requirement must be a map with an 'id'");
      std::string id = scalar(item, "id", origin);
      if (id.empty()) fail(origin, item.Mark(), "a requirement has no 'id'");
      if (!flag(item, "active", true, origin)) continue;
      std::string title = scalar(item, "title", origin);
      if (title.empty()) title = first_line(scalar(item, "text", origin));
      auto r = make(id, title, options, origin, item.Mark());
      r.priority = scalar(item, "priority", origin);
      r.section = scalar(item, "section", origin);
      out.push_back(std::move(r));
    }
  } catch (const YAML::Exception& e) {
    fail(origin, e.mark, e.msg);
  }
  return out;
}

}  // namespace attest::trace
