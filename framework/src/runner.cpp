// attest::run — Boost.Test's unit_test_main, with attest's seam in the middle:
//   init → finalize_setup_phase (decorators apply) → validate markers →
//   select (-m/-k/--req into p_default_status) → collect-only | run → reports.
// Boost applies --run_test inside framework::run() on top of p_default_status,
// so Boost's own filters, reporting and --list_content agree with attest's.
#include <attest/run_dir.hpp>
#include <attest/runner.hpp>
#include <attest/test_context.hpp>

#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/results_reporter.hpp>
#include <boost/test/tree/traverse.hpp>
#include <boost/test/tree/visitor.hpp>
#include <boost/test/unit_test_parameters.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>

#include <attest/config.hpp>
#include "collection.hpp"
#include "options.hpp"
#include "registry.hpp"
#include "reports.hpp"
#include "console.hpp"
#include "failures.hpp"
#include "scopes.hpp"
#include "results.hpp"
#include "selection.hpp"

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
struct OutputFile {
  std::string path;
  std::ofstream stream;
};

std::optional<OutputFile> open_output(const std::optional<std::string>& path, const char* flag) {
  if (!path) return std::nullopt;
  OutputFile f{*path, std::ofstream(*path, std::ios::binary | std::ios::trunc)};
  if (!f.stream) throw UsageError(std::string(flag) + ": cannot write '" + *path + "'");
  return f;
}

void close_output(std::optional<OutputFile>& f) {
  if (!f) return;
  f->stream.close();
  if (!f->stream) throw std::runtime_error("failed writing '" + f->path + "'");
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

int run_selected(const Options& options, std::vector<TestInfo>& tests) {
  auto junit = open_output(options.junitxml, "--junitxml");
  auto report = open_output(options.report_json, "--report-json");

  ResultsRecorder recorder(tests, options.exitfirst);
  // Fixtures (e.g. a database kept for a failed test) ask whether the test failed.
  attest::set_test_failed_probe([] {
    return ut::framework::test_in_progress() &&
           !ut::results_collector.results(ut::framework::current_test_case_id()).passed();
  });
  ut::framework::register_observer(recorder);
  ScopeObserver scopes;  // suite-scoped resources go when their suite ends
  report_failures_at_their_line();
  recorder.install_log_capture();
  struct Deregister {
    ResultsRecorder& r;
    ~Deregister() { ut::framework::deregister_observer(r); }
  } deregister{recorder};

  ut::framework::run();

  Summary summary = recorder.summary();
  if (report || junit) {
    auto document = results_of(g_binary, tests, recorder.results(), summary);
    if (report) trace::write_results_json(report->stream, document);
    if (junit) trace::write_junit(junit->stream, document);
  }
  close_output(report);
  close_output(junit);

  std::cout.flush();
  if (options.durations) write_durations(console(), tests, recorder.results(), *options.durations);
  write_summary_line(console(), summary, recorder.stopped_early());
  console().flush();
  attest::set_run_failed(summary.failed > 0);  // session-scoped resources keep what failed
  attest::run_end_handlers();  // session services stop now, while every library still works

  namespace rc = ut::runtime_config;
  if (!rc::get<bool>(rc::btrt_result_code)) return exit_ok;
  bool passed = summary.failed == 0 &&
                ut::results_collector.results(ut::framework::master_test_suite().p_id).passed();
  return passed ? exit_ok : exit_tests_failed;
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

  Registry& registry = Registry::instance();
  if (auto problems = validate_marks(registry, config); !problems.empty()) {
    for (const auto& p : problems) std::cerr << p << '\n';
    std::cerr << "attest: error: " << problems.size() << " collection error"
              << (problems.size() == 1 ? "" : "s") << "; no test was run\n";
    return exit_usage_error;
  }

  auto tests = collect_tests(registry);
  select_tests(tests, options, config);
  apply_selection(tests);
  if (options.collect != CollectFormat::none) apply_boost_filters(tests);
  std::size_t selected = 0;
  for (const auto& t : tests) selected += t.selected;

  if (options.manifest) {
    auto manifest = open_output(options.manifest, "--manifest");
    trace::write_manifest(manifest->stream, manifest_of(g_binary, tests));
    close_output(manifest);
  }
  switch (options.collect) {
    case CollectFormat::json:
      trace::write_manifest(std::cout, manifest_of(g_binary, tests));
      break;
    case CollectFormat::text:
      write_collection_text(std::cout, tests);
      break;
    case CollectFormat::none:
      break;
  }
  if (options.collect != CollectFormat::none) return selected ? exit_ok : exit_no_tests_selected;
  if (boost_listing_requested()) return exit_ok;

  if (selected == 0) {
    std::cerr << "attest: no tests selected: " << tests.size() << " collected, all deselected"
              << (options.markexpr || options.keywordexpr || !options.requirements.empty()
                      ? " by " + describe_filters(options)
                      : std::string())
              << '\n';
    return exit_no_tests_selected;
  }
  return run_selected(options, tests);
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
  if (options.help) std::cout << options_help();
  if (options.kept != KeptAction::none) return kept_servers(options.kept);
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
  return code;
}

}  // namespace attest
