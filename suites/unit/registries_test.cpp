// One table per extension point: report formats and catalog formats are chosen
// by name, extension or content from their registries; the requirement-ID
// pattern is decided in one place.
#include <attest/attest.hpp>
#include <attest/config.hpp>
#include <attest/trace/catalogs.hpp>
#include <attest/trace/render.hpp>

#include <sstream>

using namespace attest::trace;

BOOST_AUTO_TEST_SUITE(registries, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(every_renderer_is_reachable_by_name, *attest::requirement("FR-054")) {
  Report report;
  BOOST_TEST(renderers().size() == formats().size());
  for (const auto& r : renderers()) {
    std::ostringstream out;
    render(r.name, out, report);
    BOOST_TEST(!out.str().empty(), r.name);
    BOOST_TEST(std::string(r.summary).size() > 10u);
  }
  try {
    std::ostringstream out;
    render("pdf", out, report);
    BOOST_FAIL("an unknown format must throw");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()) == "unknown format 'pdf' (text, json, markdown, html, github)");
  }
}

BOOST_AUTO_TEST_CASE(catalog_format_by_extension_then_content, *attest::requirement("FR-054")) {
  CatalogOptions pattern;  // the default ID pattern
  const std::string json = R"({"requirements": [{"id": "FR-001", "title": "t"}]})";
  // By extension...
  BOOST_TEST(read_catalog(json, "reqs.json", pattern).size() == 1u);
  BOOST_TEST(read_catalog("- **FR-002**: x\n", "spec.md", pattern)[0].id == "FR-002");
  // ...else by content; Markdown is the fallback.
  BOOST_TEST(read_catalog(json, "catalog.txt", pattern)[0].title == "t");
  BOOST_TEST(read_catalog("- **FR-003**: y\n", "catalog.txt", pattern)[0].id == "FR-003");
  BOOST_TEST(catalog_formats().back().sniff == nullptr);
}

BOOST_AUTO_TEST_CASE(one_requirement_pattern_policy, *attest::requirement("FR-052")) {
  auto defaults = attest::default_config();
  auto p = attest::requirement_pattern(defaults);
  BOOST_TEST(p.pattern == attest::default_requirement_pattern);
  BOOST_TEST(p.source == "default");
  BOOST_TEST(p.matches("FR-001"));
  BOOST_TEST(p.matches("003-order-sync/FR-001"));
  BOOST_TEST(!p.matches("/FR-001"));
  BOOST_TEST(!p.matches("fr-001"));
  BOOST_TEST(!p.matches("FR-1,FR-2"));
  // attest.json's pattern, then the flag over it.
  auto config = attest::parse_config(R"({"requirement_pattern": "REQ_[0-9]+"})", "p/attest.json");
  BOOST_TEST(attest::requirement_pattern(config).matches("REQ_7"));
  BOOST_TEST(attest::requirement_pattern(config).describe() == "'REQ_[0-9]+' (from attest.json)");
  auto flagged = attest::requirement_pattern(config, "X-[0-9]", "--id-pattern");
  BOOST_TEST(flagged.matches("X-1"));
  BOOST_TEST(!flagged.matches("REQ_7"));
  BOOST_CHECK_EXCEPTION(attest::requirement_pattern(config, "([A-Z"), attest::InputError,
                        [](const attest::InputError& e) {
                          return std::string(e.what()).rfind("--id-pattern: invalid regex", 0) ==
                                 0;
                        });
}

BOOST_AUTO_TEST_CASE(one_located_error_type, *attest::requirement("FR-052")) {
  attest::InputError located({"a.json", 3, 7}, "bad value");
  BOOST_TEST(std::string(located.what()) == "a.json:3:7: bad value");
  BOOST_TEST(located.message() == "bad value");
  BOOST_TEST(located.where().line == 3u);
  try {
    attest::parse_config("{\"markers\": 3}", "c/attest.json");
    BOOST_FAIL("must throw");
  } catch (const attest::InputError& e) {  // ConfigError is an InputError
    BOOST_TEST(e.where().file == "c/attest.json");
    BOOST_TEST(e.where().line == 1u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
