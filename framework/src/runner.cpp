// attest::run — Boost.Test's unit_test_main, with attest's seam in the middle:
//   init → finalize_setup_phase (decorators apply) → validate markers →
//   select (-m/-k/--req into p_default_status) → collect-only | run → reports.
// Boost applies --run_test inside framework::run() on top of p_default_status,
// so Boost's own filters, reporting and --list_content agree with attest's.
#include <attest/detail/json_input.hpp>
#include <attest/detail/run_settings.hpp>
#include <attest/run_dir.hpp>
#include <attest/runner.hpp>
#include <attest/test_context.hpp>

#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/results_reporter.hpp>
#include <boost/test/tree/traverse.hpp>
#include <boost/test/tree/visitor.hpp>
#include <boost/test/unit_test_parameters.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include <attest/config.hpp>
#include "cache.hpp"
#include "collection.hpp"
#include "console.hpp"
#include "coverage_run.hpp"
#include "debugger_probe.hpp"
#include "failures.hpp"
#include "options.hpp"
#include "registry.hpp"
#include "reports.hpp"
#include "reruns.hpp"
#include "results.hpp"
#include "scopes.hpp"
#include "selection.hpp"
#include "terminal.hpp"

namespace attest {
namespace ut = boost::unit_test;
using namespace detail;

namespace {

std::string binary_name(const char* argv0) {
  return argv0 ? std::filesystem::path(argv0).filename().string() : std::string("tests");
}

std::string g_binary;  // for the default init function, which takes no arguments

bool default_init() {
  auto& name = ut::framework::master_test_suite().p_name.value;
  if (name == "Master Test Suite") name = g_binary;
  return true;
}

// An output file opened before any test runs, so a bad path fails fast.
// A report file: written whole at the end, atomically (a temporary file renamed), so that a
// reader — trace-check over a build directory while other tests still run — never sees half
// of it, and a killed run leaves the previous file rather than a truncated one.
struct OutputFile {
  std::string path;
};

// /dev/stdout, a pipe: written as is (nothing to rename over).
bool is_special(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec);
}

std::optional<OutputFile> open_output(const std::optional<std::string>& path, const char* flag) {
  if (!path) return std::nullopt;
  // Fail now, not after the run, when the file cannot be written.
  bool writable = false;
  if (is_special(*path)) {
    writable = static_cast<bool>(std::ofstream(*path, std::ios::binary | std::ios::app));
  } else {
    std::string probe = *path + ".attest-probe-" + std::to_string(::getpid());
    writable = static_cast<bool>(std::ofstream(probe, std::ios::binary | std::ios::trunc));
    std::error_code ec;
    std::filesystem::remove(probe, ec);
  }
  if (!writable) throw UsageError(std::string(flag) + ": cannot write '" + *path + "'");
  return OutputFile{*path};
}

// Writes the report as it is produced (a 10,000-test document is never held whole).
void write_output(const std::optional<OutputFile>& f,
                  const std::function<void(std::ostream&)>& write) {
  if (!f) return;
  bool ok = false;
  if (is_special(f->path)) {
    std::ofstream out(f->path, std::ios::binary | std::ios::app);
    write(out);
    ok = static_cast<bool>(out.flush());
  } else {
    ok = detail::write_file_atomically(f->path, write, 0644);
  }
  if (!ok) throw std::runtime_error("failed writing '" + f->path + "'");
}

// Boost's --list_content and --list_labels, reproduced here because Boost
// prints them from inside unit_test_main, before attest's selection exists.
struct ContentLister final : ut::test_tree_visitor {
  explicit ContentLister(std::ostream& os) : os(os) {}
  void report(const ut::test_unit& tu) {
    os << std::setw(indent) << "" << tu.p_name.get()
       << (tu.p_default_status == ut::test_unit::RS_ENABLED ? "*" : " ");
    if (!tu.p_description->empty()) os << ": " << tu.p_description.get();
    os << '\n';
  }
  void visit(const ut::test_case& tc) override { report(tc); }
  bool test_suite_start(const ut::test_suite& ts) override {
    if (indent >= 0) report(ts);
    indent += 4;
    return true;
  }
  void test_suite_finish(const ut::test_suite&) override { indent -= 4; }
  std::ostream& os;
  int indent = -4;  // the master suite is not printed
};

struct LabelLister final : ut::test_tree_visitor {
  bool visit(const ut::test_unit& tu) override {
    labels.insert(tu.p_labels->begin(), tu.p_labels->end());
    return true;
  }
  std::set<std::string> labels;
};

// --list_content=DOT: the tree as Graphviz, in the shape Boost's own DOT listing has
// (suites as clusters of records, dependencies as dotted red edges).
struct DotLister final : ut::test_tree_visitor {
  explicit DotLister(std::ostream& os) : os(os) {}
  void node(const ut::test_unit& tu) {
    bool master = tu.p_parent_id == ut::INV_TEST_UNIT_ID;
    os << "tu" << tu.p_id << (master ? "[shape=ellipse,peripheries=2" : "[shape=Mrecord")
       << ",fontname=Helvetica"
       << (tu.p_default_status == ut::test_unit::RS_ENABLED ? ",color=green" : ",color=yellow")
       << ",label=\"" << tu.p_name.get();
    if (!master) {
      os << "|" << tu.p_file_name << "(" << tu.p_line_num << ")";
      if (tu.p_timeout > 0) os << "|timeout=" << tu.p_timeout;
      if (tu.p_expected_failures != 0) os << "|expected failures=" << tu.p_expected_failures;
      if (!tu.p_labels->empty()) {
        os << "|labels:";
        for (const auto& l : tu.p_labels.get()) os << " @" << l;
      }
    }
    os << "\"];\n";
    if (!master) os << "tu" << tu.p_parent_id << " -> tu" << tu.p_id << ";\n";
    for (auto dep : tu.p_dependencies.get())
      os << "tu" << tu.p_id << " -> tu" << dep << "[color=red,style=dotted,constraint=false];\n";
  }
  void visit(const ut::test_case& tc) override { node(tc); }
  bool test_suite_start(const ut::test_suite& ts) override {
    if (ts.p_parent_id == ut::INV_TEST_UNIT_ID) os << "digraph G {rankdir=LR;\n";
    node(ts);
    os << "{\n";
    return true;
  }
  void test_suite_finish(const ut::test_suite& ts) override {
    os << "}\n";
    if (ts.p_parent_id == ut::INV_TEST_UNIT_ID) os << "}\n";
  }
  std::ostream& os;
};

bool rc_wait_for_debugger() {
  namespace rc = ut::runtime_config;
  return rc::has(rc::btrt_wait_for_debugger) && rc::get<bool>(rc::btrt_wait_for_debugger);
}

bool boost_listing_requested() {
  namespace rc = ut::runtime_config;
  auto& os = ut::results_reporter::get_stream();
  if (auto format = rc::get<ut::output_format>(rc::btrt_list_content); format != ut::OF_INVALID) {
    if (format == ut::OF_DOT) {
      DotLister lister(os);
      ut::traverse_test_tree(ut::framework::master_test_suite().p_id, lister, true);
    } else {
      ContentLister lister(os);
      ut::traverse_test_tree(ut::framework::master_test_suite().p_id, lister, true);
    }
    return true;
  }
  if (rc::get<bool>(rc::btrt_list_labels)) {
    LabelLister lister;
    ut::traverse_test_tree(ut::framework::master_test_suite().p_id, lister, true);
    os << "Available labels:\n";
    for (const auto& l : lister.labels) os << "  " << l << '\n';
    return true;
  }
  return false;
}

// --timeout: a default per test, where the code set none (Boost's timeout() decorator wins).
void apply_timeout(const std::vector<TestInfo>& tests, std::optional<unsigned> seconds) {
  if (!seconds) return;
  for (const auto& t : tests) {
    auto& tc = ut::framework::get(t.id, ut::TUT_CASE);
    if (t.selected && tc.p_timeout.get() == 0) tc.p_timeout.value = *seconds;
  }
}

int run_selected(const Options& options, std::vector<TestInfo>& tests, const BoostOutput& boost_out,
                 const RunCache& cache, trace::JunitFamily junit_family, const Config& config) {
  auto junit = open_output(options.junitxml, "--junitxml");
  auto report = open_output(options.report_json, "--report-json");
  // --cov: reports name files relative to the project (attest.json's directory).
  auto coverage = CoverageRun::start(options.coverage, g_binary, tests,
                                     config.source.empty()
                                         ? std::filesystem::current_path()
                                         : std::filesystem::absolute(config.source).parent_path());

  std::size_t selected = 0;
  for (const auto& t : tests) selected += t.selected;
  TerminalOptions terminal;
  terminal.verbosity = static_cast<Verbosity>(options.verbosity);
  terminal.color = use_color(static_cast<int>(options.color));
  terminal.progress = !boost_out.log_on_console && !boost_out.progress;
  terminal.width = console_width();
  terminal.interactive = console_is_terminal();
  TerminalReporter reporter(console(), tests, terminal);

  ResultsRecorder recorder(tests, options.stepwise ? 1 : options.maxfail);
  recorder.on_result = [&](const TestResult& r) { reporter.test_done(r); };
  recorder.on_note = [&](const std::string& line) { reporter.note(line); };
  set_note_sink([&](const std::string& line) { reporter.note(line); });
  struct ResetSink {
    ~ResetSink() { set_note_sink(nullptr); }
  } reset_sink;
  // Fixtures (e.g. a database kept for a failed test) ask whether the test failed.
  attest::set_test_failed_probe([] {
    return ut::framework::test_in_progress() &&
           !ut::results_collector.results(ut::framework::current_test_case_id()).passed();
  });
  ut::framework::register_observer(recorder);
  ScopeObserver scopes;  // suite-scoped resources go when their suite ends
  report_failures_at_their_line();
  recorder.install_log_capture();
  enable_reruns(tests, Registry::instance(), options.reruns.value_or(0), recorder);
  apply_timeout(tests, options.timeout);
  struct Deregister {
    ResultsRecorder& r;
    ~Deregister() { ut::framework::deregister_observer(r); }
  } deregister{recorder};
  if (coverage) ut::framework::register_observer(*coverage);
  struct DeregisterCoverage {
    CoverageRun* c;
    ~DeregisterCoverage() {
      if (c) ut::framework::deregister_observer(*c);
    }
  } deregister_coverage{coverage.get()};

  if (terminal.progress) reporter.start(g_binary, selected);
  ut::framework::run();
  recorder.account_for_abort();

  Summary summary = recorder.summary();
  auto results = results_source(g_binary, tests, recorder.results(), summary);
  write_output(report, [&](std::ostream& out) { trace::write_results_json(out, results); });
  write_output(junit, [&](std::ostream& out) {
    trace::write_junit(out, results_of(g_binary, tests, recorder.results(), summary), junit_family);
  });

  std::optional<std::string> stepwise_at;
  std::size_t flaky = 0;
  for (const auto& r : recorder.results()) {
    if (r.outcome == Outcome::failed && !stepwise_at) stepwise_at = tests[r.test].name;
    flaky += r.flaky();
  }
  cache.update(results, stepwise_at, options.stepwise);

  std::cout.flush();
  if (options.durations) write_durations(console(), tests, recorder.results(), *options.durations);
  std::vector<std::string> verdicts;
  if (!recorder.stop_reason().empty() && !options.stepwise)
    verdicts.push_back(recorder.stop_reason());
  if (options.stepwise && stepwise_at)
    verdicts.push_back("stepwise: stopped at " + *stepwise_at + "; the next --sw run starts there");
  if (flaky && options.fail_on_flaky)
    verdicts.push_back(std::to_string(flaky) + " flaky test" + (flaky == 1 ? "" : "s") +
                       " and --fail-on-flaky: the run fails");
  std::size_t coverage_failures = 0;
  if (coverage) {
    auto below = coverage->finish(console());
    coverage_failures = below.size();
    verdicts.insert(verdicts.end(), below.begin(), below.end());
  }
  reporter.finish(recorder.results(), summary, verdicts);
  console().flush();
  attest::set_run_failed(summary.failed > 0);  // session-scoped resources keep what failed
  attest::run_end_handlers();  // session services stop now, while every library still works

  namespace rc = ut::runtime_config;
  if (!rc::get<bool>(rc::btrt_result_code)) return exit_ok;
  bool passed = summary.failed == 0 &&
                ut::results_collector.results(ut::framework::master_test_suite().p_id).passed();
  if (flaky && options.fail_on_flaky) passed = false;
  if (coverage_failures) passed = false;
  return passed ? exit_ok : exit_tests_failed;
}

// --lf / --ff / --sw: what the cache knows narrows or orders the selection.
// Returns the tests to run first (--ff), by index.
std::vector<bool> apply_cache(const Options& options, std::vector<TestInfo>& tests,
                              const RunCache& cache) {
  // Never inside a JSON listing on stdout.
  std::ostream& info = options.collect == CollectFormat::json ? std::cerr : console();
  std::vector<bool> first(tests.size(), false);
  if (!options.last_failed && !options.failed_first && !options.stepwise) return first;
  auto failed = cache.last_failed();
  std::size_t known = 0;
  for (std::size_t i = 0; i < tests.size(); ++i) {
    first[i] = tests[i].selected && failed.count(tests[i].name);
    known += first[i];
  }
  if (options.last_failed) {
    if (known == 0) {
      info << "attest: --lf: no previously failed tests" << (failed.empty() ? "" : " selected")
           << ", running all "
           << std::count_if(tests.begin(), tests.end(),
                            [](const TestInfo& t) { return t.selected; })
           << '\n';
    } else {
      for (std::size_t i = 0; i < tests.size(); ++i) tests[i].selected = first[i];
      info << "attest: --lf: running the " << known << " test" << (known == 1 ? "" : "s")
           << " that failed last time\n";
    }
  }
  if (options.stepwise) {
    if (auto at = cache.stepwise()) {
      auto it = std::find_if(tests.begin(), tests.end(),
                             [&](const TestInfo& t) { return t.name == *at; });
      if (it != tests.end()) {
        std::size_t skipped = 0;
        for (auto t = tests.begin(); t != it; ++t) {
          skipped += t->selected;
          t->selected = false;
        }
        info << "attest: --sw: starting at " << *at << ", skipping " << skipped << " test"
             << (skipped == 1 ? "" : "s") << " that passed before it\n";
      }
    }
  }
  return first;
}

// Collection lists what would run: Boost's own filters (--run_test, BOOST_TEST_RUN_FILTERS)
// too, which it applies only inside framework::run(). Asking it to deduce the run status now
// applies them; a test is listed when attest's selection and Boost's filters both keep it.
void apply_boost_filters(std::vector<TestInfo>& tests) {
  namespace rc = ut::runtime_config;
  if (!rc::has(rc::btrt_run_filters) ||
      rc::get<std::vector<std::string>>(rc::btrt_run_filters).empty())
    return;
  ut::framework::impl::setup_for_execution(ut::framework::master_test_suite());
  for (auto& t : tests)
    t.selected = t.selected &&
                 ut::framework::get(t.id, ut::TUT_CASE).p_run_status == ut::test_unit::RS_ENABLED;
}

int run_framework(const Options& options, const Config& config, bool (*init)()) {
  std::vector<char*> argv;
  for (const auto& a : options.boost_args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  ut::framework::init(init ? init : &default_init, static_cast<int>(argv.size() - 1), argv.data());
  ut::framework::finalize_setup_phase();
  decide_console();  // Boost's XML/JUnit on stdout: attest's lines go to stderr

  auto boost_out = boost_output_requested(options.boost_args);
  silence_boost_console(boost_out);
  if (rc_wait_for_debugger()) {
    ut::results_reporter::get_stream() << "Press any key to continue..." << std::endl;
    (std::getchar)();
    ut::results_reporter::get_stream() << "Continuing..." << std::endl;
  }

  Registry& registry = Registry::instance();
  if (auto problems = validate_marks(registry, config); !problems.empty()) {
    for (const auto& p : problems) std::cerr << p << '\n';
    std::cerr << "attest: error: " << problems.size() << " collection error"
              << (problems.size() == 1 ? "" : "s") << "; no test was run\n";
    return exit_usage_error;
  }

  auto tests = collect_tests(registry);
  select_tests(tests, options, config);
  // --affected-since narrows what -m/-k/--req kept, before shards split it.
  bool affected_only = false;
  std::size_t unaffected = 0;  // deselected by --affected-since
  if (options.coverage.affected_since) {
    for (const auto& t : tests) unaffected += t.selected;
    auto note = select_affected(options.coverage, g_binary, tests,
                                config.source.empty()
                                    ? std::filesystem::current_path()
                                    : std::filesystem::absolute(config.source).parent_path());
    (options.collect == CollectFormat::json ? std::cerr : console()) << "attest: " << note << '\n';
    affected_only = true;
    for (const auto& t : tests) unaffected -= t.selected;
  }
  RunCache cache(options.cache_dir, g_binary);
  // Property tests keep their failures beside the run cache and read the --prop-* flags.
  set_run_settings({cache.directory(), options.prop_seed, options.prop_max_success});
  if (options.cache_clear) cache.clear();
  auto first = apply_cache(options, tests, cache);
  // Sharding splits what the filters and the cache selected.
  std::optional<std::string> shard_note;
  auto shard = shard_spec(options.shard, options.shard_by, options.durations_from);
  if (shard) {
    auto durations = shard->durations_from ? read_durations(*shard->durations_from)
                                           : std::map<std::string, double>{};
    std::size_t before = shard_tests(tests, *shard, durations);
    std::size_t kept =
        std::count_if(tests.begin(), tests.end(), [](const TestInfo& t) { return t.selected; });
    shard_note = "shard " + std::to_string(shard->index) + "/" + std::to_string(shard->total) +
                 " (" + shard->source + (shard->by_duration ? ", by duration" : "") +
                 "): " + std::to_string(kept) + " of " + std::to_string(before) + " selected tests";
    if (shard->status) {
      // The protocol's "sharding honoured" signal: the file exists.
      std::ofstream touch(*shard->status, std::ios::app);
    }
    std::ostream& info = options.collect == CollectFormat::json ? std::cerr : console();
    if (options.collect != CollectFormat::text) info << "attest: " << *shard_note << '\n';
    if (kept == 0 && options.collect == CollectFormat::none && !boost_listing_requested()) {
      // Bazel's convention: an empty shard is not a failure.
      info << "attest: nothing to run in this shard\n";
      return exit_ok;
    }
  }
  select_prerequisites(tests);
  apply_selection(tests);
  if (options.failed_first) run_first(tests, first);
  if (options.collect != CollectFormat::none) apply_boost_filters(tests);
  std::size_t selected = 0;
  for (const auto& t : tests) selected += t.selected;

  if (options.manifest) {
    auto manifest = open_output(options.manifest, "--manifest");
    write_output(manifest, [&](std::ostream& out) {
      trace::write_manifest(out, manifest_of(g_binary, tests, shard));
    });
  }
  switch (options.collect) {
    case CollectFormat::json:
      trace::write_manifest(std::cout, manifest_of(g_binary, tests, shard));
      break;
    case CollectFormat::text:
      if (shard_note) std::cout << *shard_note << '\n';
      write_collection_text(std::cout, tests);
      break;
    case CollectFormat::none:
      break;
  }
  if (options.collect != CollectFormat::none)
    return selected || shard_note ? exit_ok : exit_no_tests_selected;
  if (boost_listing_requested()) return exit_ok;

  if (selected == 0 && affected_only) {
    // Unaffected tests count as skipped: CTest reports a per-case test as such.
    console() << "attest: no test is affected: nothing to run\nattest: 0 passed, 0 failed, "
              << unaffected << " skipped\n";
    return exit_ok;
  }
  if (selected == 0) {
    std::cerr << "attest: no tests selected: " << tests.size() << " collected, all deselected"
              << (options.markexpr || options.keywordexpr || !options.requirements.empty() ||
                          !options.exact.empty()
                      ? " by " + describe_filters(options)
                      : std::string())
              << '\n';
    return exit_no_tests_selected;
  }
  // --junit-family, else attest.json's "junit_family", else xunit1 (the ★ per-testcase properties).
  auto family = trace::parse_junit_family(options.junit_family.value_or(config.junit_family))
                    .value_or(trace::JunitFamily::xunit1);
  return run_selected(options, tests, boost_out, cache, family, config);
}

// --list-kept / --stop-kept: the servers earlier runs kept with --keep-failed.
int kept_servers(KeptAction action) {
  auto kept = RunDir::kept();
  if (action == KeptAction::stop) {
    int stopped = RunDir::stop_kept();
    std::cout << "attest: stopped " << stopped << " kept run" << (stopped == 1 ? "" : "s") << '\n';
    return exit_ok;
  }
  for (const auto& k : kept)
    std::cout << k.directory.string() << "  (kept " << k.age_seconds / 60 << " min ago)\n"
              << k.description << '\n';
  std::cout << "attest: " << kept.size() << " kept run" << (kept.size() == 1 ? "" : "s")
            << (kept.empty() ? "" : "; stop them with --stop-kept") << '\n';
  return exit_ok;
}

// A --cov-prepare run (a build step: with --collect-only, the discovery after a build) leaves
// no coverage data: its counts (static initialisers, the collection) are not a test run's, yet
// libgcov would add them to the .gcda files at exit, and Clang's runtime write a .profraw. The
// process ends without the exit handlers that write them; nothing of attest's is left to do
// by then (such a run starts no service and keeps no file open).
[[noreturn]] void end_without_coverage_data(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
}

}  // namespace

int run(int argc, char* argv[], bool (*init)()) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "attest: error: " << e.what() << " (see --help)\n";
    return exit_usage_error;
  }
  g_binary = binary_name(argc > 0 ? argv[0] : nullptr);
  keep_debugger_answer();  // Boost's probe walks /proc before every test case otherwise
  // Bazel says where it wants the JUnit XML; an explicit --junitxml wins.
  if (const char* bazel = std::getenv("XML_OUTPUT_FILE"); bazel && *bazel && !options.junitxml)
    options.junitxml = bazel;
  // CTest's per-case tests (attest_discover_tests) take --affected-since from the environment.
  if (const char* since = std::getenv("ATTEST_AFFECTED_SINCE");
      since && *since && !options.coverage.affected_since)
    options.coverage.affected_since = since;
  if (const char* record = std::getenv("ATTEST_AFFECTED_RECORD");
      record && *record && !options.coverage.affected_record)
    options.coverage.affected_record = record;
  if (options.help) std::cout << options_help();
  if (options.kept != KeptAction::none) return kept_servers(options.kept);
  if (options.coverage.prepare) {
    prepare_coverage(options.coverage, std::cerr, options.collect == CollectFormat::none);
    if (options.collect == CollectFormat::none) end_without_coverage_data(exit_ok);
  }
  if (options.keep_failed) attest::set_keep_failed(true);

  Config config;
  try {
    config = options.help ? default_config() : load_config(options.config);
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\nattest: error: bad config; no test was run\n";
    return exit_usage_error;
  }

  int code = exit_usage_error;
  try {
    code = run_framework(options, config, init);
  } catch (const ut::framework::nothing_to_test& e) {
    // --help and friends end here with success; Boost's own argument errors with failure.
    code = e.m_result_code == 0 ? exit_ok : exit_usage_error;
  } catch (const UsageError& e) {
    std::cerr << "attest: error: " << e.what() << '\n';
    code = exit_usage_error;
  } catch (const ut::framework::setup_error& e) {
    std::string what = e.what();
    bool nothing = what.find("no test cases matching filter") != std::string::npos;
    std::cerr << "attest: " << (nothing ? "no tests selected: " : "error: test setup: ") << what
              << '\n';
    code = nothing ? exit_no_tests_selected : exit_usage_error;
  } catch (const ut::framework::internal_error& e) {
    std::cerr << "attest: error: Boost.Test internal error: " << e.what() << '\n';
    code = exit_usage_error;
  } catch (const std::exception& e) {
    std::cerr << "attest: error: " << e.what() << '\n';
    code = exit_usage_error;
  }
  try {
    ut::framework::shutdown();
  } catch (...) {
    std::cerr << "attest: error: Boost.Test shutdown failed\n";
  }
  if (options.coverage.prepare) end_without_coverage_data(code);
  return code;
}

}  // namespace attest
