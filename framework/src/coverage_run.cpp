#include "coverage_run.hpp"

#include <boost/test/tree/test_unit.hpp>

#include <attest/coverage/affected.hpp>
#include <attest/detail/json_input.hpp>
#include <attest/subprocess.hpp>

#include <iostream>
#include <stdexcept>
#include <unordered_set>

namespace attest::detail {
namespace ut = boost::unit_test;

namespace {

coverage::gcov::Filter filter_of(const CoverageOptions& options) {
  coverage::gcov::Filter filter;
  for (const auto& source : options.sources)
    filter.include.push_back(std::filesystem::absolute(source).lexically_normal().string());
  return filter;
}

}  // namespace

void prepare_coverage(const CoverageOptions& options, std::ostream& info, bool say_why_not) {
  std::string summary;
  try {
    if (coverage::Recorder::prepare(filter_of(options), summary) || say_why_not)
      info << "attest: --cov-prepare: " << summary << '\n';
  } catch (const std::exception& e) {
    info << "attest: --cov-prepare: nothing kept (the next --cov run reads the notes itself): "
         << e.what() << '\n';
  }
}

std::unique_ptr<CoverageRun> CoverageRun::start(const CoverageOptions& options,
                                                const std::string& binary,
                                                const std::vector<TestInfo>& tests,
                                                const std::filesystem::path& root) {
  if (!options.enabled) return nullptr;
  std::unique_ptr<CoverageRun> run(new CoverageRun);
  try {
    for (const auto& spec : options.reports)
      run->reports_.push_back(coverage::parse_report_request(spec));
    if (options.fail_under)
      run->gate_.overall = coverage::parse_threshold("--cov-fail-under", *options.fail_under);
    if (options.fail_under_file)
      run->gate_.per_file =
          coverage::parse_threshold("--cov-fail-under-file", *options.fail_under_file);
    if (options.fail_under_requirement)
      run->gate_.per_requirement =
          coverage::parse_threshold("--cov-fail-under-req", *options.fail_under_requirement);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (run->reports_.empty())
    run->reports_.push_back(coverage::parse_report_request("term-missing"));
  run->gate_.root = root;
  run->filter_ = filter_of(options);
  std::string why;
  run->recorder_ = coverage::Recorder::create(run->filter_, why);
  if (!run->recorder_) throw UsageError("--cov: " + why);
  run->binary_ = binary;
  for (const auto& t : tests)
    if (t.selected) run->tests_.emplace(t.id, &t);
  return run;
}

// (the recorder's hooks: see ATTEST_COVERAGE_UNMEASURED)
ATTEST_COVERAGE_UNMEASURED void CoverageRun::test_unit_start(const ut::test_unit& tu) {
  if (tu.p_type != ut::TUT_CASE) return;
  recorder_->begin_test();
  in_test_ = true;
}

ATTEST_COVERAGE_UNMEASURED void CoverageRun::test_unit_finish(const ut::test_unit& tu,
                                                              unsigned long) {
  if (tu.p_type != ut::TUT_CASE || !in_test_) return;
  in_test_ = false;
  coverage::TestContext context{binary_, tu.full_name(), {}};
  if (auto it = tests_.find(tu.p_id); it != tests_.end())
    context.requirements = it->second->marks.requirements;
  recorder_->end_test(std::move(context));
}

std::vector<std::string> CoverageRun::finish(std::ostream& terminal) {
  coverage::Record raw = recorder_->finish();
  // A test that ran more than once (--reruns) is one test: merged into one (a copy of the
  // record, so only when one did).
  std::unordered_set<std::string> ids;
  bool reran = false;
  for (const auto& t : raw.tests) reran = reran || !ids.insert(t.id).second;
  coverage::Record record;
  if (reran)
    coverage::merge(record, raw);
  else
    record = std::move(raw);
  coverage::ReportOptions report_options{gate_.root};
  for (const auto& r : reports_) {
    std::string file = r.file.empty() ? r.kind->default_file : r.file;
    if (file.empty()) {
      terminal << '\n';
      r.kind->write(terminal, record, report_options);
      continue;
    }
    // Written straight to the file (no copy of a report of megabytes in memory first).
    if (!write_file_atomically(
            file, [&](std::ostream& out) { r.kind->write(out, record, report_options); }))
      throw std::runtime_error("--cov-report " + std::string(r.kind->name) + ": cannot write '" +
                               file + "'");
    terminal << "attest: coverage " << r.kind->name << " written to " << file << '\n';
  }
  std::vector<std::string> failures;
  for (auto& line : coverage::check_gate(record, gate_))
    failures.push_back("coverage below threshold: " + line);
  // The record is kept until the process ends, never destroyed: freeing its tens of thousands
  // of tree nodes and test lists one by one was a millisecond or more of a short suite's run,
  // for memory the process gives back at once when it ends (reachable: no leak checker's).
  static auto* spent = new std::vector<coverage::Record>;
  spent->push_back(std::move(record));
  return failures;
}

namespace {

std::string git(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r;
  try {
    r = run_command(argv, {cwd, {}, std::chrono::seconds(60)});
  } catch (const std::exception& e) {
    throw UsageError(std::string("--affected-since: cannot run git: ") + e.what());
  }
  if (r.exit_code != 0)
    throw UsageError("--affected-since: git " + args.front() + " failed (" + r.describe_status() +
                     "): " + r.err);
  return r.out;
}

}  // namespace

std::string select_affected(const CoverageOptions& options, const std::string& binary,
                            std::vector<TestInfo>& tests, const std::filesystem::path& project) {
  const std::string& ref = *options.affected_since;
  std::string record_path = options.affected_record.value_or("coverage.json");
  std::size_t before = 0;
  for (const auto& t : tests) before += t.selected;
  auto head = "--affected-since " + ref + ": ";
  std::error_code ec;
  if (!std::filesystem::exists(record_path, ec))
    return head + "no coverage record '" + record_path +
           "' (--cov-report=json:FILE writes one; --affected-record names it): running all " +
           std::to_string(before) + " selected tests";
  coverage::Record record = coverage::from_json(read_file(record_path), record_path);

  std::string root = git({"rev-parse", "--show-toplevel"}, project);
  while (!root.empty() && (root.back() == '\n' || root.back() == '\r')) root.pop_back();
  auto change = coverage::parse_unified_diff(
      git({"diff", "-U0", "--no-color", "--no-ext-diff", ref, "--"}, root), root);
  auto lines_at_ref = [&](const std::string& path) -> std::uint32_t {
    auto relative = std::filesystem::path(path).lexically_relative(root).string();
    std::vector<std::string> argv{"git", "show", ref + ":" + relative};
    auto r = run_command(argv, {root, {}, std::chrono::seconds(60)});
    if (r.exit_code != 0) return 0;
    return static_cast<std::uint32_t>(std::count(r.out.begin(), r.out.end(), '\n'));
  };
  std::vector<coverage::TestDefinition> definitions;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < tests.size(); ++i) {
    if (!tests[i].selected) continue;
    definitions.push_back({binary, tests[i].name,
                           std::filesystem::absolute(tests[i].file).lexically_normal().string(),
                           static_cast<std::uint32_t>(tests[i].line)});
    which.push_back(i);
  }
  auto affected = coverage::affected_tests(record, definitions, change, lines_at_ref);
  std::size_t kept = 0;
  for (std::size_t k = 0; k < which.size(); ++k) {
    tests[which[k]].selected = affected.selected[k];
    kept += affected.selected[k];
  }
  std::string note = head + std::to_string(change.files.size()) + " file" +
                     (change.files.size() == 1 ? "" : "s") + " changed (" +
                     std::to_string(change.lines()) + " lines); ";
  if (affected.all) {
    note += "running all " + std::to_string(before) + " selected tests, the record cannot answer:";
    for (const auto& r : affected.reasons) note += "\n  " + r;
    return note;
  }
  return note + std::to_string(kept) + " of " + std::to_string(before) +
         " selected tests affected (" + std::to_string(affected.by_coverage) +
         " reach changed code, " + std::to_string(affected.by_definition) +
         " changed themselves, " + std::to_string(affected.without_record) + " without a record)";
}

}  // namespace attest::detail
