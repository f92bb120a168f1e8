// The catalogs requirements tools export — ReqIF (Polarion, StrictDoc, Enterprise
// Architect, DOORS/Capella, the ReqIF implementor forum's .reqifz) and Doorstop
// YAML — read from real exported files (suites/unit/data/SOURCES.md), and their
// errors.
#include <attest/attest.hpp>
#include <attest/trace/catalogs.hpp>

#include <attest/detail/json_input.hpp>

#include <filesystem>

using namespace attest::trace;
namespace fs = std::filesystem;

namespace {

const fs::path kData = ATTEST_UNIT_DATA;

std::vector<Requirement> read(const std::string& name, CatalogOptions options = {}) {
  auto path = kData / name;
  return read_catalog(attest::detail::read_file(path), path.string(), options);
}

CatalogOptions with(const std::string& pattern, std::vector<std::string> id = {},
                    std::vector<std::string> title = {}) {
  CatalogOptions o;
  o.id_pattern = std::regex(pattern);
  if (!id.empty()) o.reqif.id = std::move(id);
  if (!title.empty()) o.reqif.title = std::move(title);
  return o;
}

std::string error_of(const std::string& text, const std::string& origin,
                     CatalogOptions options = {}) {
  try {
    read_catalog(text, origin, options);
  } catch (const attest::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(catalogs, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(polarion_reqif_with_the_default_mapping, *attest::requirement("FR-060")) {
  // ReqIF.ForeignID holds the ID, ReqIF.Name the title; the heading above it is its section.
  auto reqs = read("reqif/polarion.reqif");
  BOOST_REQUIRE_EQUAL(reqs.size(), 1u);
  BOOST_TEST(reqs[0].id == "LOREM-818");
  BOOST_TEST(reqs[0].title == "SW: Lorem Ipsum");
  BOOST_TEST(reqs[0].section == "Test Export / Section 1");
  BOOST_TEST(reqs[0].where.line == 129u);
  // The same export as a .reqifz archive.
  auto zipped = read("reqif/polarion.reqifz");
  BOOST_REQUIRE_EQUAL(zipped.size(), 1u);
  BOOST_TEST(zipped[0].id == "LOREM-818");
  BOOST_TEST(zipped[0].section == "Test Export / Section 1");
  BOOST_TEST(zipped[0].where.file.find("polarion.reqifz!") != std::string::npos,
             zipped[0].where.file);
}

BOOST_AUTO_TEST_CASE(strictdoc_hierarchy_with_identifiers, *attest::requirement("FR-060")) {
  // No ForeignID values: the SPEC-OBJECT's own IDENTIFIER, chosen by the mapping.
  auto reqs = read("reqif/strictdoc.reqif", with("REQUIREMENT-.*", {"IDENTIFIER"}));
  BOOST_REQUIRE_EQUAL(reqs.size(), 8u);
  BOOST_TEST(reqs[0].title == "Requirement A");
  BOOST_TEST(reqs[0].section == "Sample document / Section 1 / Section 1.1");
  BOOST_TEST(reqs[6].section ==
             "Sample document / Section 3 / Section 3.1 / Section 3.1.1 / Section 3.1.1.1");
  BOOST_TEST(reqs[0].where.line == 94u);
}

BOOST_AUTO_TEST_CASE(enterprise_architect_doors_and_rmf, *attest::requirement("FR-060")) {
  // Enterprise Architect: IDENTIFIER R001.., the title in the object's LONG-NAME.
  auto ea = read("reqif/enterprise-architect.reqif", with("R[0-9]{3}"));
  BOOST_REQUIRE_EQUAL(ea.size(), 3u);
  BOOST_TEST(ea[0].id == "R001");
  BOOST_TEST(ea[0].title == "Observe earths surface.");
  // DOORS with Capella's attributes: the ID in "IE PUID", an XHTML ReqIF.Text.
  auto doors = read("reqif/doors-capella.reqif", with(".+", {"IE PUID"}, {"ReqIF.Text"}));
  BOOST_REQUIRE(!doors.empty());
  BOOST_TEST(!doors[0].title.empty());
  BOOST_TEST(doors[0].title.find('<') == std::string::npos, doors[0].title);  // XHTML → text
  // The implementor forum's test case: a .reqifz with two .reqif members.
  auto rmf = read("reqif/eclipse-rmf-tc1700.reqifz", with("ID_TC1700_.*", {"IDENTIFIER"}));
  BOOST_TEST(rmf.size() == 2u);
}

BOOST_AUTO_TEST_CASE(doorstop_items_and_plain_yaml, *attest::requirement("FR-061")) {
  auto opts = with("REQ[0-9]{3}");
  auto item = read("doorstop/reqs/REQ001.yml", opts);
  BOOST_REQUIRE_EQUAL(item.size(), 1u);
  BOOST_TEST(item[0].id == "REQ001");
  BOOST_TEST(item[0].title == "Assets");  // header, else the text's first line
  BOOST_TEST(item[0].section == "2.3");   // the level
  BOOST_TEST(read("doorstop/reqs/REQ002.yml", opts).empty());  // normative: false
  BOOST_TEST(read("doorstop/reqs/REQ003.yml", opts)[0].title == "Identifiers");

  auto list = read_catalog(R"(requirements:
  - id: FR-001
    title: Sync orders
    priority: P1
  - id: FR-002
    text: |
      The system MUST keep counts [NEEDS CLARIFICATION: which?]
      more text
  - id: FR-003
    active: false
)",
                           "reqs.yaml", {});
  BOOST_REQUIRE_EQUAL(list.size(), 2u);
  BOOST_TEST(list[0].priority == "P1");
  BOOST_TEST(list[0].where.str() == "reqs.yaml:2");
  BOOST_TEST(list[1].title == "The system MUST keep counts [NEEDS CLARIFICATION: which?]");
  BOOST_TEST(list[1].unclear);
  BOOST_TEST(read_catalog("- id: FR-009\n  title: bare list\n", "r.yml", {})[0].id == "FR-009");
}

BOOST_AUTO_TEST_CASE(bad_catalogs_say_where, *attest::requirement("FR-060", "FR-061")) {
  BOOST_TEST(error_of("<REQ-IF><CORE-CONTENT>\n<oops></REQ-IF>", "a.reqif")
                 .rfind("a.reqif:2: malformed XML", 0) == 0,
             error_of("<REQ-IF><CORE-CONTENT>\n<oops></REQ-IF>", "a.reqif"));
  BOOST_TEST(error_of("<doc/>", "b.reqif") ==
             "b.reqif: not ReqIF (no REQ-IF/CORE-CONTENT/REQ-IF-CONTENT)");
  BOOST_TEST(error_of(std::string("PK\x03\x04garbage", 11), "c.reqifz")
                 .rfind("c.reqifz: damaged zip archive", 0) == 0);
  BOOST_TEST(error_of("requirements:\n  - id: [a\n", "d.yaml")
                 .rfind("d.yaml:3:1: malformed YAML: end of sequence flow not found", 0) == 0,
             error_of("requirements:\n  - id: [a\n", "d.yaml"));
  BOOST_TEST(error_of(std::string(5000, '[') + "x", "deep.yaml") ==
             "deep.yaml:1: YAML nested deeper than 256 levels");
  BOOST_TEST(error_of("requirements:\n  - title: no id\n", "e.yaml") ==
             "e.yaml:2:5: a requirement has no 'id'");
  BOOST_TEST(error_of("active: maybe\ntext: x\n", "REQ9.yml", with(".+")) ==
             "REQ9.yml:1:9: 'active' must be true or false");
}

BOOST_AUTO_TEST_SUITE_END()
