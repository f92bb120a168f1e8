// attest-cov: one picture from many coverage records — the json reports (--cov-report=json)
// of several binaries, CTest cases and shards — merged, reported and gated like the
// runner's own --cov-report and --cov-fail-under*.
//   attest-cov RECORD|DIR... [--cov-report KIND[:FILE]]... [--cov-fail-under SPEC]
//     [--cov-fail-under-file SPEC] [--cov-fail-under-req SPEC] [--root DIR]
// Exit codes: 0 gate passed, 1 gate failed (what is below is named), 2 usage or input error.
#include <attest/coverage/gate.hpp>
#include <attest/coverage/record.hpp>
#include <attest/coverage/reports.hpp>
#include <attest/detail/json_input.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using namespace attest::coverage;

struct Args {
  std::vector<std::string> records, reports;
  std::string fail_under, fail_under_file, fail_under_req, root;
};

// A directory stands for every record below it (json files that say "attest_coverage").
std::vector<std::string> expand(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(p, ec))
      if (e.is_regular_file() && e.path().extension() == ".json") {
        auto text = attest::detail::read_file(e.path());
        if (text.find(std::string("\"") + record_version_key + "\"") != std::string::npos)
          found.push_back(e.path().string());
      }
    if (found.empty()) throw attest::InputError({p}, "no coverage records (json) below it");
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

int run(const Args& a) {
  std::vector<ReportRequest> reports;
  GateOptions gate;
  try {
    for (const auto& r : a.reports) reports.push_back(parse_report_request(r));
    if (!a.fail_under.empty()) gate.overall = parse_threshold("--cov-fail-under", a.fail_under);
    if (!a.fail_under_file.empty())
      gate.per_file = parse_threshold("--cov-fail-under-file", a.fail_under_file);
    if (!a.fail_under_req.empty())
      gate.per_requirement = parse_threshold("--cov-fail-under-req", a.fail_under_req);
  } catch (const std::invalid_argument& e) {
    std::cerr << "attest-cov: error: " << e.what() << '\n';
    return 2;
  }
  if (reports.empty()) reports.push_back(parse_report_request("term-missing"));
  gate.root = a.root.empty() ? fs::current_path() : fs::absolute(a.root);

  Record record;
  for (const auto& path : expand(a.records))
    merge(record, from_json(attest::detail::read_file(path), path));

  ReportOptions options{gate.root};
  for (const auto& r : reports) {
    std::string file = r.file.empty() ? r.kind->default_file : r.file;
    if (file.empty()) {
      r.kind->write(std::cout, record, options);
      continue;
    }
    std::ostringstream text;
    r.kind->write(text, record, options);
    if (!attest::detail::write_file_atomically(file, text.str()))
      throw attest::InputError({file}, "cannot write");
    std::cout << "attest-cov: " << r.kind->name << " written to " << file << '\n';
  }
  auto below = check_gate(record, gate);
  for (const auto& line : below)
    std::cout << "attest-cov: coverage below threshold: " << line << '\n';
  Totals t = totals(record);
  std::cout << "attest-cov: " << record.tests.size() << " tests, lines " << t.lines_hit << "/"
            << t.lines << ", branches " << t.branches_taken << "/" << t.branches << ": "
            << (below.empty() ? "PASSED" : "FAILED") << '\n';
  return below.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "attest-cov: merge coverage records (the runner's --cov-report=json), report and "
      "gate.\nExit codes: 0 gate passed, 1 gate failed, 2 usage or input error.",
      "attest-cov"};
  Args a;
  app.add_option("records", a.records, "coverage records, or directories holding them")->required();
  std::string kinds;
  for (const auto& k : report_kinds()) kinds += std::string("\n  ") + k.name + ": " + k.summary;
  app.add_option("--cov-report", a.reports, "KIND[:FILE], repeatable; one of:" + kinds);
  app.add_option("--cov-fail-under", a.fail_under, "line=N[,branch=N] percent, overall");
  app.add_option("--cov-fail-under-file", a.fail_under_file, "the same, for every file");
  app.add_option("--cov-fail-under-req", a.fail_under_req,
                 "the same, for every requirement (in the files its tests reach)");
  app.add_option("--root", a.root, "show paths relative to this directory (default: current)");
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
  } catch (const std::exception& e) {
    std::cerr << "attest-cov: error: " << e.what() << '\n';
  }
  return 2;
}
