// The catalog formats trace-check reads. Adding one: its reader in its own
// catalog_<name>.cpp, and one line in the table below.
#include <attest/trace/catalogs.hpp>

#include "zip_archive.hpp"

#include <filesystem>
#include <sstream>

namespace attest::trace {
namespace {

std::vector<Requirement> markdown(std::string_view text, const std::string& origin,
                                  const CatalogOptions& o) {
  return read_markdown_catalog(text, origin, o.id_pattern, o.feature);
}

std::vector<Requirement> json(std::string_view text, const std::string& origin,
                              const CatalogOptions& o) {
  return read_json_catalog(text, origin, o.feature);
}

std::string_view start(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first == std::string_view::npos ? std::string_view() : text.substr(first, 512);
}

bool starts_with_brace(std::string_view text) { return start(text).substr(0, 1) == "{"; }

bool is_reqif(std::string_view text) {
  return detail::is_zip(text) || start(text).find("REQ-IF") != std::string_view::npos;
}

// A YAML catalog by content: its list of requirements, not any YAML (a Markdown
// bullet list starts with "- " too).
bool is_yaml_list(std::string_view text) {
  auto s = start(text);
  if (s.substr(0, 4) == "---\n") s = start(s.substr(4));
  return s.substr(0, 5) == "- id:" || s.substr(0, 13) == "requirements:";
}

bool has_extension(const CatalogFormat& f, const std::string& extension) {
  std::istringstream list(f.extensions);
  for (std::string e; list >> e;)
    if (e == extension) return true;
  return false;
}

}  // namespace

const std::vector<CatalogFormat>& catalog_formats() {
  static const std::vector<CatalogFormat> formats{
      {"JSON", ".json", starts_with_brace, json},
      {"ReqIF", ".reqif .reqifz", is_reqif, read_reqif_catalog},
      {"YAML (Doorstop items, or a list)", ".yml .yaml", is_yaml_list, read_yaml_catalog},
      {"spec-kit Markdown", ".md .markdown", nullptr, markdown},  // the fallback: stays last
  };
  return formats;
}

std::vector<Requirement> read_catalog(std::string_view text, const std::string& origin,
                                      const CatalogOptions& options) {
  const auto& formats = catalog_formats();
  std::string extension = std::filesystem::path(origin).extension().string();
  for (auto& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& f : formats)
    if (!extension.empty() && has_extension(f, extension)) return f.read(text, origin, options);
  for (const auto& f : formats)
    if (f.sniff && f.sniff(text)) return f.read(text, origin, options);
  return formats.back().read(text, origin, options);
}

}  // namespace attest::trace
