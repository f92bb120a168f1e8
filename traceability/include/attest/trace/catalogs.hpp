// Requirement catalogs of every format attest reads, behind one registry: the
// CLI hands over a file's text and name, the registry picks the reader by the
// name's extension, else the content. Target attest::catalogs (ReqIF needs
// Boost.Iostreams for .reqifz, YAML needs yaml-cpp); the spec-kit Markdown and
// JSON readers alone are in attest::traceability (<attest/trace/readers.hpp>).
#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <attest/config.hpp>
#include <attest/trace/model.hpp>
#include <attest/trace/readers.hpp>

namespace attest::trace {

struct CatalogOptions {
  std::regex id_pattern = std::regex(default_requirement_pattern);
  std::string feature;  // qualifies every ID: "003-order-sync" → "003-order-sync/FR-001"
  ReqifMapping reqif;   // which ReqIF attributes hold the ID and the title
};

/// ReqIF 1.0/1.2, or a .reqifz zip archive holding one.
std::vector<Requirement> read_reqif_catalog(std::string_view data, const std::string& origin,
                                            const CatalogOptions& options);

/// YAML: a Doorstop item (`PREFIX001.yml`: text, header, level, active, normative,
/// links; the ID is the file's name), or a list of {id, title, priority} (alone, or
/// under a `requirements` key).
std::vector<Requirement> read_yaml_catalog(std::string_view text, const std::string& origin,
                                           const CatalogOptions& options);

/// A requirements catalog format: how to recognise a file of it and how to read one.
struct CatalogFormat {
  const char* name;        // "spec-kit Markdown", for help texts and errors
  const char* extensions;  // ".md .markdown": chosen by the file's extension first
  bool (*sniff)(std::string_view text);  // else by content (nullptr: never)
  std::vector<Requirement> (*read)(std::string_view text, const std::string& origin,
                                   const CatalogOptions& options);
};

/// Every catalog format, in the order they are tried; the last one is the fallback.
const std::vector<CatalogFormat>& catalog_formats();

/// Reads a catalog of whichever format `origin`'s extension, else the text, says.
std::vector<Requirement> read_catalog(std::string_view text, const std::string& origin,
                                      const CatalogOptions& options);

}  // namespace attest::trace
