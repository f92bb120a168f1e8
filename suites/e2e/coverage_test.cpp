// Per-test coverage on a downstream project (coverage/: a library instrumented with
// attest_enable_coverage(), its tests run with --cov), built by a real compiler against this
// build tree: who executes which line, the reports other tools read (genhtml, gcovr,
// xmllint), the gate, and the tests a change affects.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include <array>
#include <chrono>
#include <map>
#include <random>
#include <set>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::line_of;
using attest_test::run_command;
using attest_test::TempDir;
namespace fs = std::filesystem;
using strings = std::vector<std::string>;

namespace {

// A copy of the project (the affected-tests test edits it), configured and built.
struct Project {
  fs::path source, build;
};

// `compiler`: the project's C++ compiler (CMake's choice when empty); `shared`: calc built as a
// shared library instead of a static one.
Project build_copy(const fs::path& root, const std::string& compiler = "", bool shared = false) {
  Project p{root / "calc", root / "build"};
  fs::copy(ATTEST_CALC_DIR, p.source, fs::copy_options::recursive);
  if (shared) {
    auto cmake = attest_test::read_file(p.source / "CMakeLists.txt");
    auto at = cmake.find("add_library(calc STATIC");
    BOOST_TEST_REQUIRE(at != std::string::npos);
    attest_test::write_file(p.source / "CMakeLists.txt",
                            cmake.replace(at, 23, "add_library(calc SHARED"));
  }
  strings configure{ATTEST_CMAKE,           "-S",
                    p.source.string(),      "-B",
                    p.build.string(),       "-G",
                    ATTEST_CMAKE_GENERATOR, std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR};
  if (!compiler.empty()) configure.push_back("-DCMAKE_CXX_COMPILER=" + compiler);
  auto c = run_command(configure);
  BOOST_TEST_REQUIRE(c.exit_code == 0, c.out + c.err);
  auto b = run_command({ATTEST_CMAKE, "--build", p.build.string()});
  BOOST_TEST_REQUIRE(b.exit_code == 0, b.out + b.err);
  return p;
}

attest::CommandResult run_tests(const Project& p, strings args) {
  args.insert(args.begin(),
              {(p.build / "calc_tests").string(), "--config", (p.source / "attest.json").string()});
  return run_command(args, p.build);
}

// One build for the tests that only read it.
const Project& measured() {
  static TempDir dir;
  static Project project = build_copy(dir.path);
  return project;
}

// The ids of the record's tests that executed `line` of `file`.
std::set<std::string> tests_reaching(const boost::json::object& record, const fs::path& file,
                                     std::size_t line) {
  std::set<std::string> out;
  const auto& tests = record.at("tests").as_array();
  for (const auto& l : record.at("files").at(file.string()).at("lines").as_array())
    if (l.as_array()[0].to_number<std::size_t>() == line)
      for (const auto& t : l.as_array()[2].as_array())
        out.insert(std::string(tests[t.to_number<std::size_t>()].at("id").as_string()));
  return out;
}

// The lcov section of test `name` (from its TN: line to the next).
std::string lcov_section(const std::string& lcov, const std::string& name) {
  auto at = lcov.find("TN:" + name + "\n");
  if (at == std::string::npos) return "";
  return lcov.substr(at, lcov.find("TN:", at + 3) - at);
}

// What a run of calc's tests must show, whichever compiler built it: "adds" calls clamp_add and
// covers its lines, "signs" does not, and the other way round — in the record (cov.json) and in
// lcov's per-test sections (cov.info). Returns the record.
boost::json::object expect_each_test_reaches_its_own_function(const Project& p) {
  auto file = p.source / "src" / "calc.cpp";
  auto add_line = line_of(file, "int sum = a + b;");
  auto sign_line = line_of(file, "if (x < 0) return -1;");
  auto record = boost::json::parse(attest_test::read_file(p.build / "cov.json")).as_object();
  BOOST_TEST((tests_reaching(record, file, add_line) == std::set<std::string>{"adds"}));
  BOOST_TEST((tests_reaching(record, file, sign_line) == std::set<std::string>{"signs"}));
  auto lcov = attest_test::read_file(p.build / "cov.info");
  auto da_add = "DA:" + std::to_string(add_line) + ",1\n";
  BOOST_TEST(contains(lcov_section(lcov, "adds"), da_add), lcov);
  BOOST_TEST(!contains(lcov_section(lcov, "signs"), da_add), lcov);
  BOOST_TEST(contains(lcov_section(lcov, "signs"), "DA:" + std::to_string(sign_line) + ",1\n"));
  return record;
}

// A record's totals over all its files, as the other tools count them.
struct Counted {
  std::size_t lines = 0, lines_hit = 0, branches = 0, taken = 0;
};
Counted counted(const boost::json::object& record) {
  Counted c;
  for (const auto& [path, f] : record.at("files").as_object()) {
    for (const auto& l : f.at("lines").as_array()) {
      ++c.lines;
      c.lines_hit += l.as_array()[1].to_number<std::uint64_t>() > 0;
    }
    for (const auto& b : f.at("branches").as_array()) {
      ++c.branches;
      c.taken += b.as_array()[2].to_number<std::uint64_t>() > 0;
    }
  }
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(coverage_e2e, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(each_test_covers_the_lines_it_runs_and_other_tools_agree,
                     *attest::requirement("FR-151", "FR-152", "FR-153", "FR-154", "FR-157")) {
  const auto& p = measured();
  auto r = run_tests(p, {"--cov=" + (p.source / "src").string(), "--cov-report=term-missing",
                         "--cov-report=json:cov.json", "--cov-report=lcov:cov.info",
                         "--cov-report=html:cov.html", "--cov-report=cobertura:cov.xml"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
  // The record and lcov's sections (one TN: per test, which genhtml reads with --show-details).
  auto record = expect_each_test_reaches_its_own_function(p);
  auto genhtml = run_command({"genhtml", "--show-details", "--branch-coverage", "-o",
                              (p.build / "genhtml").string(), (p.build / "cov.info").string()});
  BOOST_TEST(genhtml.exit_code == 0, genhtml.out + genhtml.err);
  BOOST_TEST(contains(genhtml.out, "lines......: 75.0% (6 of 8 lines)"), genhtml.out);
  auto details = attest_test::read_file(p.build / "genhtml" / "src" / "index-detail.html");
  BOOST_TEST(contains(details, "adds"));
  BOOST_TEST(contains(details, "signs"));

  // gcovr over the same run's .gcda files: the same line and branch totals.
  auto gcovr =
      run_command({"gcovr", "-r", p.source.string(), "--json-summary", "-", p.build.string()});
  BOOST_TEST_REQUIRE(gcovr.exit_code == 0, gcovr.out + gcovr.err);
  auto summary = boost::json::parse(gcovr.out).as_object();
  auto ours = counted(record);
  BOOST_TEST(summary.at("line_total").to_number<std::size_t>() == ours.lines);
  BOOST_TEST(summary.at("line_covered").to_number<std::size_t>() == ours.lines_hit);
  BOOST_TEST(summary.at("branch_total").to_number<std::size_t>() == ours.branches);
  BOOST_TEST(summary.at("branch_covered").to_number<std::size_t>() == ours.taken);
  BOOST_TEST(contains(r.out, "src/calc.cpp       8      2      6      4    75%"), r.out);

  // The HTML: the line shows who executed it and what they verify; cobertura is XML.
  auto html = attest_test::read_file(p.build / "cov.html");
  BOOST_TEST(contains(html, "adds"));
  BOOST_TEST(contains(html, "CALC-001"));
  BOOST_TEST(contains(html, "CALC-002"));
  auto xmllint = run_command({"xmllint", "--noout", (p.build / "cov.xml").string()});
  BOOST_TEST(xmllint.exit_code == 0, xmllint.err);
  auto cobertura = attest_test::read_file(p.build / "cov.xml");
  BOOST_TEST(contains(cobertura.substr(0, 400), "lines-covered=\"6\" lines-valid=\"8\""),
             cobertura.substr(0, 400));
}

BOOST_AUTO_TEST_CASE(the_gate_names_the_file_and_the_requirement_below,
                     *attest::requirement("FR-156")) {
  const auto& p = measured();
  auto src = "--cov=" + (p.source / "src").string();
  auto below = run_tests(p, {src, "--cov-fail-under-file=line=90", "--cov-fail-under-req=line=50"});
  BOOST_TEST(below.exit_code == 1, below.out + below.err);
  BOOST_TEST(contains(below.out, "src/calc.cpp: line 75.0% < 90%"), below.out);
  BOOST_TEST(contains(below.out, "CALC-003: its tests reach no measured code"), below.out);
  auto met = run_tests(p, {src, "--cov-fail-under=line=70"});
  BOOST_TEST(met.exit_code == 0, met.out + met.err);
  auto bad = run_tests(p, {src, "--cov-fail-under=line=ninety"});
  BOOST_TEST(bad.exit_code == 2, bad.out + bad.err);
}

// The notes a run parsed are kept beside each .gcno for the next run (notes_cache.hpp): used
// when they still describe that file for the build and the --cov sources, ignored and written anew
// when not — never a different record.
BOOST_AUTO_TEST_CASE(parsed_notes_are_cached_and_a_bad_cache_changes_nothing,
                     *attest::requirement("FR-169")) {
  const auto& p = measured();
  auto src = "--cov=" + (p.source / "src").string();
  auto record_of = [&](const strings& filter, const std::string& name) {
    strings args = filter;
    args.push_back("--cov-report=json:" + name);
    auto r = run_tests(p, args);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
    return attest_test::read_file(p.build / name);
  };
  // (the build's own cache, for every source, gone: the first run writes the one of its sources)
  for (const auto& e : fs::recursive_directory_iterator(p.build))
    if (e.path().extension() == ".attest-cache") fs::remove(e.path());
  auto first = record_of({src}, "cache-1.json");
  // calc.cpp's notes (the object of the measured library) and their cache beside them.
  fs::path gcno, cache;
  for (const auto& e : fs::recursive_directory_iterator(p.build))
    if (e.path().filename() == "calc.cpp.gcno") gcno = e.path();
  BOOST_TEST_REQUIRE(!gcno.empty());
  cache = gcno.string() + ".attest-cache";
  BOOST_TEST_REQUIRE(fs::exists(cache));
  const auto written = attest_test::read_file(cache);
  const auto written_at = fs::last_write_time(cache);

  // Used as it is: not written again, the same record.
  BOOST_TEST(record_of({src}, "cache-2.json") == first);
  BOOST_TEST((fs::last_write_time(cache) == written_at));

  // Damaged (a byte in the middle), cut short, or another file's: the same record, and the
  // cache made again as the notes give it.
  auto damaged = written;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x5a);
  for (const auto& bad :
       {damaged, written.substr(0, written.size() / 2), std::string("attestNC")}) {
    attest_test::write_file(cache, bad);
    BOOST_TEST(record_of({src}, "cache-3.json") == first);
    BOOST_TEST(attest_test::read_file(cache) == written);
  }

  // Notes written again (as a rebuild does): the cache no longer names them and is replaced.
  fs::last_write_time(gcno, fs::last_write_time(gcno) + std::chrono::seconds(1));
  BOOST_TEST(record_of({src}, "cache-4.json") == first);
  BOOST_TEST((fs::last_write_time(cache) != written_at));

  // Another filter (here keeping none of calc.cpp's files) reads the notes for itself and
  // leaves its own cache; the first filter's record is the same afterwards.
  const auto current = attest_test::read_file(cache);
  auto other = record_of({"--cov=" + (p.source / "calc_tests.cpp").string()}, "cache-5.json");
  BOOST_TEST(!contains(other, "calc.cpp"), other);
  BOOST_TEST(attest_test::read_file(cache) != current);
  BOOST_TEST(record_of({src}, "cache-6.json") == first);
  BOOST_TEST(attest_test::read_file(cache) == current);
}

// The build reads the notes once after linking (attest_prepare_coverage: --cov-prepare) for
// every source but system headers'; the first --cov run, with any --cov=DIR, reads those and
// makes the record a run without them makes. The build's run leaves no .gcda file.
BOOST_AUTO_TEST_CASE(the_build_keeps_the_notes_parsed_for_the_first_cov_run,
                     *attest::requirement("FR-171")) {
  const auto& p = measured();
  auto src = "--cov=" + (p.source / "src").string();
  auto clear = [&](const std::string& extension) {
    for (const auto& e : fs::recursive_directory_iterator(p.build))
      if (e.path().string().ends_with(extension)) fs::remove(e.path());
  };
  auto record = [&](const std::string& name) {
    auto r = run_tests(p, {src, "--cov-report=json:" + name});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
    return attest_test::read_file(p.build / name);
  };
  clear(".attest-cache");
  const auto parsed = record("prepare-0.json");  // the notes read by the run itself
  clear(".attest-cache");
  clear(".gcda");
  fs::remove(p.build / "calc_tests");  // linked again: the build's step runs
  auto b = run_command({ATTEST_CMAKE, "--build", p.build.string()});
  BOOST_TEST_REQUIRE(b.exit_code == 0, b.out + b.err);
  fs::path cache;
  std::size_t gcda = 0;
  for (const auto& e : fs::recursive_directory_iterator(p.build)) {
    if (e.path().filename() == "calc.cpp.gcno.attest-cache") cache = e.path();
    gcda += e.path().extension() == ".gcda";
  }
  BOOST_TEST_REQUIRE(!cache.empty(), b.out);
  BOOST_TEST(gcda == 0u);
  const auto prepared = attest_test::read_file(cache);
  const auto prepared_at = fs::last_write_time(cache);
  // Used as the build left it (not read again nor rewritten), the same record.
  BOOST_TEST(record("prepare-1.json") == parsed);
  BOOST_TEST((fs::last_write_time(cache) == prepared_at));
  BOOST_TEST(attest_test::read_file(cache) == prepared);
  // The discovery's run (attest_discover_tests) prepares with its listing, which stays whole.
  clear(".attest-cache");
  auto listed = run_tests(p, {"--collect-only=json", "--cov-prepare"});
  BOOST_TEST_REQUIRE(listed.exit_code == 0, listed.out + listed.err);
  BOOST_TEST(boost::json::parse(listed.out).as_object().at("tests").as_array().size() == 3u,
             listed.out);
  BOOST_TEST(attest_test::read_file(cache) == prepared);
  // A binary without coverage counters (this one, in a build without coverage) has nothing to
  // prepare: said when asked alone, not beside the discovery's listing; no test runs either way.
  const auto self = fs::read_symlink("/proc/self/exe").string();
  auto alone = run_command({self, "--cov-prepare"});
  BOOST_TEST(alone.exit_code == 0, alone.out + alone.err);
  BOOST_TEST(
      (contains(alone.err, "carries no coverage counters") || contains(alone.err, "kept parsed")),
      alone.err);
  BOOST_TEST(!contains(alone.out, "passed"), alone.out);
  auto listing = run_command({self, "--collect-only=json", "--cov-prepare"});
  BOOST_TEST(listing.exit_code == 0, listing.err);
  BOOST_TEST(boost::json::parse(listing.out).as_object().at("tests").as_array().size() >= 10u);
  if (contains(alone.err, "carries no coverage counters"))
    BOOST_TEST(!contains(listing.err, "--cov-prepare"), listing.err);
  // A run whose sources the build's do not cover (a system directory) reads the notes itself.
  auto usr = run_tests(p, {"--cov=/usr/include", "--cov-report=json:prepare-2.json"});
  BOOST_TEST(usr.exit_code == 0, usr.out + usr.err);
  BOOST_TEST(attest_test::read_file(cache) != prepared);
}

// A --cov run's .gcda files are written by attest, not libgcov (gcda_dump.hpp): they must be
// libgcov's bytes — after one run and after a second merged into them — counts included, also
// of the code that runs after the last test (calc_tests.cpp's static destructor calls sign(-1)
// once more); and what attest leaves to libgcov (damaged files, GCOV_PREFIX) must end as it does.
BOOST_AUTO_TEST_CASE(the_gcda_files_of_a_cov_run_hold_the_whole_run,
                     *attest::requirement("FR-170")) {
  const auto& p = measured();
  // The .gcda files after `runs` runs from none (the second merges into the first's files).
  auto files_after = [&](const strings& args, int runs) {
    for (const auto& e : fs::recursive_directory_iterator(p.build))
      if (e.path().extension() == ".gcda") fs::remove(e.path());
    for (int i = 0; i < runs; ++i) {
      auto r = run_tests(p, args);
      BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
    }
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(p.build))
      if (e.path().extension() == ".gcda")
        files[e.path().string()] = attest_test::read_file(e.path());
    BOOST_TEST_REQUIRE(!files.empty());
    return files;
  };
  auto counts = [&] {
    auto gcovr = run_command({"gcovr", "-r", p.source.string(), "--json", "-", p.build.string()});
    BOOST_TEST_REQUIRE(gcovr.exit_code == 0, gcovr.out + gcovr.err);
    return boost::json::parse(gcovr.out).as_object().at("files");
  };
  const strings cov{"--cov=" + (p.source / "src").string()};
  // Written by attest, merged as libgcov merges: libgcov's bytes, first run and second.
  for (int runs : {1, 2}) {
    auto plain = files_after({}, runs);
    auto plain_counts = counts();
    auto per_test = files_after(cov, runs);
    BOOST_TEST((per_test == plain), runs << " run(s)");
    BOOST_TEST(counts() == plain_counts);
  }
  // What attest does not merge itself is left to libgcov, with libgcov's choices: a file that
  // is not coverage data (reported, left as it is), files relocated by GCOV_PREFIX.
  auto command = [&](const strings& args) {
    strings argv{(p.build / "calc_tests").string(), "--config",
                 (p.source / "attest.json").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  };
  fs::path calc_gcda;
  for (const auto& [path, bytes] : files_after({}, 1))
    if (path.ends_with("calc.cpp.gcda")) calc_gcda = path;
  BOOST_TEST_REQUIRE(!calc_gcda.empty());
  std::map<std::string, std::string> left;  // what each run leaves in the file, and says
  for (const auto& [name, args] : {std::pair<std::string, strings>{"plain", {}}, {"cov", cov}}) {
    attest_test::write_file(calc_gcda, "not coverage data");
    auto r = run_command(command(args), p.build);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
    BOOST_TEST(contains(r.err, "Not a gcov data file"), name << ": " << r.err);
    left[name] = attest_test::read_file(calc_gcda);
  }
  BOOST_TEST(left["plain"] == left["cov"]);
  // Damaged files (cut short, a byte or a word changed), each run over by both: the same bytes
  // left and the same complaints, whether attest merged the file or left it to libgcov.
  auto valid = files_after({}, 1).at(calc_gcda.string());
  std::mt19937 random(170);
  auto profiling_lines = [](const std::string& err) {
    std::string out;
    for (std::size_t at = 0; at < err.size();) {
      auto end = std::min(err.find('\n', at), err.size());
      auto line = err.substr(at, end - at);
      if (line.find("profiling") != std::string::npos) out += line + "\n";
      at = end + 1;
    }
    return out;
  };
  for (int i = 0; i < 48; ++i) {
    std::string damaged = valid;
    auto at = std::uniform_int_distribution<std::size_t>(0, valid.size() - 1)(random);
    if (i % 3 == 0) damaged.resize(at);
    if (i % 3 == 1) damaged[at] = static_cast<char>(random());
    if (i % 3 == 2) damaged.replace(at / 4 * 4, 4, std::string("\x02\0\0\0", 4));
    // (bytes left, complaints, how the run ended: libgcov aborts on some, the plain run too)
    std::map<std::string, std::array<std::string, 3>> after;
    for (const auto& [name, args] : {std::pair<std::string, strings>{"plain", {}}, {"cov", cov}}) {
      attest_test::write_file(calc_gcda, damaged);
      auto r = run_command(command(args), p.build);
      after[name] = {attest_test::read_file(calc_gcda), profiling_lines(r.err),
                     r.describe_status()};
    }
    BOOST_TEST((after["plain"] == after["cov"]),
               "damage " << i << " at byte " << at << ": " << after["plain"][1] << after["plain"][2]
                         << " / " << after["cov"][1] << after["cov"][2]);
  }
  TempDir relocated;
  for (const auto& [name, args] : {std::pair<std::string, strings>{"plain", {}}, {"cov", cov}}) {
    auto r =
        run_command(command(args), p.build, {{"GCOV_PREFIX", (relocated.path / name).string()}});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
  }
  auto relocated_copy = fs::path(relocated.path / "cov") / calc_gcda.relative_path();
  BOOST_TEST_REQUIRE(fs::exists(relocated_copy), relocated_copy);
  BOOST_TEST(
      attest_test::read_file(relocated_copy) ==
      attest_test::read_file(fs::path(relocated.path / "plain") / calc_gcda.relative_path()));

  // sign(-4) in a test, sign(-1) after them: twice.
  files_after(cov, 1);
  auto per_test = counts();
  auto file = p.source / "src" / "calc.cpp";
  auto line = line_of(file, "if (x < 0) return -1;");
  std::int64_t count = -1;
  for (const auto& f : per_test.as_array())
    for (const auto& l : f.at("lines").as_array())
      if (l.at("line_number").to_number<std::size_t>() == line)
        count = l.at("count").to_number<std::int64_t>();
  BOOST_TEST(count == 2, boost::json::serialize(per_test));
}

BOOST_AUTO_TEST_CASE(trace_check_shows_the_code_each_requirement_reaches,
                     *attest::requirement("FR-163")) {
  const auto& p = measured();
  auto r = run_tests(p, {"--cov=" + (p.source / "src").string(), "--cov-report=json:req.json",
                         "--report-json", "results.json"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
  strings gate{ATTEST_TRACE_CHECK,
               "--config",
               (p.source / "attest.json").string(),
               "--collect",
               (p.build / "calc_tests").string(),
               "--results",
               "results.json",
               "--cov-record",
               "req.json"};
  auto text = run_command(gate, p.build);
  BOOST_TEST(text.exit_code == 0, text.out + text.err);
  // CALC-001's test reaches clamp_add: 4 of calc.cpp's 8 lines; CALC-003's reaches nothing.
  BOOST_TEST(contains(text.out, "CALC-001: 50.0% (4/8 lines, 1 file)"), text.out);
  BOOST_TEST(contains(text.out, "CALC-002: 25.0% (2/8 lines, 1 file)"), text.out);
  BOOST_TEST(
      contains(text.out, "CALC-003: its tests ran under coverage and reached no measured code"),
      text.out);
  gate.insert(gate.end(),
              {"-f", "json", "-f", "markdown", "-o", "trace.md", "-f", "html", "-o", "trace.html"});
  auto json = run_command(gate, p.build);
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.out + json.err);
  auto doc = boost::json::parse(json.out);
  const auto& first = doc.at("requirements").as_array().at(0);
  BOOST_TEST(first.at("id").as_string() == "CALC-001");
  BOOST_TEST(first.at("code").at("lines_hit").to_number<int>() == 4);
  BOOST_TEST(doc.at("no_code").as_array().size() == 1u);
  BOOST_TEST(contains(attest_test::read_file(p.build / "trace.md"), "| Code reached |"));
  auto html = attest_test::read_file(p.build / "trace.html");
  BOOST_TEST(contains(html, "<th>Code reached</th>"));
  BOOST_TEST(contains(html, "50.0% (4/8 lines, 1 file)"));
}

BOOST_AUTO_TEST_CASE(a_changed_function_selects_exactly_the_tests_reaching_it_and_new_ones,
                     *attest::requirement("FR-158")) {
  TempDir tmp;
  auto p = build_copy(tmp.path);
  auto git = [&](strings args) {
    args.insert(args.begin(), {"git", "-C", p.source.string(), "-c", "user.name=attest", "-c",
                               "user.email=attest@localhost"});
    auto r = run_command(args);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
  };
  git({"init", "-q"});
  git({"add", "-A"});
  git({"commit", "-qm", "calc"});
  auto measured_run =
      run_tests(p, {"--cov=" + (p.source / "src").string(), "--cov-report=json:cov.json"});
  BOOST_TEST_REQUIRE(measured_run.exit_code == 0, measured_run.out + measured_run.err);

  // sign()'s body changes on a line no test executed; a new test is added.
  auto calc = p.source / "src" / "calc.cpp";
  auto text = attest_test::read_file(calc);
  auto at = text.find("if (x == 0) return 0;");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  text.replace(at, 21, "if (x == 0) return 0;  // zero has no sign");
  attest_test::write_file(calc, text);
  auto tests_file = p.source / "calc_tests.cpp";
  attest_test::write_file(
      tests_file, attest_test::read_file(tests_file) +
                      "\nBOOST_AUTO_TEST_CASE(signs_zero, *attest::requirement(\"CALC-002\")) {\n"
                      "  BOOST_TEST(sign(0) == 0);\n}\n");
  auto rebuilt = run_command({ATTEST_CMAKE, "--build", p.build.string()});
  BOOST_TEST_REQUIRE(rebuilt.exit_code == 0, rebuilt.out + rebuilt.err);

  auto affected = run_tests(
      p, {"--affected-since", "HEAD", "--affected-record", "cov.json", "--collect-only=json"});
  BOOST_TEST_REQUIRE(affected.exit_code == 0, affected.out + affected.err);
  std::set<std::string> ids;
  auto manifest = boost::json::parse(affected.out);
  for (const auto& t : manifest.at("tests").as_array())
    ids.insert(std::string(t.at("id").as_string()));
  BOOST_TEST((ids == std::set<std::string>{"signs", "signs_zero"}));
  // Run for real: those two, the rest not.
  auto run = run_tests(p, {"--affected-since", "HEAD", "--affected-record", "cov.json"});
  BOOST_TEST(run.exit_code == 0, run.out + run.err);
  BOOST_TEST(contains(run.out, "2 of 4 selected tests affected"), run.out);
  BOOST_TEST(contains(run.out, "2 passed"), run.out);
}

// The same project built by Clang: source-based coverage, the counters of the profile
// runtime read around each test and mapped through the binary's own coverage mapping.
BOOST_AUTO_TEST_CASE(clang_source_based_coverage_is_recorded_per_test_as_llvm_cov_counts,
                     *attest::requirement("FR-151", "FR-152", "FR-167")) {
  TempDir tmp;
  auto p = build_copy(tmp.path, "clang++");
  auto r = run_tests(p, {"--cov=" + (p.source / "src").string(), "--cov-report=term-missing",
                         "--cov-report=json:cov.json", "--cov-report=lcov:cov.info"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
  auto record = expect_each_test_reaches_its_own_function(p);

  // The run's .profraw stays whole-run data: llvm-cov reads it and counts what attest counted.
  auto merged =
      run_command({"llvm-profdata", "merge", "-o", "cov.profdata", "default.profraw"}, p.build);
  BOOST_TEST_REQUIRE(merged.exit_code == 0, merged.out + merged.err);
  auto exported =
      run_command({"llvm-cov", "export", "-summary-only", "calc_tests",
                   "-instr-profile=cov.profdata", (p.source / "src" / "calc.cpp").string()},
                  p.build);
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.out + exported.err);
  auto summary = boost::json::parse(exported.out);
  const auto& theirs = summary.at("data").at(0).at("totals");
  auto ours = counted(record);
  BOOST_TEST(theirs.at("lines").at("count").to_number<std::size_t>() == ours.lines);
  BOOST_TEST(theirs.at("lines").at("covered").to_number<std::size_t>() == ours.lines_hit);
  BOOST_TEST(theirs.at("branches").at("count").to_number<std::size_t>() == ours.branches);
  BOOST_TEST(theirs.at("branches").at("covered").to_number<std::size_t>() == ours.taken);
  BOOST_TEST(contains(r.out, "src/calc.cpp      10      3      6      4    70%"), r.out);
}

// Code under test in a shared library. GCC: each library keeps a list of its own objects, all
// chained on one __gcov_master, so it is measured like a static one. Clang: each library keeps
// a profile runtime of its own which the executable's does not see — measuring nothing there
// would read as "no test reaches calc", so --cov refuses, saying why and what to do.
BOOST_AUTO_TEST_CASE(code_in_a_shared_library, *attest::requirement("FR-151", "FR-152", "FR-167")) {
  {
    TempDir tmp;
    auto p = build_copy(tmp.path, "g++", true);
    auto r = run_tests(p, {"--cov=" + (p.source / "src").string(), "--cov-report=json:cov.json",
                           "--cov-report=lcov:cov.info", "--cov-report=term-missing"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
    expect_each_test_reaches_its_own_function(p);
    BOOST_TEST(contains(r.out, "src/calc.cpp       8      2      6      4    75%"), r.out);
  }
  TempDir tmp;
  auto p = build_copy(tmp.path, "clang++", true);
  auto r = run_tests(p, {"--cov=" + (p.source / "src").string()});
  BOOST_TEST(r.exit_code == 2, r.out + r.err);
  BOOST_TEST(contains(r.err, "code in a shared library is not measured"), r.err);
  BOOST_TEST(contains(r.err, "build the code under test as a static library"), r.err);
}

// The mapping reader on what a small project holds beyond calc: a template instantiated twice,
// an inline function of a header used from two files, a macro with a branch, a switch, loops,
// a function never called — whole run, per file, per line and per test (each test also run
// alone and measured by llvm-cov).
BOOST_AUTO_TEST_CASE(the_clang_mapping_reader_agrees_with_llvm_cov_line_by_line,
                     *attest::requirement("FR-167")) {
  auto r = run_command({"bash", ATTEST_LLVM_COVERAGE_CHECK, ATTEST_BUILD_DIR});
  BOOST_TEST(r.exit_code == 0, r.out + r.err);
  BOOST_TEST(contains(r.out, "all checks passed"), r.out);
}

BOOST_AUTO_TEST_SUITE_END()
