// The no-sleep check, on a planted offender and on attest's own suites.
#include <attest/attest.hpp>

#include "test_support.hpp"

BOOST_AUTO_TEST_SUITE(no_sleep, *attest::mark("e2e"))

BOOST_AUTO_TEST_CASE(names_every_sleep_with_file_and_line, *attest::requirement("FR-031")) {
  attest_test::TempDir tmp;
  attest_test::write_file(tmp.path / "tests/orders_test.cpp",
                          "#include <thread>\n"
                          "void wait() {\n"
                          // Split literals: this file must pass the very check it tests.
                          "  std::this_thread::sle"
                          "ep_for(std::chrono::seconds(1));\n"
                          "  usle"
                          "ep(1000);\n"
                          "  // sle"
                          "ep(1) in a comment is fine\n"
                          "  ::sle"
                          "ep(2);\n"
                          "}\n");
  attest_test::write_file(tmp.path / "tests/notes.txt",
                          "sle"
                          "ep(1) outside a source file is fine\n");
  auto r = attest_test::run_command(
      {"/usr/bin/python3", ATTEST_NO_SLEEP_SCRIPT, (tmp.path / "tests").string()});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  BOOST_TEST(r.out.find("orders_test.cpp:3: sleeps instead of polling") != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("orders_test.cpp:4:") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("orders_test.cpp:6:") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("orders_test.cpp:5:") == std::string::npos, r.out);
  BOOST_TEST(r.out.find("3 sleeps found") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(attest_own_suites_do_not_sleep, *attest::requirement("FR-031")) {
  std::string root = ATTEST_SOURCE_DIR;
  auto r = attest_test::run_command({"/usr/bin/python3", ATTEST_NO_SLEEP_SCRIPT, root + "/suites",
                                     root + "/docs/examples", "--exclude", root + "/suites/bench"});
  BOOST_TEST(r.exit_code == 0, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
