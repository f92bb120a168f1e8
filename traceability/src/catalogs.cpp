// The catalog formats trace-check reads. Adding one: its reader in its own
// catalog_<name>.cpp, and one line in the table below.
#include <attest/trace/readers.hpp>

#include <filesystem>
#include <sstream>

namespace attest::trace {
namespace {

std::vector<Requirement> markdown(std::string_view text, const std::string& origin,
                                  const std::regex& id_pattern, const std::string& feature) {
  return read_markdown_catalog(text, origin, id_pattern, feature);
}

std::vector<Requirement> json(std::string_view text, const std::string& origin, const std::regex&,
                              const std::string& feature) {
  return read_json_catalog(text, origin, feature);
}

bool starts_with_brace(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && text[first] == '{';
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
      {"spec-kit Markdown", ".md .markdown", nullptr, markdown},  // the fallback: stays last
  };
  return formats;
}

std::vector<Requirement> read_catalog(std::string_view text, const std::string& origin,
                                      const std::regex& id_pattern, const std::string& feature) {
  const auto& formats = catalog_formats();
  std::string extension = std::filesystem::path(origin).extension().string();
  for (const auto& f : formats)
    if (!extension.empty() && has_extension(f, extension))
      return f.read(text, origin, id_pattern, feature);
  for (const auto& f : formats)
    if (f.sniff && f.sniff(text)) return f.read(text, origin, id_pattern, feature);
  return formats.back().read(text, origin, id_pattern, feature);
}

}  // namespace attest::trace
