#include "options.hpp"

#include <charconv>
#include <string_view>

namespace attest::detail {
namespace {

// Matches `--name VALUE`, `--name=VALUE` and, for one-letter flags, `-mVALUE`.
// Returns true and fills `value` when args[i] is the flag; advances i past a
// separate value.
bool take_value(const std::vector<std::string_view>& args, std::size_t& i, std::string_view name,
                std::optional<std::string>& value) {
  std::string_view arg = args[i];
  if (arg.substr(0, name.size()) != name) return false;
  std::string_view rest = arg.substr(name.size());
  if (rest.empty()) {
    if (i + 1 >= args.size()) throw UsageError(std::string(name) + " requires a value");
    value = std::string(args[++i]);
    return true;
  }
  if (rest.front() == '=') {
    value = std::string(rest.substr(1));
    return true;
  }
  if (name.size() == 2) {  // -mEXPR
    value = std::string(rest);
    return true;
  }
  return false;  // a longer flag that merely starts with `name`
}

unsigned take_count(const std::string& flag, const std::string& v, unsigned min) {
  unsigned n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < min)
    throw UsageError(flag + " takes a whole number >= " + std::to_string(min) + ", not '" + v +
                     "'");
  return n;
}

}  // namespace

Options parse_options(int argc, const char* const argv[]) {
  Options o;
  std::vector<std::string_view> args(argv, argv + argc);
  if (!args.empty()) o.boost_args.emplace_back(args[0]);

  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::optional<std::string> v;
    if (arg == "--") {
      // Everything after `--` belongs to the test module (Boost's convention).
      for (; i < args.size(); ++i) o.boost_args.emplace_back(args[i]);
      break;
    } else if (arg == "--collect-only") {
      o.collect = CollectFormat::text;
    } else if (arg.substr(0, 15) == "--collect-only=") {
      auto fmt = arg.substr(15);
      if (fmt == "text")
        o.collect = CollectFormat::text;
      else if (fmt == "json")
        o.collect = CollectFormat::json;
      else
        throw UsageError("--collect-only takes text or json, not '" + std::string(fmt) + "'");
    } else if (take_value(args, i, "--manifest", v)) {
      o.manifest = v;
    } else if (take_value(args, i, "-m", v)) {
      o.markexpr = v;
    } else if (take_value(args, i, "-k", v)) {
      o.keywordexpr = v;
    } else if (take_value(args, i, "--test", v)) {
      if (v->empty())
        throw UsageError("--test requires a test id (suite/case, as --collect-only lists)");
      o.exact.push_back(*v);
    } else if (take_value(args, i, "--req", v)) {
      if (v->empty()) throw UsageError("--req requires a requirement ID");
      o.requirements.push_back(*v);
    } else if (take_value(args, i, "--junitxml", v) || take_value(args, i, "--junit-xml", v)) {
      o.junitxml = v;
    } else if (take_value(args, i, "--junit-family", v)) {
      if (*v != "xunit1" && *v != "xunit2" && *v != "legacy")
        throw UsageError("--junit-family is xunit1 or xunit2, not '" + *v + "'");
      o.junit_family = v;
    } else if (take_value(args, i, "--report-json", v)) {
      o.report_json = v;
    } else if (take_value(args, i, "--durations", v)) {
      int n = -1;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || end != v->data() + v->size() || n < 0)
        throw UsageError("--durations takes a number >= 0 (0 lists all), not '" + *v + "'");
      o.durations = n;
    } else if (arg == "-x" || arg == "--exitfirst") {
      o.maxfail = 1;
    } else if (take_value(args, i, "--maxfail", v)) {
      o.maxfail = take_count("--maxfail", *v, 1);
    } else if (arg == "-v" || arg == "--verbose") {
      o.verbosity = 1;
    } else if (arg == "-q" || arg == "--quiet") {
      o.verbosity = -1;
    } else if (take_value(args, i, "--color", v)) {
      if (*v == "yes")
        o.color = ColorMode::yes;
      else if (*v == "no")
        o.color = ColorMode::no;
      else if (*v == "auto")
        o.color = ColorMode::automatic;
      else
        throw UsageError("--color takes yes, no or auto, not '" + *v + "'");
    } else if (arg == "--lf" || arg == "--last-failed") {
      o.last_failed = true;
    } else if (arg == "--ff" || arg == "--failed-first") {
      o.failed_first = true;
    } else if (arg == "--sw" || arg == "--stepwise") {
      o.stepwise = true;
    } else if (arg == "--cache-clear") {
      o.cache_clear = true;
    } else if (take_value(args, i, "--cache-dir", v)) {
      o.cache_dir = v;
    } else if (take_value(args, i, "--reruns", v)) {
      o.reruns = take_count("--reruns", *v, 0);
    } else if (arg == "--fail-on-flaky") {
      o.fail_on_flaky = true;
    } else if (take_value(args, i, "--timeout", v)) {
      o.timeout = take_count("--timeout", *v, 1);
    } else if (arg == "--keep-failed") {
      o.keep_failed = true;
    } else if (arg == "--list-kept") {
      o.kept = KeptAction::list;
    } else if (arg == "--stop-kept") {
      o.kept = KeptAction::stop;
    } else if (take_value(args, i, "--shard-by", v)) {
      o.shard_by = v;
    } else if (take_value(args, i, "--shard", v)) {
      o.shard = v;
    } else if (take_value(args, i, "--durations-from", v)) {
      o.durations_from = v;
    } else if (take_value(args, i, "--prop-seed", v)) {
      std::uint64_t seed = 0;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), seed);
      if (ec != std::errc() || end != v->data() + v->size())
        throw UsageError("--prop-seed takes a whole number (a RapidCheck seed), not '" + *v + "'");
      o.prop_seed = seed;
    } else if (take_value(args, i, "--prop-max-success", v)) {
      o.prop_max_success = static_cast<int>(take_count("--prop-max-success", *v, 1));
    } else if (take_value(args, i, "--config", v)) {
      o.config = v;
    } else if (arg == "--cov") {
      o.coverage.enabled = true;
    } else if (arg == "--cov-prepare") {
      o.coverage.prepare = true;
    } else if (take_value(args, i, "--cov-report", v)) {
      o.coverage.enabled = true;
      o.coverage.reports.push_back(*v);
    } else if (take_value(args, i, "--cov-fail-under-file", v)) {
      o.coverage.enabled = true;
      o.coverage.fail_under_file = v;
    } else if (take_value(args, i, "--cov-fail-under-req", v)) {
      o.coverage.enabled = true;
      o.coverage.fail_under_requirement = v;
    } else if (take_value(args, i, "--cov-fail-under", v)) {
      o.coverage.enabled = true;
      o.coverage.fail_under = v;
    } else if (arg.substr(0, 6) == "--cov=") {
      if (arg.size() == 6) throw UsageError("--cov= requires a directory (or --cov for all)");
      o.coverage.enabled = true;
      o.coverage.sources.emplace_back(arg.substr(6));
    } else if (take_value(args, i, "--affected-since", v)) {
      o.coverage.affected_since = v;
    } else if (take_value(args, i, "--affected-record", v)) {
      o.coverage.affected_record = v;
    } else {
      if (arg == "--help" || arg == "-h" || arg == "-?" || arg == "--help=") o.help = true;
      o.boost_args.emplace_back(arg);
    }
  }
  for (const auto* path :
       {&o.manifest, &o.junitxml, &o.report_json, &o.config, &o.cache_dir, &o.durations_from})
    if (*path && (*path)->empty()) throw UsageError("a file flag was given an empty path");
  return o;
}

const char* options_help() {
  return R"HELP(attest options (before Boost.Test's own, which all pass through):
  --collect-only[=text|json]  list the selected tests with markers and requirements; run nothing
  --manifest FILE             write the JSON manifest to FILE (with or without --collect-only)
  -m EXPR                     select by markers: "integration and not slow", "(unit or e2e)"
  -k EXPR                     select by case-insensitive substrings of the test id: "parser and not slow"
  --req ID                    select tests that verify ID (repeatable; any of them)
  --test ID                   select this test, or this suite's tests, by the exact id
                              --collect-only lists (repeatable; no pattern syntax)
  --junitxml FILE             JUnit XML with "verifies" and "markers" properties per testcase
  --junit-family xunit1|xunit2  xunit1 (default): properties per testcase; xunit2: valid against
                              Jenkins xUnit's junit-10.xsd, properties per suite (attest.json:
                              "junit_family")
  --report-json FILE          attest results JSON (outcome, duration, requirements, markers, message)
  --durations N               list the N slowest tests (0: all)
  -v, --verbose               a line per test: outcome, markers, duration
  -q, --quiet                 progress and counts only
  --color=yes|no|auto         colour (auto: only on a terminal, never with NO_COLOR set)
  -x, --exitfirst             stop after the first failing test
  --maxfail N                 stop after N failing tests
  --lf, --last-failed         run only the tests that failed last time (all when none did)
  --ff, --failed-first        run last time's failures first, then the rest
  --sw, --stepwise            stop at the first failure; next time, start from it
  --cache-clear               forget the cache's last failures before the run
  --cache-dir DIR             the run cache (default ./.attest_cache, or $ATTEST_CACHE_DIR)
  --reruns N                  run a failing test again up to N times; a pass then is "flaky"
  --fail-on-flaky             a flaky pass fails the run (exit 1)
  --timeout SECONDS           fail a test that runs longer (where Boost's timeout() is not set)
  --keep-failed               keep the server holding a failed test's database running after
                              the run, for inspection (also ATTEST_KEEP_FAILED=1)
  --list-kept, --stop-kept    list, or stop and remove, the servers kept by earlier runs
  --prop-seed N               property tests: RapidCheck's seed (the failure message names it)
  --prop-max-success N        property tests: cases that must pass per property (default 100)
  --config FILE               attest.json to use (default: $ATTEST_CONFIG, else searched upward)
  --shard INDEX/TOTAL         run one shard of the selection (0-based: 0/4 ... 3/4); also read from
                              GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS, Bazel's TEST_SHARD_INDEX/
                              TEST_TOTAL_SHARDS, JOB_COMPLETION_INDEX (or ATTEST_SHARD_INDEX) with
                              ATTEST_TOTAL_SHARDS; a shard with no tests exits 0
  --shard-by duration         balance shards by past durations (longest first onto the least
                              loaded); needs --durations-from FILE|DIR (results JSON or JUnit)
  --cov[=DIR]                 per-test code coverage (binary built with attest_enable_coverage());
                              =DIR (repeatable): only files below DIR; default: all but /usr
  --cov-prepare               read the notes of a GCC coverage build now and keep them parsed
                              for the next --cov run (a build step: attest_discover_tests runs
                              it); leaves no coverage data; runs no test unless --collect-only
  --cov-report=KIND[:FILE]    term-missing, lcov, cobertura, json, html (repeatable; default
                              term-missing; files default to coverage.info/.xml/.json/.html)
  --cov-fail-under=SPEC       fail (exit 1) below line=N[,branch=N] percent, overall
  --cov-fail-under-file=SPEC  ... for any one file
  --cov-fail-under-req=SPEC   ... for any requirement (the files its tests reach)
  --affected-since=REF        run only the tests whose recorded coverage reaches a line changed
                              since git REF, tests without a record, and new tests
  --affected-record=FILE      the coverage record (--cov-report=json) to select by
                              (default: coverage.json)
exit codes: 0 passed, 1 tests failed, 2 usage or collection error, 5 no tests selected
note: attest's -m, -k and -x shadow Boost's short -m, -k, -x; use --report_format, --log_sink,
      --color_output for those.

)HELP";
}

}  // namespace attest::detail
