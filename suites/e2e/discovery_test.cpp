// attest_discover_tests() as a downstream project uses it (discovery/): one CTest test per
// case and per suite, in both discovery modes, labelled with markers and requirement IDs,
// against one shared environment, gated by trace-check --build-dir on the per-case results.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include <regex>
#include <set>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::run_command;
using attest_test::TempDir;
namespace fs = std::filesystem;
using strings = std::vector<std::string>;

namespace {

const fs::path kProject = ATTEST_DISCOVERY_DIR;

// The names `ctest -N [args]` lists.
std::set<std::string> listed(const fs::path& build, strings args = {}) {
  args.insert(args.begin(), {ATTEST_CTEST, "--test-dir", build.string(), "-N"});
  auto r = run_command(args);
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
  std::set<std::string> names;
  static const std::regex line(R"(^\s*Test\s+#\d+: (.*?)( \(Disabled\))?$)");
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);)
    if (std::smatch m; std::regex_match(l, m, line) && m[1].str().rfind("services_", 0) != 0)
      names.insert(m[1]);  // not the environment's set-up and clean-up, CTest adds them
  return names;
}

fs::path configure_and_build(const fs::path& build, const strings& options,
                             const fs::path& project = kProject) {
  strings configure = {ATTEST_CMAKE,           "-S",
                       project.string(),       "-B",
                       build.string(),         "-G",
                       ATTEST_CMAKE_GENERATOR, std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR};
  configure.insert(configure.end(), options.begin(), options.end());
  auto c = run_command(configure);
  BOOST_TEST_REQUIRE(c.exit_code == 0, c.out + c.err);
  auto b = run_command({ATTEST_CMAKE, "--build", build.string()});
  BOOST_TEST_REQUIRE(b.exit_code == 0, b.out + b.err);
  return build;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(discovery, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(one_ctest_test_per_case_labelled_and_gated,
                     *attest::requirement("FR-098", "FR-099")) {
  TempDir tmp;
  auto build = configure_and_build(tmp.path / "build", {});

  // One test per case (POST_BUILD here), what the binary's own listing says.
  auto manifest = run_command({(build / "shop_tests").string(), "--config",
                               (kProject / "attest.json").string(), "--collect-only=json"});
  auto doc = boost::json::parse(manifest.out);
  std::set<std::string> cases;
  for (const auto& t : doc.at("tests").as_array())
    cases.insert("case:" + std::string(t.at("id").as_string()));
  BOOST_TEST(cases.size() == 13u);
  std::set<std::string> per_case;
  for (const auto& n : listed(build))
    if (n.rfind("case:", 0) == 0) per_case.insert(n);
  BOOST_TEST((per_case == cases));
  BOOST_TEST(per_case.count("case:cart/quantity_fits<unsigned char>"));
  BOOST_TEST(per_case.count("case:cart/rounds_to_cents/_2"));
  BOOST_TEST(per_case.count("case:cart/totals_asynchronously"));  // a coroutine test
  BOOST_TEST(per_case.count("case:name with \"quotes\" <angles> & a/slash"));
  // Per top-level suite (PRE_TEST here): data-driven cases ride with their suite, once.
  BOOST_TEST((listed(build, {"-R", "^suite:"}) ==
              std::set<std::string>{"suite:cart", "suite:name with \"quotes\" <angles> & a/slash",
                                    "suite:stock"}));

  // Markers and requirement IDs are labels; the project's own LABELS are kept.
  BOOST_TEST((listed(build, {"-L", "^integration$", "-R", "^case:"}) ==
              std::set<std::string>{"case:stock/counts_in_the_environments_redis",
                                    "case:stock/second_process_same_server"}));
  BOOST_TEST((listed(build, {"-L", "^SHOP-004$", "-R", "^case:"}) ==
              std::set<std::string>{"case:cart/quantity_fits<unsigned char>",
                                    "case:cart/quantity_fits<long>"}));
  BOOST_TEST(listed(build, {"-L", "^shop$"}).size() == 13u);

  // ctest -j2: the environment comes up once, every test on it; disabled and skipped say so.
  auto ctest =
      run_command({ATTEST_CTEST, "--test-dir", build.string(), "-j2", "--output-on-failure"});
  BOOST_TEST(ctest.exit_code == 0, ctest.out + ctest.err);
  BOOST_TEST(contains(ctest.out, "case:cart/gift_wrapping (Disabled)"), ctest.out);
  BOOST_TEST(contains(ctest.out, "case:cart/gift_wrapping_paper (Skipped)"), ctest.out);
  BOOST_TEST(std::regex_search(ctest.out, std::regex(R"(services_up \.+\s+Passed)")), ctest.out);
  BOOST_TEST(!fs::exists(build / "attest-env" / "services"));  // down after the last

  // The per-case (and per-suite) results gate at 100 %, each test counted once.
  auto gate = run_command({ATTEST_TRACE_CHECK, "--config", (kProject / "attest.json").string(),
                           "--build-dir", build.string(), "--threshold", "100"});
  BOOST_TEST(gate.exit_code == 0, gate.out + gate.err);
  BOOST_TEST(contains(gate.out, "coverage 100% (7/7)"), gate.out);
  BOOST_TEST(contains(gate.out, "7 requirements, 13 tests, results for 13, 0 defects"), gate.out);
  BOOST_TEST(contains(gate.out, "results: 11 passed, 0 failed, 2 skipped"), gate.out);

  // ctest -R one case still brings the environment up and down around it.
  auto one = run_command({ATTEST_CTEST, "--test-dir", build.string(), "-R",
                          "^case:stock/second_process_same_server$"});
  BOOST_TEST(one.exit_code == 0, one.out + one.err);
  BOOST_TEST(contains(one.out, "services_up"), one.out);
}

BOOST_AUTO_TEST_CASE(the_other_modes_and_rediscovery, *attest::requirement("FR-098")) {
  TempDir tmp;
  fs::path copy = tmp.path / "project";  // a copy: this test edits its source
  fs::copy(kProject, copy, fs::copy_options::recursive);
  // Cases discovered when CTest runs, suites after each build: the modes swapped.
  auto build = configure_and_build(tmp.path / "build",
                                   {"-DCASES_MODE=PRE_TEST", "-DSUITES_MODE=POST_BUILD"}, copy);
  BOOST_TEST(listed(build, {"-R", "^case:"}).size() == 13u);
  BOOST_TEST(listed(build, {"-R", "^suite:"}).size() == 3u);
  auto ctest = run_command({ATTEST_CTEST, "--test-dir", build.string(), "-j2", "-L", "unit"});
  BOOST_TEST(ctest.exit_code == 0, ctest.out + ctest.err);
  BOOST_TEST(contains(ctest.out, "tests passed"), ctest.out);

  // A case added to the source appears after the next build, in both modes.
  auto grown = attest_test::read_file(copy / "shop_tests.cpp") +
               "BOOST_AUTO_TEST_CASE(added_later, *attest::requirement(\"SHOP-001\")) {}\n";
  attest_test::write_file(copy / "shop_tests.cpp", grown);
  BOOST_TEST_REQUIRE(run_command({ATTEST_CMAKE, "--build", build.string()}).exit_code == 0);
  BOOST_TEST(listed(build, {"-R", "^case:added_later$"}).size() == 1u);
  BOOST_TEST(listed(build, {"-R", "^suite:added_later$"}).size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_calls_say_what_is_wrong, *attest::requirement("FR-098")) {
  TempDir tmp;
  attest_test::write_file(tmp.path / "CMakeLists.txt", R"(cmake_minimum_required(VERSION 3.25)
project(bad CXX)
find_package(attest CONFIG REQUIRED)
enable_testing()
add_executable(t t.cpp)
target_link_libraries(t PRIVATE attest::main)
attest_discover_tests(t GRANULARITY module)
)");
  attest_test::write_file(tmp.path / "t.cpp", "#include <attest/attest.hpp>\n");
  auto c = run_command({ATTEST_CMAKE, "-S", tmp.path.string(), "-B", (tmp.path / "b").string(),
                        std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR});
  BOOST_TEST(c.exit_code != 0);
  BOOST_TEST(contains(c.err, "attest_discover_tests: GRANULARITY is case or suite, not 'module'"),
             c.err);
}

BOOST_AUTO_TEST_SUITE_END()
