#include <attest/attest.hpp>

#include <vector>

#include "options.hpp"

using attest::detail::CollectFormat;
using attest::detail::Options;
using attest::detail::parse_options;
using attest::detail::UsageError;

namespace {

Options parse(std::vector<const char*> args) {
  args.insert(args.begin(), "./tests");
  return parse_options(static_cast<int>(args.size()), args.data());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(options, *attest::mark("unit"))

BOOST_AUTO_TEST_CASE(attest_flags_in_every_form,
                     *attest::requirement("FR-005", "FR-006", "FR-009")) {
  Options o = parse({"--collect-only=json", "--manifest", "m.json", "-m", "unit and not slow",
                     "-kparser", "--req", "FR-001", "--req=SC-002", "--junitxml=j.xml",
                     "--report-json", "r.json", "--durations=5", "-x", "--config", "a.json"});
  BOOST_TEST((o.collect == CollectFormat::json));
  BOOST_TEST(*o.manifest == "m.json");
  BOOST_TEST(*o.markexpr == "unit and not slow");
  BOOST_TEST(*o.keywordexpr == "parser");
  BOOST_TEST(o.requirements == (std::vector<std::string>{"FR-001", "SC-002"}));
  BOOST_TEST(*o.junitxml == "j.xml");
  BOOST_TEST(*o.report_json == "r.json");
  BOOST_TEST(*o.durations == 5);
  BOOST_TEST(o.maxfail == 1u);
  BOOST_TEST(*o.config == "a.json");
  BOOST_TEST(o.boost_args == std::vector<std::string>{"./tests"});
  BOOST_TEST((parse({"--collect-only"}).collect == CollectFormat::text));
}

BOOST_AUTO_TEST_CASE(boost_flags_pass_through_in_order, *attest::requirement("FR-012")) {
  Options o = parse({"--log_level=all", "-m", "unit", "-t", "suite/case", "--report_level",
                     "detailed", "--exitfirst", "--random=1", "--", "-m", "custom"});
  BOOST_TEST(o.boost_args == (std::vector<std::string>{"./tests", "--log_level=all", "-t",
                                                       "suite/case", "--report_level", "detailed",
                                                       "--random=1", "--", "-m", "custom"}));
  BOOST_TEST(*o.markexpr == "unit");  // the -m after `--` belongs to the test module
  BOOST_TEST(o.maxfail == 1u);
  // A longer flag that merely starts like one of ours is not ours.
  BOOST_TEST(parse({"--required"}).boost_args.back() == "--required");
}

BOOST_AUTO_TEST_CASE(rerun_and_terminal_flags, *attest::requirement("FR-078", "FR-080", "FR-081",
                                                                    "FR-082")) {
  Options o = parse({"-v", "--color=no", "--lf", "--ff", "--sw", "--cache-clear", "--cache-dir", "c",
                     "--maxfail=3", "--reruns", "2", "--fail-on-flaky", "--timeout=5"});
  BOOST_TEST(o.verbosity == 1);
  BOOST_TEST((o.color == attest::detail::ColorMode::no));
  BOOST_TEST((o.last_failed && o.failed_first && o.stepwise && o.cache_clear && o.fail_on_flaky));
  BOOST_TEST(*o.cache_dir == "c");
  BOOST_TEST(o.maxfail == 3u);
  BOOST_TEST(*o.reruns == 2u);
  BOOST_TEST(*o.timeout == 5u);
  BOOST_TEST(parse({"-q"}).verbosity == -1);
  BOOST_TEST(*parse({"--reruns=0"}).reruns == 0u);
  for (auto bad : {std::vector<const char*>{"--maxfail", "0"}, {"--maxfail=x"}, {"--timeout=0"},
                   {"--reruns=-1"}, {"--color=maybe"}, {"--cache-dir="}})
    BOOST_CHECK_THROW(parse(bad), UsageError);
  // Boost's --color_output is Boost's, not attest's --color.
  BOOST_TEST(parse({"--color_output=no"}).boost_args.back() == "--color_output=no");
}

BOOST_AUTO_TEST_CASE(help_is_shared_with_boost, *attest::requirement("FR-012")) {
  Options o = parse({"--help"});
  BOOST_TEST(o.help);
  BOOST_TEST(o.boost_args.back() == "--help");
  BOOST_TEST(std::string(attest::detail::options_help()).find("--collect-only") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_or_bad_values_are_usage_errors, *attest::requirement("FR-016")) {
  auto message = [](std::vector<const char*> args) -> std::string {
    try {
      parse(args);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  };
  BOOST_TEST(message({"-m"}) == "-m requires a value");
  BOOST_TEST(message({"--junitxml"}) == "--junitxml requires a value");
  BOOST_TEST(message({"--collect-only=yaml"}) == "--collect-only takes text or json, not 'yaml'");
  BOOST_TEST(message({"--durations", "many"}) ==
             "--durations takes a number >= 0 (0 lists all), not 'many'");
  BOOST_TEST(message({"--durations=-1"}) != "");
  BOOST_TEST(message({"--req="}) == "--req requires a requirement ID");
  BOOST_TEST(message({"--report-json="}) == "a file flag was given an empty path");
}

BOOST_AUTO_TEST_SUITE_END()
