// trace-check: the traceability gate. Joins a requirements catalog with the
// collected tests and their results, renders reports, and exits
// 0 (gate passed), 1 (gate failed) or 2 (usage or input error).
#include <attest/config.hpp>
#include <attest/coverage/gate.hpp>
#include <attest/coverage/record.hpp>
#include <attest/trace/catalogs.hpp>
#include <attest/trace/gate.hpp>
#include <attest/trace/readers.hpp>
#include <attest/trace/render.hpp>

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "inputs.hpp"

namespace {

using namespace attest::trace;

struct Output {
  std::string format;
  std::string path;  // empty: stdout
};

struct Args {
  std::vector<std::string> requirements, manifests, binaries, results, formats, outputs,
      cov_records;
  std::vector<Output>
      pairs;  // --format/--output as written: each --output belongs to the --format before it
  std::string build_dir, id_pattern, config, root;
  double threshold = 100.0;
  bool require_passing = false, strict = false, allow_flaky = false;
};

// Paths below `root` are shown relative to it: GitHub annotations need
// repository-relative paths, and reports read better without the checkout's prefix.
void relativize(Report& report, const std::filesystem::path& root) {
  std::string prefix = root.lexically_normal().string();
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  auto fix = [&](Location& l) {
    if (l.file.rfind(prefix, 0) == 0) l.file.erase(0, prefix.size());
  };
  for (auto& row : report.requirements) fix(row.requirement.where);
  for (auto& t : report.tests) fix(t.test.where);
  for (auto& d : report.defects) fix(d.where);
  for (auto& w : report.warnings) fix(w.where);
}

int run(const Args& a) {
  attest::Config config = attest::load_config(
      a.config.empty() ? std::nullopt : std::optional<std::filesystem::path>(a.config));
  // Catalogs: the flag, else attest.json's "requirements".
  std::vector<std::string> catalogs = a.requirements;
  if (catalogs.empty())
    for (const auto& p : config.requirements) catalogs.push_back(p.string());
  if (catalogs.empty())
    throw InputError(
        "no requirements catalog: pass --requirements FILE or list \"requirements\" in "
        "attest.json");

  auto pattern = attest::requirement_pattern(config, a.id_pattern);
  auto requirements = trace_check::read_catalogs(catalogs, {pattern.regex, {}, config.reqif});
  if (requirements.empty())
    throw InputError(catalogs.front() + ": no requirements found (ID pattern " +
                     pattern.describe() + ")");

  std::vector<TestCase> tests;
  auto add = [&](std::vector<TestCase> more) {
    tests.insert(tests.end(), std::make_move_iterator(more.begin()),
                 std::make_move_iterator(more.end()));
  };
  for (const auto& m : a.manifests) add(read_manifest(trace_check::read_text(m), m));
  std::vector<std::string> config_args;
  if (!config.source.empty())
    config_args = {"--config", std::filesystem::absolute(config.source).string()};
  for (const auto& b : a.binaries) add(trace_check::collect_binary(b, config_args, {}));
  std::vector<std::string> result_files = trace_check::expand_results(a.results);
  if (!a.build_dir.empty()) {
    auto build = trace_check::collect_build_dir(a.build_dir);
    add(std::move(build.tests));
    // What the tests wrote (one file per case with attest_discover_tests); a file also
    // named by --results is read once.
    auto same_file = [](const std::string& a, const std::string& b) {
      std::error_code ec;
      return std::filesystem::equivalent(a, b, ec);
    };
    for (auto& f : build.results)
      if (std::none_of(result_files.begin(), result_files.end(),
                       [&](const std::string& r) { return same_file(r, f); }))
        result_files.push_back(std::move(f));
  }

  std::vector<TestOutcome> outcomes;
  for (const auto& r : result_files) {
    auto more = read_results(trace_check::read_text(r), r);
    // A testcase with no file of its own (JUnit without file attributes) is found in its
    // results file: that is where an unmarked-test defect points.
    for (auto& o : more)
      if (o.where.file.empty()) o.where.file = r;
    outcomes.insert(outcomes.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  if (tests.empty() && outcomes.empty())
    throw InputError("no tests: pass --manifest, --collect, --build-dir or --results");

  Report report =
      evaluate(std::move(requirements), std::move(tests), outcomes, !result_files.empty(),
               {a.threshold, a.require_passing, a.strict, a.allow_flaky});

  if (!a.cov_records.empty()) {
    // Per-test coverage records (--cov-report=json, attest-cov): what each requirement's
    // tests reach.
    attest::coverage::Record record;
    for (const auto& f : a.cov_records)
      attest::coverage::merge(record, attest::coverage::from_json(trace_check::read_text(f), f));
    std::map<std::string, CodeReach> by_requirement;
    for (const auto& [id, reach] : attest::coverage::requirement_coverage(record))
      by_requirement[id] = {reach.files, reach.totals.lines, reach.totals.lines_hit,
                            reach.totals.branches, reach.totals.branches_taken};
    attach_code(report, by_requirement);
  }
  relativize(report,
             a.root.empty() ? std::filesystem::current_path() : std::filesystem::absolute(a.root));
  for (const auto& [format, path] : a.pairs) {
    if (path.empty()) {
      render(format, std::cout, report);
      continue;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path + ": cannot write");
    render(format, out, report);
    out.close();
    if (!out) throw InputError(path + ": write failed");
  }
  return report.passed ? 0 : 1;
}

// Pairs --format and --output in the order they were written (CLI11 keeps each
// option's values, not their interleaving). No --format at all means text.
std::vector<Output> output_pairs(int argc, char** argv) {
  std::vector<Output> pairs;
  bool last_has_output = true;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::optional<std::string> value;
    auto take = [&](std::string_view longf, std::string_view shortf) {
      if ((arg == longf || arg == shortf) && i + 1 < argc)
        value = argv[++i];
      else if (arg.substr(0, longf.size() + 1) == std::string(longf) + "=")
        value = std::string(arg.substr(longf.size() + 1));
      return value.has_value();
    };
    if (arg == "--") break;
    if (take("--format", "-f")) {
      pairs.push_back({*value, {}});
      last_has_output = false;
    } else if (take("--output", "-o")) {
      if (pairs.empty() && last_has_output) {
        pairs.push_back({"text", *value});  // --output alone: the text report to a file
      } else if (last_has_output) {
        throw std::invalid_argument("--output " + *value +
                                    " follows no --format (write --format F --output FILE)");
      } else {
        pairs.back().path = *value;
      }
      last_has_output = true;
    }
  }
  if (pairs.empty()) pairs.push_back({"text", {}});
  return pairs;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "trace-check: fail the build for unmarked tests, unknown requirement IDs and coverage "
      "below the threshold.\nExit codes: 0 gate passed, 1 gate failed, 2 usage or input error.",
      "trace-check"};
  Args a;
  std::string catalog_help = "requirement catalogs (";
  for (const auto& f : catalog_formats())
    catalog_help += std::string(f.name) + " " + f.extensions + ", ";
  catalog_help +=
      "by extension, else content), or directories of specs/*/spec.md (default: attest.json's "
      "\"requirements\")";
  app.add_option("--requirements,-r", a.requirements, catalog_help);
  app.add_option("--manifest", a.manifests, "manifest JSON files written by --collect-only=json");
  app.add_option("--collect", a.binaries, "attest test binaries to run with --collect-only=json");
  app.add_option("--build-dir", a.build_dir,
                 "a CMake build directory: collect every attest binary CTest runs");
  app.add_option("--results", a.results,
                 "results: attest --report-json files or JUnit XML, directories (every results "
                 "file below) or quoted globs; several shards and reruns merge");
  app.add_option("--threshold", a.threshold, "minimum coverage in percent (default 100)")
      ->check(CLI::Range(0.0, 100.0));
  app.add_flag("--require-passing", a.require_passing,
               "count a requirement as covered only when all its tests passed");
  app.add_option("--cov-record", a.cov_records,
                 "per-test coverage records (--cov-report=json, attest-cov): the matrix shows "
                 "the code each requirement's tests reach (repeatable)");
  app.add_flag("--allow-flaky", a.allow_flaky,
               "with --require-passing, count a requirement whose tests passed only on a rerun "
               "as verified");
  app.add_flag("--strict", a.strict, "requirements still marked [NEEDS CLARIFICATION] are defects");
  app.add_option("--id-pattern", a.id_pattern,
                 std::string("regex for requirement IDs in catalogs (default: attest.json's "
                             "requirement_pattern, else ") +
                     attest::default_requirement_pattern + ")");
  app.add_option("--root", a.root,
                 "show paths below this directory relative to it (default: the current one)");
  app.add_option("--config", a.config,
                 "attest.json to use (default: $ATTEST_CONFIG, else searched upward)");
  std::string format_help = "repeatable; one of:";
  for (const auto& r : renderers()) format_help += std::string("\n  ") + r.name + ": " + r.summary;
  app.add_option("--format,-f", a.formats, format_help)->check(CLI::IsMember(formats()));
  app.add_option("--output,-o", a.outputs,
                 "file for the --format just before it (default: stdout)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    a.pairs = output_pairs(argc, argv);
    return run(a);
  } catch (const std::exception& e) {
    std::cerr << "trace-check: error: " << e.what() << '\n';
  }
  return 2;
}
