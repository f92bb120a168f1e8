// A separate CMake project finds attest (from the build tree and from an
// install prefix), builds a marked test and runs it through the runner.
#include <attest/attest.hpp>

#include <boost/json.hpp>

#include "test_support.hpp"

using attest_test::run_command;
using attest_test::TempDir;
namespace fs = std::filesystem;

namespace {

const fs::path kProject = ATTEST_DOWNSTREAM_DIR;

// Configures and builds the downstream project with `package_args`; returns its test binary.
fs::path build_downstream(const fs::path& build_dir, std::vector<std::string> package_args) {
  std::vector<std::string> configure = {
      ATTEST_CMAKE,       "-S", kProject.string(),      "-B",
      build_dir.string(), "-G", ATTEST_CMAKE_GENERATOR, "-DCMAKE_BUILD_TYPE=Release"};
  configure.insert(configure.end(), package_args.begin(), package_args.end());
  auto c = run_command(configure);
  BOOST_TEST_REQUIRE(c.exit_code == 0, c.out + c.err);
  auto b = run_command({ATTEST_CMAKE, "--build", build_dir.string()});
  BOOST_TEST_REQUIRE(b.exit_code == 0, b.out + b.err);
  // The package's CMake function for the no-sleep check works downstream too.
  auto ctest = run_command({ATTEST_CTEST, "--test-dir", build_dir.string(), "--output-on-failure"});
  BOOST_TEST(ctest.exit_code == 0, ctest.out + ctest.err);
  BOOST_TEST(ctest.out.find("no_sleep") != std::string::npos, ctest.out);
  // Service fixtures (mock HTTP server, Redis, PostgreSQL targets) link and run downstream.
  BOOST_TEST(ctest.out.find("shop_services_tests") != std::string::npos, ctest.out);
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

BOOST_AUTO_TEST_SUITE_END()
