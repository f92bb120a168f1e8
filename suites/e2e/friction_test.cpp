// What new users ran into on their first afternoon, each as they met it: a sibling build
// directory, find_package without COMPONENTS, and the Release build type.
#include <attest/attest.hpp>

#include "test_support.hpp"

using attest_test::contains;
using attest_test::run_command;
using attest_test::TempDir;
namespace fs = std::filesystem;

namespace {

// `text` occurs exactly once in `haystack`.
bool once(const std::string& haystack, const std::string& text) {
  auto first = haystack.find(text);
  return first != std::string::npos && haystack.find(text, first + 1) == std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(friction, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(discovery_uses_the_projects_config_from_a_sibling_build_directory,
                     *attest::requirement("FR-103")) {
  // cmake -S app -B build-app: the build directory is not below the project, so only the
  // attest.json beside the calling CMakeLists.txt knows the marker "db" and ORD-001.
  TempDir tmp;
  auto app = tmp.path / "app", build = tmp.path / "build-app";
  fs::copy(ATTEST_SIBLING_DIR, app, fs::copy_options::recursive);
  auto configure = run_command({ATTEST_CMAKE, "-S", app.string(), "-B", build.string(), "-G",
                                ATTEST_CMAKE_GENERATOR,
                                std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR});
  BOOST_TEST_REQUIRE(configure.exit_code == 0, configure.out + configure.err);
  auto b = run_command({ATTEST_CMAKE, "--build", build.string()});
  BOOST_TEST_REQUIRE(b.exit_code == 0, b.out + b.err);  // discovery ran POST_BUILD
  auto listed = run_command({ATTEST_CTEST, "--test-dir", build.string(), "-N", "-L", "^db$"});
  BOOST_TEST(contains(listed.out, "totals_add_up"), listed.out);
  auto ctest = run_command({ATTEST_CTEST, "--test-dir", build.string(), "--output-on-failure"});
  BOOST_TEST(ctest.exit_code == 0, ctest.out + ctest.err);
  BOOST_TEST(contains(ctest.out, "100% tests passed"), ctest.out);
}

BOOST_AUTO_TEST_CASE(find_package_without_components_provides_what_is_found,
                     *attest::requirement("FR-104")) {
  TempDir tmp;
  auto project = tmp.path / "p";
  fs::create_directories(project);
  // Written before components existed: links attest::postgres without asking for it, and asks
  // twice (two subdirectories do) — the list of what is provided is said once.
  attest_test::write_file(project / "CMakeLists.txt",
                          "cmake_minimum_required(VERSION 3.25)\nproject(p LANGUAGES CXX)\n"
                          "find_package(attest CONFIG REQUIRED)\n"
                          "find_package(attest CONFIG REQUIRED)\n"
                          "add_executable(p p.cpp)\n"
                          "target_link_libraries(p PRIVATE attest::main attest::postgres "
                          "attest::redis)\n"
                          "if(DEFINED EXPECT_NO_POSTGRES AND TARGET attest::postgres)\n"
                          "  message(FATAL_ERROR \"postgres without libpqxx\")\nendif()\n");
  attest_test::write_file(project / "p.cpp", "#include <attest/postgres.hpp>\n"
                                             "BOOST_AUTO_TEST_CASE(t) {}\n");
  auto ok = run_command({ATTEST_CMAKE, "-S", project.string(), "-B", (tmp.path / "b").string(),
                         std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR});
  BOOST_TEST(ok.exit_code == 0, ok.out + ok.err);
  BOOST_TEST(once(ok.out, "attest: no COMPONENTS asked; providing every component found: "),
             ok.out);
  BOOST_TEST(contains(ok.out, "postgres"), ok.out);

  // Without libpqxx/hiredis visible to pkg-config the core still configures, and says what it
  // left out; a project that links attest::postgres then fails as CMake says.
  std::map<std::string, std::string> no_pkgconfig{{"PKG_CONFIG_LIBDIR", tmp.path.string()},
                                                  {"PKG_CONFIG_PATH", ""}};
  attest_test::write_file(project / "CMakeLists.txt",
                          "cmake_minimum_required(VERSION 3.25)\nproject(p LANGUAGES CXX)\n"
                          "find_package(attest CONFIG REQUIRED)\n"
                          "if(TARGET attest::postgres)\n"
                          "  message(FATAL_ERROR \"postgres without libpqxx\")\nendif()\n");
  auto core = run_command({ATTEST_CMAKE, "-S", project.string(), "-B", (tmp.path / "c").string(),
                           std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR},
                          {}, no_pkgconfig);
  BOOST_TEST(core.exit_code == 0, core.out + core.err);
  BOOST_TEST(contains(core.out, "not: postgres (needs libpqxx"), core.out);

  // Asked for, a component whose dependency is missing stays an error.
  attest_test::write_file(project / "CMakeLists.txt",
                          "cmake_minimum_required(VERSION 3.25)\nproject(p LANGUAGES CXX)\n"
                          "find_package(attest CONFIG REQUIRED COMPONENTS postgres)\n");
  auto asked = run_command({ATTEST_CMAKE, "-S", project.string(), "-B", (tmp.path / "d").string(),
                            std::string("-Dattest_DIR=") + ATTEST_BUILD_DIR},
                           {}, no_pkgconfig);
  BOOST_TEST(asked.exit_code != 0);
  BOOST_TEST(contains(asked.out + asked.err, "attest component 'postgres' needs libpqxx"),
             asked.out + asked.err);
}

BOOST_AUTO_TEST_SUITE_END()
