// trace-check driven as a user drives it: real files, real test binaries,
// CTest listings, every format, and the HTML report opened in Chromium.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include <sys/stat.h>

#include "test_support.hpp"

using attest_test::read_file;
using attest_test::TempDir;
using attest_test::write_file;
namespace fs = std::filesystem;

namespace {

// Run in the sample project, whose attest.json (IDs FR-nnn and SC-nnn) trace-check finds itself.
attest::CommandResult trace_check(std::vector<std::string> args) {
  args.insert(args.begin(), ATTEST_TRACE_CHECK);
  return attest_test::run_command(args, ATTEST_SAMPLE_DIR);
}

using attest_test::contains;

// The sample binary's requirements, all of them, with one left uncovered (FR-050).
const char* kSampleSpec = R"(# Feature Specification: sample

## Requirements

- **FR-001**: orders are parsed
- **FR-002**: two requirements at once
- **SC-001**: the second of them
- **FR-010**: rows are inserted
- **FR-011**: a full sync
- **FR-020**: squares
- **FR-030**: disabled case
- **FR-040**: wrong count
- **FR-041**: throws
- **FR-042**: after failures
- **FR-050**: nobody tests this
)";

std::string sample_config() { return std::string(ATTEST_SAMPLE_DIR) + "/attest.json"; }

}  // namespace

BOOST_AUTO_TEST_SUITE(trace_check_cli, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(collects_a_binary_and_reports_unmarked_tests,
                     *attest::requirement("FR-021", "FR-023")) {
  TempDir tmp;
  write_file(tmp.path / "spec.md", kSampleSpec);
  auto r = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--collect",
                        ATTEST_SAMPLE_BIN, "--config", sample_config()});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  BOOST_TEST(contains(r.out, "FAILED: 1 defect (unmarked test); coverage 90.9% (10/11) < threshold "
                             "100%"),
             r.out);
  BOOST_TEST(contains(r.out,
                      "sample_tests.cpp:13: test 'plain_unmarked' (attest_sample_tests) verifies "
                      "no requirement"),
             r.out);
  BOOST_TEST(contains(r.out, "spec.md:15: FR-050 [uncovered] nobody tests this"), r.out);
  // Paths under the working directory (the sample project) are shown relative to it.
  BOOST_TEST(contains(r.out, "\n  sample_tests.cpp:13: test 'plain_unmarked'"), r.out);
  auto rooted = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--collect",
                             ATTEST_SAMPLE_BIN, "--config", sample_config(), "--root", "/"});
  BOOST_TEST(contains(rooted.out,
                      "\n  " + std::string(ATTEST_SAMPLE_DIR).substr(1) + "/sample_tests.cpp:13:"),
             rooted.out);
}

BOOST_AUTO_TEST_CASE(results_statuses_and_every_format, *attest::requirement("FR-022", "FR-024")) {
  TempDir tmp;
  write_file(tmp.path / "spec.md", kSampleSpec);
  auto manifest = tmp.path / "m.json", results = tmp.path / "r.json", junit = tmp.path / "r.xml";
  auto collect = attest_test::run_command({ATTEST_SAMPLE_BIN, "--manifest", manifest.string(),
                                           "--collect-only", "--config", sample_config()});
  BOOST_TEST_REQUIRE(collect.exit_code == 0, collect.err);
  // Two shards: -m failing with JSON results, the rest with JUnit.
  attest_test::run_command({ATTEST_SAMPLE_BIN, "-m", "failing", "--report-json", results.string(),
                            "--config", sample_config()});
  attest_test::run_command({ATTEST_SAMPLE_BIN, "-m", "not failing", "--junitxml", junit.string(),
                            "--config", sample_config()});

  auto r = trace_check({"--requirements",
                        (tmp.path / "spec.md").string(),
                        "--manifest",
                        manifest.string(),
                        "--results",
                        results.string(),
                        junit.string(),
                        "--threshold",
                        "50",
                        "--format",
                        "json",
                        "--output",
                        (tmp.path / "t.json").string(),
                        "--format",
                        "html",
                        "--output",
                        (tmp.path / "t.html").string(),
                        "--format",
                        "markdown",
                        "--output",
                        (tmp.path / "t.md").string(),
                        "--format",
                        "github"});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);          // plain_unmarked is a defect
  BOOST_TEST(contains(r.out, "::error file="), r.out);  // the pair without --output went to stdout

  auto json = boost::json::parse(read_file(tmp.path / "t.json")).as_object();
  std::map<std::string, std::string> status;
  for (const auto& req : json.at("requirements").as_array())
    status[std::string(req.at("id").as_string())] = std::string(req.at("status").as_string());
  BOOST_TEST(status["FR-001"] == "verified");
  BOOST_TEST(status["FR-040"] == "failing");
  BOOST_TEST(status["FR-042"] == "verified");
  BOOST_TEST(status["FR-030"] == "skipped");  // the disabled case
  BOOST_TEST(status["FR-050"] == "untested");
  BOOST_TEST(json.at("unmarked").as_array().size() == 1u);
  BOOST_TEST(contains(read_file(tmp.path / "t.md"), "| **FR-040** wrong count | ❌ failing |"));
  BOOST_TEST(contains(read_file(tmp.path / "t.html"), "<span class=\"id\">FR-040</span>"));

  // --require-passing: only verified requirements count.
  auto strict = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--manifest",
                             manifest.string(), "--results", results.string(), junit.string(),
                             "--require-passing", "--format", "json"});
  // Verified: FR-001, FR-002, SC-001, FR-010, FR-011, FR-020, FR-042.
  BOOST_TEST(boost::json::parse(strict.out).at("covered").as_int64() == 7);
}

BOOST_AUTO_TEST_CASE(build_dir_collects_the_attest_binaries_ctest_runs,
                     *attest::requirement("FR-021")) {
  TempDir tmp;
  // A CTest listing without a CMake project: one attest binary, one that is not.
  write_file(tmp.path / "build/CTestTestfile.cmake", "add_test(sample \"" +
                                                         std::string(ATTEST_SAMPLE_BIN) +
                                                         "\" \"--config\" \"" + sample_config() +
                                                         "\" \"--report-json\" \"r.json\")\n"
                                                         "add_test(not_attest \"/bin/true\")\n");
  write_file(tmp.path / "spec.md", kSampleSpec);
  auto r = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--build-dir",
                        (tmp.path / "build").string(), "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto json = boost::json::parse(r.out).as_object();
  BOOST_TEST(json.at("tests").as_int64() == 13);
  BOOST_TEST(json.at("covered").as_int64() == 10);
}

BOOST_AUTO_TEST_CASE(spec_kit_feature_directories, *attest::requirement("FR-019", "FR-020")) {
  TempDir tmp;
  write_file(tmp.path / "specs/001-login/spec.md",
             "- **FR-001**: login\n- **FR-002**: logout via [NEEDS CLARIFICATION: SSO?]\n");
  write_file(tmp.path / "specs/002-sync/spec.md", "- **FR-001**: sync\n");
  write_file(tmp.path / "m.json", R"({"attest_manifest": 1, "binary": "b", "tests": [
    {"id": "a", "file": "a.cpp", "line": 1, "requirements": ["001-login/FR-001", "FR-002"]},
    {"id": "b", "file": "b.cpp", "line": 5, "requirements": ["002-sync/FR-001"]},
    {"id": "c", "file": "c.cpp", "line": 9, "requirements": ["FR-001"]}]})");
  auto r = trace_check({"--requirements", (tmp.path / "specs").string(), "--manifest",
                        (tmp.path / "m.json").string()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.out, "coverage 100% (3/3)"), r.out);
  BOOST_TEST(
      contains(r.out,
               "c.cpp:9: test 'c' (b) references FR-001, which is ambiguous: 001-login/FR-001, "
               "002-sync/FR-001"),
      r.out);
  BOOST_TEST(contains(r.out, "001-login/spec.md:2: 001-login/FR-002 still needs clarification"),
             r.out);
  auto strict = trace_check({"--requirements", (tmp.path / "specs").string(), "--manifest",
                             (tmp.path / "m.json").string(), "--strict", "--format", "json"});
  BOOST_TEST(boost::json::parse(strict.out).at("unclear").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_input_exits_2_with_a_location, *attest::requirement("FR-025")) {
  TempDir tmp;
  write_file(tmp.path / "spec.md", "- **FR-001**: x\n");
  write_file(tmp.path / "bad.json",
             "{\"attest_manifest\": 1,\n  \"binary\": \"b\",\n  \"tests\": [}");
  write_file(tmp.path / "empty.md", "");
  write_file(tmp.path / "bad.xml", "<testsuites>\n<testcase>\n");
  auto spec = (tmp.path / "spec.md").string();

  auto missing =
      trace_check({"--requirements", spec, "--manifest", (tmp.path / "nope.json").string()});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(contains(missing.err, "nope.json: no such file"), missing.err);

  auto malformed =
      trace_check({"--requirements", spec, "--manifest", (tmp.path / "bad.json").string()});
  BOOST_TEST(malformed.exit_code == 2);
  BOOST_TEST(contains(malformed.err, "bad.json:3:13: malformed JSON"), malformed.err);

  auto empty = trace_check({"--requirements", (tmp.path / "empty.md").string(), "--manifest",
                            (tmp.path / "bad.json").string()});
  BOOST_TEST(empty.exit_code == 2);
  BOOST_TEST(contains(empty.err, "empty.md: no requirements found"), empty.err);

  write_file(tmp.path / "m.json", R"({"attest_manifest": 1, "binary": "b", "tests": []})");
  auto xml = trace_check({"--requirements", spec, "--manifest", (tmp.path / "m.json").string(),
                          "--results", (tmp.path / "bad.xml").string()});
  BOOST_TEST(xml.exit_code == 2);
  BOOST_TEST(contains(xml.err, "bad.xml:3: malformed XML"), xml.err);

  // A test binary that crashes while collecting.
  auto crasher = tmp.path / "crasher";
  write_file(crasher, "#!/bin/sh\necho 'about to crash' >&2\nkill -SEGV $$\n");
  ::chmod(crasher.c_str(), 0755);
  auto crash = trace_check({"--requirements", spec, "--collect", crasher.string()});
  BOOST_TEST(crash.exit_code == 2);
  BOOST_TEST(contains(crash.err, "crasher: collection failed (killed by signal 11"), crash.err);
  BOOST_TEST(contains(crash.err, "about to crash"), crash.err);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2, *attest::requirement("FR-023", "FR-025")) {
  BOOST_TEST(trace_check({"--format", "yaml"}).exit_code == 2);
  BOOST_TEST(trace_check({"--threshold", "120", "--requirements", "x"}).exit_code == 2);
  BOOST_TEST(trace_check({"--no-such-flag"}).exit_code == 2);
  TempDir tmp;
  write_file(tmp.path / "spec.md", "- **FR-001**: x\n");
  write_file(
      tmp.path / "m.json",
      R"({"attest_manifest": 1, "binary": "b", "tests": [{"id": "a", "requirements": ["FR-001"]}]})");
  auto pairs = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--manifest",
                            (tmp.path / "m.json").string(), "--format", "json", "--output", "a",
                            "--output", "b"});
  BOOST_TEST(pairs.exit_code == 2);
  BOOST_TEST(contains(pairs.err, "--output b follows no --format"), pairs.err);
  auto help = trace_check({"--help"});
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(contains(help.out, "--require-passing"));
  auto ok = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--manifest",
                         (tmp.path / "m.json").string()});
  BOOST_TEST(ok.exit_code == 0, ok.out + ok.err);
  BOOST_TEST(contains(ok.out, "PASSED: coverage 100% (1/1) >= threshold 100%"));
}

BOOST_AUTO_TEST_CASE(html_report_in_chromium, *attest::requirement("FR-024", "FR-059")) {
  TempDir tmp;
  // The sample's spec with inline Markdown in a title, and its results (two tests fail).
  std::string spec = kSampleSpec;
  spec.replace(spec.find("rows are inserted"), 17, "rows are `inserted` *exactly* once <b>");
  write_file(tmp.path / "spec.md", spec);
  auto results = tmp.path / "sample.json";
  attest_test::run_command({ATTEST_SAMPLE_BIN, "--config", sample_config(), "--report-json",
                            results.string()},
                           ATTEST_SAMPLE_DIR);
  auto html = tmp.path / "report.html";
  trace_check({"--requirements", (tmp.path / "spec.md").string(), "--collect", ATTEST_SAMPLE_BIN,
               "--config", sample_config(), "--results", results.string(), "--format", "html",
               "--output", html.string()});
  BOOST_TEST_REQUIRE(fs::exists(html));
  BOOST_TEST_REQUIRE(fs::exists(ATTEST_CHROMIUM),
                     "Chromium is needed to look at the report: ci/install-deps.sh installs it");
  std::vector<std::string> chromium{ATTEST_CHROMIUM,
                                    "--headless",
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--disable-dev-shm-usage",
                                    "--no-first-run",
                                    "--disable-background-networking",
                                    "--disable-component-update",
                                    "--disable-sync",
                                    "--hide-scrollbars",
                                    "--user-data-dir=" + (tmp.path / "profile").string()};
  // The filter box, driven through the URL: every word must match, so `#q=FR-0 untested`
  // leaves the one untested requirement.
  auto dom_args = chromium;
  dom_args.push_back("--dump-dom");
  dom_args.push_back("file://" + html.string() + "#q=FR-0%20untested");
  auto dom = attest_test::run_command(dom_args);
  BOOST_TEST_REQUIRE(dom.exit_code == 0, dom.err);
  BOOST_TEST(contains(dom.out, "<span id=\"shown\">1</span>"), dom.out);
  BOOST_TEST(contains(dom.out, "<tr id=\"r-FR-050\" data-search=\"fr-050 nobody tests this untested\">"),
             dom.out);
  BOOST_TEST(contains(dom.out, "<tr id=\"r-FR-001\" data-search=\"fr-001 orders are parsed verified "
                               "parses_orders\" hidden=\"\">"),
             dom.out);
  // Counts by status at the top, each a link that filters.
  BOOST_TEST(contains(dom.out, "<a class=\"badge failing\" href=\"#q=failing\">"), dom.out);
  // The untested requirement is among the defects, not only in the table.
  BOOST_TEST(contains(dom.out, "<b>uncovered requirement</b> <code>"), dom.out);
  BOOST_TEST(contains(dom.out, "<a href=\"#r-FR-050\">FR-050</a> [untested]"), dom.out);
  // Inline Markdown in a title is rendered, and only that: the <b> stays text.
  BOOST_TEST(contains(dom.out, "rows are <code>inserted</code> <em>exactly</em> once &lt;b&gt;"),
             dom.out);
  // A failing test's chip links to its message.
  auto chip = dom.out.find("class=\"chip failed\"");
  BOOST_TEST_REQUIRE(chip != std::string::npos, dom.out);
  auto href = dom.out.rfind("href=\"#t-", chip);
  auto anchor = dom.out.substr(href + 7, dom.out.find('"', href + 7) - href - 7);
  BOOST_TEST(contains(dom.out, "<div class=\"failure\" id=\"" + anchor + "\">"), dom.out);
  BOOST_TEST(contains(dom.out, "<pre>"), dom.out);

  // Without JavaScript the page is the file as written (headless Chromium cannot turn
  // scripts off and still dump the DOM): every row shown, the useless filter box hidden.
  auto page = read_file(html);
  BOOST_TEST(contains(page, "<input id=\"filter\" type=\"search\" hidden "));
  BOOST_TEST(!contains(page, "\" hidden><td>"));
  BOOST_TEST(!contains(page, "src=\"http"));  // self-contained: nothing fetched
  BOOST_TEST(!contains(page, "href=\"http"));

  // A phone-sized screenshot, kept in the build tree for a person to look at.
  auto png = fs::path(ATTEST_SCREENSHOT_DIR) / "trace-report-phone.png";
  fs::create_directories(png.parent_path());
  fs::remove(png);
  auto shot_args = chromium;
  shot_args.insert(shot_args.end(), {"--window-size=390,844", "--screenshot=" + png.string(),
                                     "file://" + html.string()});
  auto shot = attest_test::run_command(shot_args);
  BOOST_TEST_REQUIRE(shot.exit_code == 0, shot.err);
  std::string bytes = read_file(png);
  BOOST_TEST(bytes.substr(1, 3) == "PNG");
  BOOST_TEST(bytes.size() > 20000u,
             "a rendered page, not a blank one: " << bytes.size() << " bytes");
}

BOOST_AUTO_TEST_CASE(every_test_of_attest_is_marked, *attest::requirement("FR-026", "FR-021")) {
  // attest's own build, collected through CTest as `make check` does: no unmarked
  // test, no ID that REQUIREMENTS.md lacks. (make check adds results and the 100% threshold.)
  auto r = trace_check({"--build-dir", ATTEST_BUILD_DIR, "--requirements", ATTEST_REQUIREMENTS,
                        "--config", ATTEST_ROOT_CONFIG, "--format", "json"});
  BOOST_TEST_REQUIRE(r.exit_code <= 1, r.err);
  auto json = boost::json::parse(r.out).as_object();
  BOOST_TEST(json.at("tests").as_int64() > 50);
  BOOST_TEST(json.at("unmarked").as_array().empty(), boost::json::serialize(json.at("unmarked")));
  BOOST_TEST(json.at("unknown").as_array().empty(), boost::json::serialize(json.at("unknown")));
  BOOST_TEST(json.at("duplicates").as_array().empty());
}

BOOST_AUTO_TEST_CASE(googletest_junit_alone_fails_for_unmarked_tests,
                     *attest::requirement("FR-055", "FR-058")) {
  TempDir tmp;
  write_file(tmp.path / "spec.md", "- **FR-001**: carts sum\n- **FR-002**: carts empty\n");
  // Real GoogleTest and pytest output (suites/unit/data/junit/, made by the tools themselves
  // from cart_test.cc and test_cart.py): RecordProperty / record_property("verifies", ...) on
  // two cases, none on the third.
  fs::create_directories(tmp.path / "results/gtest");
  fs::copy_file(fs::path(ATTEST_JUNIT_DATA) / "gtest_cart.xml", tmp.path / "results/gtest/cart.xml");
  write_file(tmp.path / "results/notes.json", R"({"not": "results"})");  // skipped in a directory
  auto r = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--results",
                        (tmp.path / "results").string(), "--threshold", "90"});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  BOOST_TEST(contains(r.out, "FAILED: 1 defect (unmarked test); coverage 100% (2/2) >= threshold 90%"),
             r.out);
  BOOST_TEST(contains(r.out, "cart_test.cc:4: test 'Cart/Unmarked' (AllTests) verifies no requirement"),
             r.out);
  // pytest's own JUnit the same way; its 0-based lines are read as the lines they mean.
  auto py = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--results",
                         std::string(ATTEST_JUNIT_DATA) + "/pytest_cart.xml", "--threshold", "90"});
  BOOST_TEST(py.exit_code == 1, py.out + py.err);
  BOOST_TEST(contains(py.out, "test_cart.py:9: test 'test_cart/test_unmarked' (pytest) verifies "
                              "no requirement"),
             py.out);
  // A quoted glob reads the same files.
  auto globbed = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--results",
                              (tmp.path / "results/*/*.xml").string(), "--threshold", "90"});
  BOOST_TEST(globbed.exit_code == 1, globbed.out + globbed.err);
  BOOST_TEST(contains(globbed.out, "Cart/Unmarked"), globbed.out);
  auto none = trace_check({"--requirements", (tmp.path / "spec.md").string(), "--results",
                           (tmp.path / "nothing-*.xml").string()});
  BOOST_TEST(none.exit_code == 2);
  BOOST_TEST(contains(none.err, "nothing-*.xml: no file matches this pattern"), none.err);
}

BOOST_AUTO_TEST_CASE(flaky_and_not_run_from_result_files, *attest::requirement("FR-056", "FR-057")) {
  TempDir tmp;
  write_file(tmp.path / "spec.md", "- **FR-001**: a\n- **FR-002**: b\n- **FR-003**: c\n");
  write_file(tmp.path / "manifest.json",
             R"({"attest_manifest": 1, "binary": "b", "tests": [
  {"id": "s/a", "file": "t.cpp", "line": 1, "requirements": ["FR-001"]},
  {"id": "s/b", "file": "t.cpp", "line": 2, "requirements": ["FR-002"]},
  {"id": "s/c", "file": "t.cpp", "line": 3, "requirements": ["FR-003"]}]})");
  // Surefire's convention for a pass after failed attempts: <flakyFailure>.
  write_file(tmp.path / "shard-0.xml", R"(<testsuites name="b"><testsuite name="b">
  <testcase classname="s" name="a"><properties><property name="verifies" value="FR-001"/></properties></testcase>
  <testcase classname="s" name="b"><flakyFailure message="timeout">t.cpp:2: timeout after 5 s</flakyFailure>
    <properties><property name="verifies" value="FR-002"/></properties></testcase>
</testsuite></testsuites>)");
  auto args = std::vector<std::string>{"--requirements", (tmp.path / "spec.md").string(),
                                       "--manifest", (tmp.path / "manifest.json").string(),
                                       "--results", (tmp.path / "shard-0.xml").string(),
                                       "--threshold", "60", "--require-passing"};
  auto r = trace_check(args);
  BOOST_TEST(contains(r.out, "FR-002 [verified (flaky)]"), r.out);
  BOOST_TEST(contains(r.out, "tests not run (1):\n  t.cpp:3: s/c (b)"), r.out);
  BOOST_TEST(contains(r.out, "results: 2 passed, 0 failed, 1 flaky, 1 not run"), r.out);
  BOOST_TEST(r.exit_code == 1, r.out);  // 1/3 verified < 60%: the flaky pass does not count
  args.push_back("--allow-flaky");
  auto allowed = trace_check(args);
  BOOST_TEST(allowed.exit_code == 0, allowed.out);  // 2/3 >= 60%
}

BOOST_AUTO_TEST_SUITE_END()
