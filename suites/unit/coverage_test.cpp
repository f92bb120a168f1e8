// attest::coverage without a compiler: the record's JSON and merge, the .gcda stream
// reader, the reports, the gate and the selection of affected tests, on made-up data.
#include <attest/attest.hpp>
#include <attest/coverage/affected.hpp>
#include <attest/coverage/gate.hpp>
#include <attest/coverage/gcov.hpp>
#include <attest/coverage/llvm.hpp>
#include <attest/coverage/record.hpp>
#include <attest/coverage/reports.hpp>

#include <cstring>
#include <sstream>

#include "test_support.hpp"

using namespace attest::coverage;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Two files, three tests: "adds" reaches f.cpp's lines 1-2 and a branch, "signs" g.cpp's
// line 5, "nothing" reaches nothing; f.cpp line 3 is executed by no one.
Record sample() {
  Record r;
  r.tests = {{"calc", "adds", {"CALC-001"}},
             {"calc", "signs", {"CALC-002"}},
             {"calc", "nothing", {"CALC-003"}}};
  auto& f = r.files["/p/src/f.cpp"];
  f.lines[1] = {2, {0}};
  f.lines[2] = {2, {0}};
  f.lines[3] = {0, {}};
  f.branches[{2, 0}] = {2, {0}};
  f.branches[{2, 1}] = {0, {}};
  auto& g = r.files["/p/src/g.cpp"];
  g.lines[5] = {1, {1}};
  return r;
}

void put32(std::string& s, std::uint32_t v) { s.append(reinterpret_cast<const char*>(&v), 4); }

}  // namespace

BOOST_AUTO_TEST_SUITE(coverage_data, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(record_round_trips_and_merges_by_binary_and_id,
                     *attest::requirement("FR-155")) {
  Record r = sample();
  BOOST_TEST((from_json(to_json(r), "r.json") == r));
  // The same tests again (another shard ran them too) plus a new one: one picture.
  Record other;
  other.tests = {{"calc", "signs", {"CALC-002"}}, {"other", "adds", {}}};
  other.files["/p/src/f.cpp"].lines[3] = {4, {1}};
  other.files["/p/src/h.cpp"].lines[1] = {1, {0}};
  Record merged = r;
  merge(merged, other);
  BOOST_TEST(merged.tests.size() == 4u);  // "other/adds" is another binary's test
  BOOST_TEST(merged.files.at("/p/src/f.cpp").lines.at(3).hits == 4u);
  BOOST_TEST((merged.files.at("/p/src/f.cpp").lines.at(3).tests == TestSet{3}));
  BOOST_TEST((merged.files.at("/p/src/h.cpp").lines.at(1).tests == TestSet{1}));
  Totals t = totals(merged);
  BOOST_TEST(t.lines == 5u);
  BOOST_TEST(t.lines_hit == 5u);
}

BOOST_AUTO_TEST_CASE(bad_records_are_named, *attest::requirement("FR-155")) {
  BOOST_CHECK_EXCEPTION(
      from_json("{\"tests\": []}", "x.json"), attest::InputError, [](const attest::InputError& e) {
        return contains(e.what(), "x.json") && contains(e.what(), "not an attest coverage record");
      });
  BOOST_CHECK_EXCEPTION(
      from_json(R"({"attest_coverage": 1, "tests": [], "files": {"a": {"lines": [[1, 1, [7]]]}}})",
                "y.json"),
      attest::InputError,
      [](const attest::InputError& e) { return contains(e.what(), "test index 7"); });
}

BOOST_AUTO_TEST_CASE(gcda_streams_are_read_with_zero_runs_elided, *attest::requirement("FR-152")) {
  // What __gcov_info_to_gcda streams for an object of two functions: the first one's two
  // counters all zero (a negative length, no values), the second one's three counters.
  std::string s;
  for (std::uint32_t w : {0x67636461u, 0x4232322au, 7u, 0u}) put32(s, w);
  for (std::uint32_t w :
       {0x01000000u, 12u, 11u, 12u, 13u, 0x01a10000u, static_cast<std::uint32_t>(-16)})
    put32(s, w);
  for (std::uint32_t w : {0x01000000u, 12u, 21u, 22u, 23u, 0x01a10000u, 24u}) put32(s, w);
  for (std::uint32_t w : {1u, 0u, 5u, 0u, 0u, 1u}) put32(s, w);  // 1, 5, 2^32
  put32(s, 0);                                                   // the end mark
  gcov::Layout layout;
  std::vector<std::uint64_t> values;
  gcov::read_gcda(s, "/b/x.gcda", &layout, values);
  BOOST_TEST((values == std::vector<std::uint64_t>{0, 0, 1, 5, 1ull << 32}));
  BOOST_TEST_REQUIRE(layout.objects.size() == 1u);
  BOOST_TEST(layout.objects[0].stamp == 7u);
  BOOST_TEST(layout.objects[0].functions.size() == 2u);
  BOOST_TEST(layout.objects[0].functions[1].offset == 2u);
  BOOST_TEST(layout.objects[0].functions[1].count == 3u);
  auto delta = gcov::difference({0, 0, 1, 5, 9}, {0, 2, 1, 6, 9});
  BOOST_TEST((delta == gcov::Delta{{1, 2}, {3, 1}}));
  BOOST_CHECK_THROW(gcov::read_gcda(s.substr(0, 30), "/b/x.gcda", nullptr, values),
                    attest::InputError);
}

// Found by suites/fuzz/gcov_fuzz.cpp: counts that a few corrupt bytes make huge were
// allocated before anything checked them (gigabytes, then out of memory).
BOOST_AUTO_TEST_CASE(corrupt_counts_are_refused_before_memory_is_asked_for_them,
                     *attest::requirement("FR-152")) {
  // A .gcda stream whose counter record stands for 2^28 zero counters (8 bytes of stream).
  std::string s;
  for (std::uint32_t w :
       {0x67636461u, 0x4232322au, 7u, 0u, 0x01000000u, 12u, 1u, 2u, 3u, 0x01a10000u, 0x80000000u})
    put32(s, w);
  gcov::Layout layout;
  std::vector<std::uint64_t> values;
  BOOST_CHECK_EXCEPTION(gcov::read_gcda(s, "/b/x.gcda", &layout, values), attest::InputError,
                        [](const attest::InputError& e) {
                          return contains(e.what(), "/b/x.gcda") &&
                                 contains(e.what(), "more than a function has");
                        });
  BOOST_TEST(values.capacity() < 1024u);

  // Notes of one function in a measured file claiming 2^31 - 1 blocks.
  attest_test::TempDir dir;
  auto source = (dir.path / "f.cpp").string();
  std::string notes;
  auto put_string = [&](const std::string& text) {
    put32(notes, static_cast<std::uint32_t>(text.size() + 1));
    notes.append(text).push_back('\0');
  };
  for (std::uint32_t w : {0x67636e6fu, 0x4232322au, 7u, 0u}) put32(notes, w);
  put_string(dir.path.string());  // the compilation directory
  put32(notes, 0);                // no unexecuted blocks
  std::string function;
  std::swap(notes, function);
  for (std::uint32_t w : {1u, 2u, 3u}) put32(notes, w);  // ident, checksums
  put_string("f");
  put32(notes, 0);  // not artificial
  put_string(source);
  for (std::uint32_t w : {1u, 1u, 3u}) put32(notes, w);  // first line, column, last line
  std::swap(notes, function);
  put32(notes, 0x01000000u);
  put32(notes, static_cast<std::uint32_t>(function.size()));
  notes += function;
  for (std::uint32_t w : {0x01410000u, 4u, 0x7fffffffu}) put32(notes, w);
  attest_test::write_file(dir.path / "x.gcno", notes);
  gcov::Layout one;
  one.objects.push_back({(dir.path / "x.gcda").string(), 0x4232322au, 7u, {{1, 2, 3, 0, 0}}});
  BOOST_CHECK_EXCEPTION(gcov::build_record(one, {}, {}, {}, gcov::Filter{{dir.path.string()}}),
                        attest::InputError, [](const attest::InputError& e) {
                          return contains(e.what(), "x.gcno") &&
                                 contains(e.what(), "block count 2147483647");
                        });
}

// The notes kept with one filter serve a run with another only when they hold all of its files.
BOOST_AUTO_TEST_CASE(a_filter_covers_the_filters_that_keep_less, *attest::requirement("FR-171")) {
  const gcov::Filter every{};  // every file but system headers'
  const gcov::Filter project{{"/src/app"}}, lib{{"/src/app/lib"}}, sibling{{"/src/application"}};
  BOOST_TEST(every.covers(every));
  BOOST_TEST(every.covers(project));
  BOOST_TEST(every.covers(gcov::Filter{{"/src/app", "/home/me/x"}}));
  for (const char* system : {"/usr/include", "/usr", "/", "/usr/"})
    BOOST_TEST(!every.covers(gcov::Filter{{system}}), system);
  BOOST_TEST(every.covers(gcov::Filter{{"/usrx/src"}}));
  BOOST_TEST(project.covers(lib));
  BOOST_TEST(project.covers(project));
  BOOST_TEST(!project.covers(sibling));
  BOOST_TEST(!lib.covers(project));
  BOOST_TEST(!project.covers(every));
  BOOST_TEST(!project.covers(gcov::Filter{{"/src/app/lib", "/src/other"}}));
}

BOOST_AUTO_TEST_CASE(lcov_has_one_section_per_test, *attest::requirement("FR-153")) {
  std::ostringstream out;
  write_lcov(out, sample(), {});
  auto text = out.str();
  // The unnamed section lists every line; each test's section only what it executed.
  BOOST_TEST(contains(text, "TN:\nSF:/p/src/f.cpp\nDA:1,0\nDA:2,0\nDA:3,0\n"), text);
  BOOST_TEST(contains(text, "TN:adds\nSF:/p/src/f.cpp\nDA:1,1\nDA:2,1\nBRDA:2,0,0,1\n"), text);
  BOOST_TEST(contains(text, "TN:signs\nSF:/p/src/g.cpp\nDA:5,1\n"), text);
  BOOST_TEST(!contains(text, "TN:nothing"), text);
  BOOST_TEST(lcov_test_name({"b", "suite/case<int>", {}}) == "suite_case_int_");
}

BOOST_AUTO_TEST_CASE(term_missing_and_cobertura_and_html,
                     *attest::requirement("FR-153", "FR-157")) {
  std::ostringstream term, xml, html;
  write_term_missing(term, sample(), {"/p"});
  BOOST_TEST(contains(term.str(), "src/f.cpp"), term.str());
  BOOST_TEST(contains(term.str(), "66%   3"), term.str());  // 2 of 3 lines, line 3 missing
  BOOST_TEST(contains(term.str(), "TOTAL"), term.str());
  write_cobertura(xml, sample(), {"/p"});
  BOOST_TEST(contains(xml.str(), "lines-covered=\"3\" lines-valid=\"4\""), xml.str());
  BOOST_TEST(contains(xml.str(), "condition-coverage=\"50% (1/2)\""), xml.str());
  write_html(html, sample(), {"/p"});
  BOOST_TEST(contains(html.str(), "adds <small>(calc)</small>"), html.str());
  BOOST_TEST(contains(html.str(), "<span class=\"req\">CALC-001</span>"), html.str());
  BOOST_CHECK_THROW(parse_report_request("xml"), std::invalid_argument);
  BOOST_TEST(parse_report_request("lcov:out.info").file == "out.info");
}

BOOST_AUTO_TEST_CASE(the_gate_names_what_is_below, *attest::requirement("FR-156")) {
  GateOptions o;
  o.root = "/p";
  o.overall = parse_threshold("--cov-fail-under", "line=70,branch=50");
  BOOST_TEST(check_gate(sample(), o).empty());  // 75 % of lines, 50 % of branches
  o.overall = parse_threshold("--cov-fail-under", "80");
  auto below = check_gate(sample(), o);
  BOOST_TEST_REQUIRE(below.size() == 1u);
  BOOST_TEST(below[0] == "total: line 75.0% < 80% (3/4)");
  o.overall = {};
  o.per_file = parse_threshold("--cov-fail-under-file", "line=100");
  below = check_gate(sample(), o);
  BOOST_TEST_REQUIRE(below.size() == 1u);
  BOOST_TEST(contains(below[0], "src/f.cpp: line 66.6% < 100%"), below[0]);
  o.per_file = {};
  o.per_requirement = parse_threshold("--cov-fail-under-req", "line=50");
  below = check_gate(sample(), o);
  BOOST_TEST_REQUIRE(below.size() == 1u);
  BOOST_TEST(below[0] == "CALC-003: its tests reach no measured code");
  auto reqs = requirement_coverage(sample());
  BOOST_TEST(reqs.at("CALC-001").totals.lines_hit == 2u);
  BOOST_TEST(reqs.at("CALC-001").totals.lines == 3u);
  BOOST_CHECK_THROW(parse_threshold("--cov-fail-under", "lines=abc"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_threshold("--cov-fail-under", "branchy=5"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_threshold("--cov-fail-under", "101"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(affected_tests_reach_a_changed_line, *attest::requirement("FR-158")) {
  auto change = parse_unified_diff(
      "diff --git a/src/g.cpp b/src/g.cpp\n--- a/src/g.cpp\n+++ b/src/g.cpp\n"
      "@@ -5 +5 @@ int sign(int x) {\n-  a\n+  b\n"
      "diff --git a/t.cpp b/t.cpp\n--- a/t.cpp\n+++ b/t.cpp\n@@ -20,0 +21,2 @@\n+x\n+y\n",
      "/p");
  BOOST_TEST((change.files.at("/p/src/g.cpp") == std::set<std::uint32_t>{5}));
  BOOST_TEST(change.files.at("/p/t.cpp").empty());  // only inserted into: after line 20
  BOOST_TEST((change.insertions.at("/p/t.cpp") == std::set<std::uint32_t>{20}));
  BOOST_TEST(change.lines() == 3u);  // one changed, two inserted
  std::vector<TestDefinition> tests{{"calc", "adds", "/p/t.cpp", 3},
                                    {"calc", "signs", "/p/t.cpp", 8},
                                    {"calc", "nothing", "/p/t.cpp", 12},
                                    {"calc", "brand_new", "/p/t.cpp", 30}};
  auto only_g = change;
  only_g.files.erase("/p/t.cpp");
  auto a = affected_tests(sample(), tests, only_g, {});
  BOOST_TEST((a.selected == std::vector<bool>{false, true, false, true}));  // + the new test
  BOOST_TEST(a.by_coverage == 1u);
  BOOST_TEST(a.without_record == 1u);
  // Lines inserted after line 20 of the test file lie in "nothing"'s body (declared at 12).
  a = affected_tests(sample(), tests, change, {});
  BOOST_TEST((a.selected == std::vector<bool>{false, true, true, true}));
  // Appended at the end of the test file (it had 20 lines), they are no test's.
  a = affected_tests(sample(), tests, change,
                     [](const std::string& f) { return f == "/p/t.cpp" ? 20u : 0u; });
  BOOST_TEST((a.selected == std::vector<bool>{false, true, false, true}));
  // A changed header the record has no lines of: everything runs, and why is said.
  auto header = only_g;
  header.files["/p/src/calc.hpp"] = {3};
  a = affected_tests(sample(), tests, header, {});
  BOOST_TEST(a.all);
  BOOST_TEST((a.selected == std::vector<bool>(4, true)));
  BOOST_TEST_REQUIRE(a.reasons.size() == 1u);
  BOOST_TEST(contains(a.reasons[0], "/p/src/calc.hpp changed and the record has no lines of it"));
  // A hunk no source file could have: every test runs, and why is said.
  auto corrupt =
      parse_unified_diff("--- a/src/g.cpp\n+++ b/src/g.cpp\n@@ -172258667,415205668 +1 @@\n", "/p");
  a = affected_tests(sample(), tests, corrupt, {});
  BOOST_TEST(a.all);
  BOOST_TEST(contains(a.reasons.at(0), "a hunk of 415205668 lines"));
  // A record that knows line 5 of a file that had 4 lines at REF is out of step.
  a = affected_tests(sample(), tests, only_g, [](const std::string&) { return 4u; });
  BOOST_TEST(a.all);
  BOOST_TEST(contains(a.reasons.at(0), "out of step"));
}

BOOST_AUTO_TEST_CASE(a_change_in_a_function_selects_every_test_that_ran_any_of_it,
                     *attest::requirement("FR-158")) {
  // f.cpp holds one function, lines 1-3: "adds" ran lines 1-2, no one ran line 3.
  auto record = sample();
  record.files["/p/src/f.cpp"].functions = {{1, 3}};
  std::vector<TestDefinition> tests{{"calc", "adds", "/p/t.cpp", 3},
                                    {"calc", "signs", "/p/t.cpp", 8},
                                    {"calc", "nothing", "/p/t.cpp", 12}};
  Change unreached;
  unreached.files["/p/src/f.cpp"] = {3};  // a line no test executed, inside the function
  auto a = affected_tests(record, tests, unreached, {});
  BOOST_TEST((a.selected == std::vector<bool>{true, false, false}));
  // Without the function's extent (an older record), only the line itself counts.
  a = affected_tests(sample(), tests, unreached, {});
  BOOST_TEST((a.selected == std::vector<bool>{false, false, false}));
  // Outside every function (line 9 of f.cpp): the line only.
  Change outside;
  outside.files["/p/src/f.cpp"] = {9};
  a = affected_tests(record, tests, outside, {});
  BOOST_TEST((a.selected == std::vector<bool>{false, false, false}));
  // The extents travel in the record's JSON and merge.
  auto back = from_json(to_json(record), "record.json");
  BOOST_TEST((back.files.at("/p/src/f.cpp").functions == std::set<LineSpan>{{1, 3}}));
  Record merged;
  merge(merged, back);
  BOOST_TEST(merged.files.at("/p/src/f.cpp").functions.size() == 1u);
}

// Clang's mapping joins functions and file lists by the low 64 bits of MD5, read
// little-endian: RFC 1321's test vectors, across the 56-byte padding boundary too.
BOOST_AUTO_TEST_CASE(clang_names_hash_as_llvm_hashes_them, *attest::requirement("FR-167")) {
  using attest::coverage::llvm::md5_low64;
  BOOST_TEST(md5_low64("") == 0x04b2008fd98c1dd4ull);     // d41d8cd98f00b204...
  BOOST_TEST(md5_low64("abc") == 0xb04fd23c98500190ull);  // 900150983cd24fb0...
  BOOST_TEST(
      md5_low64(
          "12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
      0x55c9e32ba2f4ed57ull);  // 57edf4a22be3c955...
}

BOOST_AUTO_TEST_SUITE_END()
