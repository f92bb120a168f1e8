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
    } else if (take_value(args, i, "--req", v)) {
      if (v->empty()) throw UsageError("--req requires a requirement ID");
      o.requirements.push_back(*v);
    } else if (take_value(args, i, "--junitxml", v) || take_value(args, i, "--junit-xml", v)) {
      o.junitxml = v;
    } else if (take_value(args, i, "--report-json", v)) {
      o.report_json = v;
    } else if (take_value(args, i, "--durations", v)) {
      int n = -1;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || end != v->data() + v->size() || n < 0)
        throw UsageError("--durations takes a number >= 0 (0 lists all), not '" + *v + "'");
      o.durations = n;
    } else if (arg == "-x" || arg == "--exitfirst") {
      o.exitfirst = true;
    } else if (arg == "--keep-failed") {
      o.keep_failed = true;
    } else if (arg == "--list-kept") {
      o.kept = KeptAction::list;
    } else if (arg == "--stop-kept") {
      o.kept = KeptAction::stop;
    } else if (take_value(args, i, "--config", v)) {
      o.config = v;
    } else {
      if (arg == "--help" || arg == "-h" || arg == "-?" || arg == "--help=") o.help = true;
      o.boost_args.emplace_back(arg);
    }
  }
  for (const auto* path : {&o.manifest, &o.junitxml, &o.report_json, &o.config})
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
  --junitxml FILE             JUnit XML with "verifies" and "markers" properties per testcase
  --report-json FILE          attest results JSON (outcome, duration, requirements, markers, message)
  --durations N               list the N slowest tests (0: all)
  -x, --exitfirst             stop after the first failing test
  --keep-failed               keep the server holding a failed test's database running after
                              the run, for inspection (also ATTEST_KEEP_FAILED=1)
  --list-kept, --stop-kept    list, or stop and remove, the servers kept by earlier runs
  --config FILE               attest.json to use (default: $ATTEST_CONFIG, else searched upward)
exit codes: 0 passed, 1 tests failed, 2 usage or collection error, 5 no tests selected
note: attest's -m, -k and -x shadow Boost's short -m, -k, -x; use --report_format, --log_sink,
      --color_output for those.

)HELP";
}

}  // namespace attest::detail
