// trace-check: the traceability gate. Joins a requirements catalog with the
// collected tests and their results, renders reports, and exits
// 0 (gate passed), 1 (gate failed) or 2 (usage or input error).
#include <attest/config.hpp>
#include <attest/trace/gate.hpp>
#include <attest/trace/readers.hpp>
#include <attest/trace/render.hpp>

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

#include "inputs.hpp"

namespace {

using namespace attest::trace;

struct Args {
  std::vector<std::string> requirements, manifests, binaries, results, formats, outputs;
  std::string build_dir, id_pattern, config;
  double threshold = 100.0;
  bool require_passing = false, strict = false;
};

int run(const Args& a) {
  attest::Config config = attest::load_config(a.config.empty() ? std::nullopt
                                                               : std::optional<std::filesystem::path>(a.config));
  // Catalogs: the flag, else attest.json's "requirements".
  std::vector<std::string> catalogs = a.requirements;
  if (catalogs.empty())
    for (const auto& p : config.requirements) catalogs.push_back(p.string());
  if (catalogs.empty())
    throw InputError("no requirements catalog: pass --requirements FILE or list \"requirements\" in attest.json");

  std::string pattern = !a.id_pattern.empty()                                                ? a.id_pattern
                        : config.requirement_pattern != attest::default_requirement_pattern ? config.requirement_pattern
                                                                                            : default_catalog_pattern;
  std::regex id_regex;
  try {
    id_regex = std::regex(pattern);
  } catch (const std::regex_error& e) {
    throw InputError("--id-pattern: invalid regex '" + pattern + "': " + e.what());
  }
  auto requirements = trace_check::read_catalogs(catalogs, id_regex);
  if (requirements.empty())
    throw InputError(catalogs.front() + ": no requirements found (ID pattern '" + pattern + "')");

  std::vector<TestCase> tests;
  auto add = [&](std::vector<TestCase> more) {
    tests.insert(tests.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  };
  for (const auto& m : a.manifests) add(read_manifest(trace_check::read_text(m), m));
  std::vector<std::string> config_args;
  if (!config.source.empty()) config_args = {"--config", std::filesystem::absolute(config.source).string()};
  for (const auto& b : a.binaries) add(trace_check::collect_binary(b, config_args, {}));
  if (!a.build_dir.empty()) add(trace_check::collect_build_dir(a.build_dir));

  std::vector<TestOutcome> outcomes;
  for (const auto& r : a.results) {
    auto more = read_results(trace_check::read_text(r), r);
    outcomes.insert(outcomes.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  if (tests.empty() && outcomes.empty())
    throw InputError("no tests: pass --manifest, --collect, --build-dir or --results");

  Report report = evaluate(std::move(requirements), std::move(tests), outcomes, !a.results.empty(),
                           {a.threshold, a.require_passing, a.strict});

  // --format/--output pairs, in order; a format without an output goes to stdout.
  std::vector<std::string> formats = a.formats.empty() ? std::vector<std::string>{"text"} : a.formats;
  if (a.outputs.size() > formats.size())
    throw std::invalid_argument("more --output than --format: each --output pairs with the --format before it");
  for (std::size_t i = 0; i < formats.size(); ++i) {
    if (i < a.outputs.size()) {
      std::ofstream out(a.outputs[i], std::ios::binary | std::ios::trunc);
      if (!out) throw InputError(a.outputs[i] + ": cannot write");
      render(formats[i], out, report);
      out.close();
      if (!out) throw InputError(a.outputs[i] + ": write failed");
    } else {
      render(formats[i], std::cout, report);
    }
  }
  return report.passed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"trace-check: fail the build for unmarked tests, unknown requirement IDs and coverage "
               "below the threshold.\nExit codes: 0 gate passed, 1 gate failed, 2 usage or input error.",
               "trace-check"};
  Args a;
  app.add_option("--requirements,-r", a.requirements,
                 "requirement catalogs: spec-kit Markdown, JSON, or directories of specs/*/spec.md "
                 "(default: attest.json's \"requirements\")");
  app.add_option("--manifest", a.manifests, "manifest JSON files written by --collect-only=json");
  app.add_option("--collect", a.binaries, "attest test binaries to run with --collect-only=json");
  app.add_option("--build-dir", a.build_dir, "a CMake build directory: collect every attest binary CTest runs");
  app.add_option("--results", a.results, "results: attest --report-json files or JUnit XML (several shards merge)");
  app.add_option("--threshold", a.threshold, "minimum coverage in percent (default 100)")->check(CLI::Range(0.0, 100.0));
  app.add_flag("--require-passing", a.require_passing, "count a requirement as covered only when all its tests passed");
  app.add_flag("--strict", a.strict, "requirements still marked [NEEDS CLARIFICATION] are defects");
  app.add_option("--id-pattern", a.id_pattern,
                 "regex for requirement IDs in catalogs (default: attest.json's requirement_pattern, else "
                 "[A-Z][A-Z0-9]*-[0-9]+)");
  app.add_option("--config", a.config, "attest.json to use (default: $ATTEST_CONFIG, else searched upward)");
  app.add_option("--format,-f", a.formats, "text, json, markdown, html or github; repeatable")
      ->check(CLI::IsMember(formats()));
  app.add_option("--output,-o", a.outputs, "file for the --format at the same position (default: stdout)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    return run(a);
  } catch (const InputError& e) {
    std::cerr << "trace-check: error: " << e.what() << '\n';
  } catch (const attest::ConfigError& e) {
    std::cerr << "trace-check: error: " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "trace-check: error: " << e.what() << '\n';
  }
  return 2;
}
