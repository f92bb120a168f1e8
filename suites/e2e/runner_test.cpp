// The runner, driven as a user drives it: the sample binary (sample/) run as
// a child process with real flags, its output, files and exit codes checked.
#include <attest/attest.hpp>

#include <boost/json.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <algorithm>
#include <sstream>

#include "test_support.hpp"

using attest_test::CommandResult;
using attest_test::read_file;
using attest_test::TempDir;
using strings = std::vector<std::string>;

namespace {

CommandResult sample(strings args, const std::map<std::string, std::string>& env = {}) {
  args.insert(args.begin(), ATTEST_SAMPLE_BIN);
  return attest_test::run_command(args, ATTEST_SAMPLE_DIR, env);
}

boost::json::object parse_object(const std::string& text) {
  return boost::json::parse(text).as_object();
}

strings ids_of(const boost::json::object& doc) {
  strings ids;
  for (const auto& t : doc.at("tests").as_array()) ids.emplace_back(t.at("id").as_string());
  return ids;
}

// The ids a selection picks, through --collect-only=json.
strings collected(strings args) {
  args.insert(args.begin(), "--collect-only=json");
  auto r = sample(args);
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  return ids_of(parse_object(r.out));
}

const boost::json::object& find_test(const boost::json::object& doc, const std::string& id) {
  for (const auto& t : doc.at("tests").as_array())
    if (t.at("id").as_string() == id) return t.as_object();
  throw std::runtime_error("no test " + id);
}

// The 1-based line of the first line of `file` (in the sample dir) containing `needle`:
// expected locations follow the sample sources instead of being hard-coded.
// The line of a sample file holding `needle`, and "file:line".
std::size_t line_of(const std::string& file, const std::string& needle) {
  return attest_test::line_of(std::string(ATTEST_SAMPLE_DIR) + "/" + file, needle);
}

std::string location_of(const std::string& file, const std::string& needle) {
  return file + ":" + std::to_string(line_of(file, needle));
}

using attest_test::contains;

const strings all_passing = {"plain_unmarked",  "parses_orders", "two_requirements",
                             "db/inserts_rows", "db/full_sync",  "db/fixture_rows",
                             "squares/_0",      "squares/_1",    "squares/_2"};

}  // namespace

BOOST_AUTO_TEST_SUITE(collection, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(manifest_lists_every_test_with_its_marks,
                     *attest::requirement("FR-006", "FR-001", "FR-002")) {
  auto r = sample({"--collect-only=json"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto doc = parse_object(r.out);
  BOOST_TEST(doc.at("attest_manifest").as_int64() == 1);
  BOOST_TEST(doc.at("binary").as_string() == "attest_sample_tests");
  BOOST_TEST(doc.at("tests").as_array().size() == 13u);

  const auto& full_sync = find_test(doc, "db/full_sync");
  BOOST_TEST(boost::json::serialize(full_sync.at("markers")) == R"(["integration","slow"])");
  BOOST_TEST(boost::json::serialize(full_sync.at("requirements")) == R"(["FR-010","FR-011"])");
  BOOST_TEST(contains(std::string(full_sync.at("file").as_string()), "sample_tests.cpp"));
  BOOST_TEST(
      full_sync.at("line").as_int64() ==
      static_cast<std::int64_t>(line_of("sample_tests.cpp", "BOOST_AUTO_TEST_CASE(full_sync")));

  const auto& two = find_test(doc, "two_requirements");
  BOOST_TEST(two.at("description").as_string() == "verifies two requirements");
  BOOST_TEST(boost::json::serialize(two.at("requirements")) == R"(["FR-002","SC-001"])");

  // Data test cases inherit from BOOST_TEST_DECORATOR on the generated suite.
  BOOST_TEST(boost::json::serialize(find_test(doc, "squares/_2").at("requirements")) ==
             R"(["FR-020"])");
  BOOST_TEST(find_test(doc, "disabled_case").at("enabled").as_bool() == false);
  BOOST_TEST(find_test(doc, "plain_unmarked").at("markers").as_array().empty());
}

BOOST_AUTO_TEST_CASE(manifest_file_and_text_listing, *attest::requirement("FR-005", "FR-006")) {
  TempDir tmp;
  auto r = sample({"--collect-only", "--manifest", (tmp.path / "m.json").string(), "-m", "slow"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "db/full_sync  [integration, slow]  verifies FR-010, FR-011  "),
             r.out);
  BOOST_TEST(contains(r.out, "1/13 tests collected (12 deselected)"), r.out);
  BOOST_TEST(!contains(r.out, "Running"));  // nothing ran
  BOOST_TEST(ids_of(parse_object(read_file(tmp.path / "m.json"))) == strings{"db/full_sync"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(selection, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(marker_expressions, *attest::requirement("FR-007")) {
  BOOST_TEST(collected({"-m", "integration and not slow"}) ==
             (strings{"db/inserts_rows", "db/fixture_rows"}));
  BOOST_TEST(collected({"-m", "slow or database"}) == (strings{"db/full_sync", "db/fixture_rows"}));
  BOOST_TEST(collected({"-m", "not (unit or integration or failing)"}) ==
             (strings{"plain_unmarked", "disabled_case"}));
}

BOOST_AUTO_TEST_CASE(keyword_expressions_are_case_insensitive, *attest::requirement("FR-008")) {
  BOOST_TEST(collected({"-k", "SYNC or Squares/_1"}) == (strings{"db/full_sync", "squares/_1"}));
  BOOST_TEST(collected({"-k", "db and not rows"}) == (strings{"db/full_sync"}));
}

BOOST_AUTO_TEST_CASE(requirement_selection, *attest::requirement("FR-009")) {
  BOOST_TEST(collected({"--req", "FR-011", "--req", "FR-020"}) ==
             (strings{"db/full_sync", "squares/_0", "squares/_1", "squares/_2"}));
  // Suite-level requirements select every case of the suite.
  BOOST_TEST(collected({"--req", "FR-010"}).size() == 3u);
}

BOOST_AUTO_TEST_CASE(filters_combine_with_and, *attest::requirement("FR-010")) {
  BOOST_TEST(collected({"-m", "integration", "-k", "rows", "--req", "FR-010"}) ==
             (strings{"db/inserts_rows", "db/fixture_rows"}));
  BOOST_TEST(sample({"--collect-only=json", "-m", "unit", "--req", "FR-010"}).exit_code == 5);
}

BOOST_AUTO_TEST_CASE(boost_list_content_agrees, *attest::requirement("FR-010", "FR-012")) {
  auto r = sample({"-m", "slow", "--list_content"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.err, "db*\n"), r.err);
  BOOST_TEST(contains(r.err, "    full_sync*\n"), r.err);
  BOOST_TEST(contains(r.err, "    inserts_rows \n"), r.err);
  BOOST_TEST(contains(r.err, "parses_orders \n"), r.err);
}

BOOST_AUTO_TEST_CASE(boost_run_test_applies_on_top, *attest::requirement("FR-010", "FR-012")) {
  TempDir tmp;
  auto report = (tmp.path / "r.json").string();
  auto r = sample(
      {"-m", "integration", "--run_test=db/inserts_rows,fixture_rows", "--report-json", report});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(ids_of(parse_object(read_file(report))) ==
             (strings{"db/inserts_rows", "db/fixture_rows"}));
  // Boost's own label filter still works: markers are labels.
  auto labels = sample({"--run_test=@slow", "--report-json", report});
  BOOST_TEST_REQUIRE(labels.exit_code == 0, labels.err);
  BOOST_TEST(ids_of(parse_object(read_file(report))) == strings{"db/full_sync"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(results, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(report_json_has_outcomes_and_messages, *attest::requirement("FR-014")) {
  TempDir tmp;
  auto report = (tmp.path / "r.json").string();
  auto r = sample({"-m", "failing or unit", "--report-json", report});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto doc = parse_object(read_file(report));
  BOOST_TEST(doc.at("attest_results").as_int64() == 1);
  const auto& wrong = find_test(doc, "failing/wrong_count");
  BOOST_TEST(wrong.at("outcome").as_string() == "failed");
  BOOST_TEST(contains(std::string(wrong.at("message").as_string()),
                      "check rows == 5 has failed [10 != 5]"));
  BOOST_TEST(contains(std::string(wrong.at("message").as_string()),
                      location_of("sample_tests.cpp", "BOOST_TEST(rows == 5)")));
  const auto& thrown = find_test(doc, "failing/throws");
  BOOST_TEST(contains(std::string(thrown.at("message").as_string()), "connection refused"));
  const auto& ok = find_test(doc, "squares/_1");
  BOOST_TEST(ok.at("outcome").as_string() == "passed");
  BOOST_TEST(ok.at("duration_ms").as_double() >= 0.0);
  BOOST_TEST(boost::json::serialize(ok.at("requirements")) == R"(["FR-020"])");
  BOOST_TEST(boost::json::serialize(ok.at("markers")) == R"(["unit"])");
  const auto& summary = doc.at("summary").as_object();
  BOOST_TEST(summary.at("passed").as_int64() == 6);
  BOOST_TEST(summary.at("failed").as_int64() == 2);
  BOOST_TEST(contains(r.out, "attest: 6 passed, 2 failed\n"), r.out);
}

BOOST_AUTO_TEST_CASE(disabled_tests_are_reported_skipped, *attest::requirement("FR-014")) {
  TempDir tmp;
  auto report = (tmp.path / "r.json").string();
  auto r = sample({"-m", "not failing", "--report-json", report});
  BOOST_TEST(r.exit_code == 0, r.err);
  auto doc = parse_object(read_file(report));
  BOOST_TEST(find_test(doc, "disabled_case").at("outcome").as_string() == "skipped");
  BOOST_TEST(doc.at("tests").as_array().size() == 10u);  // deselected tests are not reported
}

BOOST_AUTO_TEST_CASE(junit_is_valid_xml_with_properties, *attest::requirement("FR-013")) {
  TempDir tmp;
  auto junit = tmp.path / "j.xml";
  auto r = sample({"-m", "failing or integration", "--junitxml", junit.string()});
  BOOST_TEST(r.exit_code == 1, r.err);
  std::string xml = read_file(junit);
  // Every testcase has both properties: count them against the testcases.
  auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto p = xml.find(s); p != std::string::npos; p = xml.find(s, p + 1)) ++n;
    return n;
  };
  BOOST_TEST(count("<testcase ") == 6u);
  BOOST_TEST(count("<property name=\"verifies\"") == 6u);
  BOOST_TEST(count("<property name=\"markers\"") == 6u);
  BOOST_TEST(contains(xml, "<property name=\"verifies\" value=\"FR-010,FR-011\"/>"));
  BOOST_TEST(contains(xml, "<property name=\"markers\" value=\"integration,slow\"/>"));
  BOOST_TEST(count("<failure ") == 2u);
  // A real XML parser accepts it.
  auto parsed = attest_test::run_command(
      {"/usr/bin/python3", "-c", "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])",
       junit.string()});
  BOOST_TEST(parsed.exit_code == 0, parsed.err);
}

BOOST_AUTO_TEST_CASE(durations_and_exitfirst, *attest::requirement("FR-015")) {
  auto r = sample({"-m", "unit", "--durations", "3"});
  BOOST_TEST(r.exit_code == 0, r.err);
  auto pos = r.out.find("slowest 3 durations");
  BOOST_TEST_REQUIRE(pos != std::string::npos, r.out);
  std::size_t lines = 0;
  for (auto p = r.out.find('\n', pos);
       p != std::string::npos && r.out.compare(p + 1, 7, "attest:") != 0 &&
       r.out.compare(p + 1, 1, "=") != 0;
       p = r.out.find('\n', p + 1))
    ++lines;
  BOOST_TEST(lines == 3u, r.out);

  TempDir tmp;
  auto report = (tmp.path / "r.json").string();
  auto x = sample({"-m", "failing", "-x", "--report-json", report});
  BOOST_TEST(x.exit_code == 1);
  BOOST_TEST(ids_of(parse_object(read_file(report))) == strings{"failing/wrong_count"});
  BOOST_TEST(contains(x.out, "stopped after the first failure"), x.out);
  BOOST_TEST(!contains(x.err, "connection refused"), x.err);  // `throws` never ran
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(exit_codes, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(pass_fail_nothing_selected, *attest::requirement("FR-016", "FR-052")) {
  BOOST_TEST(sample({"-m", "not failing"}).exit_code == 0);
  BOOST_TEST(sample({"-m", "failing"}).exit_code == 1);
  auto none = sample({"--req", "FR-999"});
  BOOST_TEST(none.exit_code == 5);
  BOOST_TEST(contains(none.err, "no tests selected: 13 collected, all deselected by --req FR-999"),
             none.err);
  BOOST_TEST(sample({"--collect-only", "-k", "nothing_matches_this"}).exit_code == 5);
  // An ID the requirement pattern cannot match is a usage error, not an empty selection.
  auto typo = sample({"--req", "FR-1"});
  BOOST_TEST(typo.exit_code == 2, typo.out + typo.err);
  BOOST_TEST(contains(typo.err, "--req FR-1: not a requirement ID (requirement_pattern "
                                "'(FR|SC)-[0-9]{3}' (from attest.json))"),
             typo.err);
  BOOST_TEST(sample({"--run_test=does_not_exist"}).exit_code == 5);
}

BOOST_AUTO_TEST_CASE(bad_expressions_name_the_column, *attest::requirement("FR-011", "FR-016")) {
  auto r = sample({"-m", "unit and (slow"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(
      contains(r.err,
               "-m: bad expression at column 15: expected right parenthesis; got end of input"),
      r.err);
  auto k = sample({"-k", "a ! b"});
  BOOST_TEST(k.exit_code == 2);
  BOOST_TEST(contains(k.err, "-k: bad expression at column 3"), k.err);
  auto unknown = sample({"-m", "integraton"});
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(contains(unknown.err, "unknown marker 'integraton' at column 1"), unknown.err);
}

BOOST_AUTO_TEST_CASE(usage_errors, *attest::requirement("FR-016", "FR-012")) {
  BOOST_TEST(sample({"--junitxml"}).exit_code == 2);
  BOOST_TEST(sample({"--no_such_boost_flag"}).exit_code == 2);
  BOOST_TEST(sample({"--report-json", "/nonexistent-dir/r.json"}).exit_code == 2);
  auto help = sample({"--help"});
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(contains(help.out, "--collect-only"));
  BOOST_TEST(contains(help.out + help.err, "--run_test"));  // Boost's help follows
}

BOOST_AUTO_TEST_CASE(unknown_markers_and_bad_ids_stop_the_binary,
                     *attest::requirement("FR-004", "FR-016")) {
  auto r = attest_test::run_command({ATTEST_BAD_BIN}, ATTEST_SAMPLE_DIR);
  BOOST_TEST(r.exit_code == 2, r.out + r.err);
  BOOST_TEST(contains(r.err, location_of("bad_markers_tests.cpp", "(typo_marker") +
                                 ": unknown marker 'integraton' on case 'typo_marker' "
                                 "(declare it in "),
             r.err);
  BOOST_TEST(contains(r.err, location_of("bad_markers_tests.cpp", "(suite_with_bad_id") +
                                 ": requirement ID 'FR-1' on suite 'suite_with_bad_id' "
                                 "does not match requirement_pattern '(FR|SC)-[0-9]{3}'"),
             r.err);
  BOOST_TEST(contains(r.err, "2 collection errors; no test was run"), r.err);
  // --collect-only refuses too: a manifest must never hide a declaration error.
  BOOST_TEST(attest_test::run_command({ATTEST_BAD_BIN, "--collect-only=json"}, ATTEST_SAMPLE_DIR)
                 .exit_code == 2);
}

BOOST_AUTO_TEST_CASE(config_is_found_upward_or_given, *attest::requirement("FR-003", "FR-004")) {
  TempDir tmp;
  // Without the sample's attest.json its custom markers are unknown: strict.
  auto bare = attest_test::run_command({ATTEST_SAMPLE_BIN, "--collect-only"}, tmp.path);
  BOOST_TEST(bare.exit_code == 2);
  BOOST_TEST(contains(bare.err, "unknown marker 'database'"), bare.err);

  attest_test::write_file(tmp.path / "proj/attest.json",
                          read_file(std::string(ATTEST_SAMPLE_DIR) + "/attest.json"));
  std::filesystem::create_directories(tmp.path / "proj/build/deep");
  BOOST_TEST(
      attest_test::run_command({ATTEST_SAMPLE_BIN, "--collect-only"}, tmp.path / "proj/build/deep")
          .exit_code == 0);

  auto cfg = (tmp.path / "proj/attest.json").string();
  BOOST_TEST(
      attest_test::run_command({ATTEST_SAMPLE_BIN, "--collect-only", "--config", cfg}, tmp.path)
          .exit_code == 0);
  BOOST_TEST(attest_test::run_command({ATTEST_SAMPLE_BIN, "--collect-only"}, tmp.path,
                                      {{"ATTEST_CONFIG", cfg}})
                 .exit_code == 0);

  attest_test::write_file(tmp.path / "broken.json", "{\n  \"markers\": {\"db\": \"x\"\n");
  auto broken = sample({"--config", (tmp.path / "broken.json").string()});
  BOOST_TEST(broken.exit_code == 2);
  BOOST_TEST(contains(broken.err, "broken.json:3:1: malformed JSON"), broken.err);
}

BOOST_AUTO_TEST_CASE(boost_test_module_sources_still_work,
                     *attest::requirement("FR-017", "FR-012")) {
  auto r = attest_test::run_command({ATTEST_MODULE_BIN, "--report_level=short"});
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(contains(r.out + r.err, "legacy_module"), r.out + r.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(boost_fidelity, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(an_xml_or_junit_log_on_stdout_stays_well_formed,
                     *attest::requirement("FR-072")) {
  for (std::vector<std::string> format :
       {std::vector<std::string>{"--log_format=JUNIT"}, {"--log_format=XML"}, {"-o", "XML"},
        {"--logger=JUNIT,all,stdout"}}) {
    format.insert(format.end(), {"-m", "not failing"});
    auto r = sample(format);
    BOOST_TEST_CONTEXT(format.front()) {
      BOOST_TEST(r.exit_code == 0, r.err);
      std::istringstream in(r.out);
      boost::property_tree::ptree doc;
      BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(in, doc));  // nothing of ours in it
      BOOST_TEST(!contains(r.out, "attest:"), r.out);
      // attest's closing line is still there, on stderr.
      BOOST_TEST(contains(r.err, "attest: 9 passed, 0 failed, 1 skipped\n"), r.err);
    }
  }
  // With Boost's default log, the closing line stays the last line of stdout.
  auto plain = sample({"-m", "not failing"});
  BOOST_TEST(plain.out.substr(plain.out.rfind("attest:")) == "attest: 9 passed, 0 failed, 1 skipped\n");
}


BOOST_AUTO_TEST_CASE(collection_lists_what_boost_filters_would_run,
                     *attest::requirement("FR-073")) {
  // --run_test narrows the collection as it narrows the run.
  auto one = collected({"--run_test=db/inserts_rows"});
  BOOST_TEST(one == (strings{"db/inserts_rows"}));
  auto suite = collected({"--run_test=db"});
  BOOST_TEST(suite.size() == 3u);
  // So does Boost's environment variable, and attest's selection still applies on top.
  auto r = sample({"--collect-only=json", "-k", "full"}, {{"BOOST_TEST_RUN_FILTERS", "db"}});
  auto tests = boost::json::parse(r.out).at("tests").as_array();
  BOOST_REQUIRE_EQUAL(tests.size(), 1u);
  BOOST_TEST(tests[0].at("id").as_string() == "db/full_sync");
}

BOOST_AUTO_TEST_CASE(boost_labels_are_markers, *attest::requirement("FR-074")) {
  auto labels = [](strings args) {
    args.insert(args.begin(), ATTEST_LABELS_BIN);
    return attest_test::run_command(args, ATTEST_SAMPLE_DIR);
  };
  auto manifest = parse_object(labels({"--collect-only=json"}).out);
  BOOST_TEST(boost::json::serialize(find_test(manifest, "labelled/fast_case").at("markers")) ==
             R"(["nightly","fast"])");
  BOOST_TEST(boost::json::serialize(find_test(manifest, "labelled/slow_case").at("markers")) ==
             R"(["slow","nightly"])");
  // -m selects by them, though attest.json does not declare them: the code does.
  auto fast = labels({"--collect-only=json", "-m", "fast"});
  BOOST_TEST(fast.exit_code == 0, fast.err);
  BOOST_TEST(ids_of(parse_object(fast.out)) == (strings{"labelled/fast_case"}));
  BOOST_TEST(labels({"--collect-only=json", "-m", "nightly and not slow"}).exit_code == 0);
  BOOST_TEST(labels({"-m", "no_such_label"}).exit_code == 2);
  // And the JUnit carries them.
  attest_test::TempDir tmp;
  labels({"--junitxml", (tmp.path / "j.xml").string()});
  BOOST_TEST(contains(read_file(tmp.path / "j.xml"),
                      "<property name=\"markers\" value=\"nightly,fast\"/>"));
}

BOOST_AUTO_TEST_CASE(list_content_dot_is_a_graph, *attest::requirement("FR-075")) {
  auto r = sample({"--list_content=DOT"});
  BOOST_TEST(r.exit_code == 0, r.err);
  std::string out = r.out + r.err;  // Boost's listing stream
  BOOST_TEST(out.find("digraph G {rankdir=LR;\n") != std::string::npos, out);
  BOOST_TEST(contains(out, "[shape=Mrecord,fontname=Helvetica,color=green,label=\"inserts_rows|"), out);
  BOOST_TEST(contains(out, "labels: @integration"), out);  // attest's markers are labels too
  // The plain listing stays the tree.
  auto plain = sample({"--list_content"});
  BOOST_TEST(!contains(plain.out + plain.err, "digraph"));
}

BOOST_AUTO_TEST_CASE(classic_init_unit_test_suite_registration, *attest::requirement("FR-076")) {
  auto listed = attest_test::run_command({ATTEST_CLASSIC_BIN, "--collect-only=json"}, ATTEST_SAMPLE_DIR);
  BOOST_TEST(listed.exit_code == 0, listed.err);
  BOOST_TEST(ids_of(parse_object(listed.out)) == (strings{"adds", "arithmetic/multiplies"}));
  auto r = attest_test::run_command({ATTEST_CLASSIC_BIN}, ATTEST_SAMPLE_DIR);
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(contains(r.out, "attest: 2 passed, 0 failed"), r.out);
}

BOOST_AUTO_TEST_SUITE_END()
