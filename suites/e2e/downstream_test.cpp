// A separate CMake project takes attest every way C++ projects take libraries —
// find_package from the build tree and from an install prefix (with and without
// the service components), add_subdirectory, FetchContent from a git URL — and
// builds a marked test, runs it, and runs the traceability gate over it.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include "test_support.hpp"

using attest_test::run_command;
using attest_test::TempDir;
namespace fs = std::filesystem;

namespace {

const fs::path kProject = ATTEST_DOWNSTREAM_DIR;
// The source modes compile attest itself: without optimisation that takes half the time.
const std::string kUnoptimised = "-DCMAKE_BUILD_TYPE=";

// Configures and builds the downstream project with `package_args`, runs its CTest
// tests (the marked tests, then the gate); returns its test binary.
fs::path build_downstream(const fs::path& build_dir, std::vector<std::string> package_args,
                          bool services = true) {
  std::vector<std::string> configure = {
      ATTEST_CMAKE,       "-S", kProject.string(),      "-B",
      build_dir.string(), "-G", ATTEST_CMAKE_GENERATOR, "-DCMAKE_BUILD_TYPE=Release"};
  configure.insert(configure.end(), package_args.begin(), package_args.end());
  auto c = run_command(configure);
  BOOST_TEST_REQUIRE(c.exit_code == 0, c.out + c.err);
  // Fetched with FetchContent, attest itself is built here too (~100 objects, unoptimised): on
  // two cores shared with the other suites that took more than the usual 5 minutes.
  auto b =
      run_command({ATTEST_CMAKE, "--build", build_dir.string()}, {}, {}, std::chrono::minutes(15));
  BOOST_TEST_REQUIRE(b.exit_code == 0, b.describe_status() + "\n" + b.out + b.err);
  // The package's CMake function for the no-sleep check works downstream too.
  auto ctest = run_command({ATTEST_CTEST, "--test-dir", build_dir.string(), "--output-on-failure"});
  BOOST_TEST(ctest.exit_code == 0, ctest.out + ctest.err);
  BOOST_TEST(ctest.out.find("no_sleep") != std::string::npos, ctest.out);
  // The gate ran after the tests, over their results, and passed.
  BOOST_TEST(ctest.out.find("gate ....") != std::string::npos, ctest.out);
  BOOST_TEST(ctest.out.find("100% tests passed") != std::string::npos, ctest.out);
  // Service fixtures (mock HTTP server, Redis, PostgreSQL targets) link and run downstream.
  BOOST_TEST((ctest.out.find("shop_services_tests") != std::string::npos) == services, ctest.out);
  return build_dir / "shop_tests";
}

void check_runner(const fs::path& binary, const fs::path& tmp) {
  auto collect = run_command({binary.string(), "--collect-only=json"}, kProject);
  BOOST_TEST_REQUIRE(collect.exit_code == 0, collect.err);
  auto doc = boost::json::parse(collect.out).as_object();
  const auto& tests = doc.at("tests").as_array();
  BOOST_TEST_REQUIRE(tests.size() == 2u);
  BOOST_TEST(tests[0].at("id").as_string() == "cart/sums_prices");
  BOOST_TEST(boost::json::serialize(tests[1].at("markers")) == R"(["unit","pricing"])");
  BOOST_TEST(boost::json::serialize(tests[1].at("requirements")) == R"(["SHOP-002"])");

  auto pricing = run_command({binary.string(), "--collect-only=json", "-m", "pricing"}, kProject);
  BOOST_TEST(boost::json::parse(pricing.out).at("tests").as_array().size() == 1u);

  auto junit = tmp / "shop.xml", report = tmp / "shop.json";
  auto run = run_command({binary.string(), "--req", "SHOP-001", "--junitxml", junit.string(),
                          "--report-json", report.string()},
                         kProject);
  BOOST_TEST(run.exit_code == 0, run.out + run.err);
  auto results = boost::json::parse(attest_test::read_file(report)).as_object();
  BOOST_TEST(results.at("tests").as_array().size() == 1u);
  BOOST_TEST(results.at("tests").as_array()[0].at("outcome").as_string() == "passed");
  BOOST_TEST(attest_test::read_file(junit).find(
                 "<property name=\"verifies\" value=\"SHOP-001\"/>") != std::string::npos);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(downstream, *attest::mark("e2e") * attest::mark("slow"))

BOOST_AUTO_TEST_CASE(find_package_from_the_build_tree, *attest::requirement("FR-017", "FR-031")) {
  TempDir tmp;
  auto binary =
      build_downstream(tmp.path / "build", {std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR});
  check_runner(binary, tmp.path);
}

BOOST_AUTO_TEST_CASE(find_package_from_an_install_prefix, *attest::requirement("FR-017")) {
  TempDir tmp;
  auto prefix = tmp.path / "prefix";
  auto install =
      run_command({ATTEST_CMAKE, "--install", ATTEST_BUILD_DIR, "--prefix", prefix.string()});
  BOOST_TEST_REQUIRE(install.exit_code == 0, install.out + install.err);
  BOOST_TEST(fs::exists(prefix / "include/attest/attest.hpp"));
  auto binary = build_downstream(tmp.path / "build", {"-DCMAKE_PREFIX_PATH=" + prefix.string()});
  check_runner(binary, tmp.path);
}

BOOST_AUTO_TEST_CASE(core_package_needs_no_service_dependency, *attest::requirement("FR-053")) {
  TempDir tmp;
  // No COMPONENTS, no service test: the core alone builds and runs (which service components
  // come along without being asked is friction_test.cpp's subject).
  auto binary = build_downstream(
      tmp.path / "build", {std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR, "-DSHOP_SERVICES=OFF"},
      false);
  check_runner(binary, tmp.path);
  // A component attest does not have is a clear configure error.
  auto probe = tmp.path / "probe";
  fs::create_directories(probe);
  attest_test::write_file(probe / "CMakeLists.txt",
                          "cmake_minimum_required(VERSION 3.25)\nproject(p LANGUAGES CXX)\n"
                          "find_package(attest CONFIG REQUIRED COMPONENTS mongodb)\n");
  auto bad = run_command({ATTEST_CMAKE, "-S", probe.string(), "-B", (probe / "b").string(),
                          std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR});
  BOOST_TEST(bad.exit_code != 0);
  BOOST_TEST((bad.out + bad.err).find("attest has no component 'mongodb'") != std::string::npos,
             bad.out + bad.err);
}

BOOST_AUTO_TEST_CASE(fetchcontent_from_a_git_url, *attest::requirement("FR-053")) {
  TempDir tmp;
  // A git repository of the working tree as it is (tracked and new files), so
  // the test fetches this very source, offline.
  auto repo = tmp.path / "attest.git";
  auto files =
      run_command({"git", "-C", ATTEST_SOURCE_DIR, "ls-files", "-co", "--exclude-standard", "-z"});
  BOOST_TEST_REQUIRE(files.exit_code == 0, files.err);
  for (std::size_t start = 0; start < files.out.size();) {
    auto end = files.out.find('\0', start);
    fs::path rel = files.out.substr(start, end - start);
    start = end + 1;
    if (!fs::is_regular_file(fs::path(ATTEST_SOURCE_DIR) / rel)) continue;  // deleted, not staged
    fs::create_directories((repo / rel).parent_path());
    fs::copy_file(fs::path(ATTEST_SOURCE_DIR) / rel, repo / rel);
  }
  for (const auto& step : std::vector<std::vector<std::string>>{
           {"git", "init", "-q", repo.string()},
           {"git", "-C", repo.string(), "add", "-A"},
           {"git", "-C", repo.string(), "-c", "user.name=attest", "-c",
            "user.email=a@example.invalid", "commit", "-qm", "snapshot"}}) {
    auto r = run_command(step);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.out + r.err);
  }
  auto head = run_command({"git", "-C", repo.string(), "rev-parse", "HEAD"});
  auto binary = build_downstream(
      tmp.path / "build",
      {"-DSHOP_ATTEST=fetchcontent", "-DSHOP_ATTEST_SOURCE=file://" + repo.string(),
       "-DSHOP_ATTEST_TAG=" + head.out.substr(0, head.out.find('\n')), "-DSHOP_SERVICES=OFF",
       kUnoptimised},
      false);
  check_runner(binary, tmp.path);
}

BOOST_AUTO_TEST_CASE(a_main_of_ones_own_with_attest_main_does_not_link,
                     *attest::requirement("FR-077")) {
  TempDir tmp;
  auto project = tmp.path / "own_main";
  fs::create_directories(project);
  attest_test::write_file(project / "CMakeLists.txt",
                          "cmake_minimum_required(VERSION 3.25)\nproject(own LANGUAGES CXX)\n"
                          "set(CMAKE_CXX_STANDARD 20)\nfind_package(attest CONFIG REQUIRED)\n"
                          "add_executable(own own.cpp)\n"
                          "target_link_libraries(own PRIVATE attest::main)\n");
  attest_test::write_file(project / "own.cpp",
                          "#include <attest/attest.hpp>\n"
                          "BOOST_AUTO_TEST_CASE(t) { BOOST_TEST(true); }\n"
                          "int main() { return 0; }  // bypasses attest: must not link\n");
  auto c = run_command({ATTEST_CMAKE, "-S", project.string(), "-B", (project / "b").string(), "-G",
                        ATTEST_CMAKE_GENERATOR, std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR});
  BOOST_TEST_REQUIRE(c.exit_code == 0, c.out + c.err);
  auto b = run_command({ATTEST_CMAKE, "--build", (project / "b").string()});
  BOOST_TEST(b.exit_code != 0, b.out + b.err);
  BOOST_TEST((b.out + b.err).find("multiple definition of `main'") != std::string::npos,
             b.out + b.err);
}

BOOST_AUTO_TEST_SUITE_END()
