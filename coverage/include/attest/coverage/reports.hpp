// The coverage reports, each from a Record: term-missing (a table per file with the
// missing lines), lcov (one TN: section per test, as genhtml --show-details reads it),
// cobertura (XML for GitLab and Jenkins), json (the record itself) and html (every line
// with the tests and requirements that execute it). One table of kinds, like
// trace-check's renderers: the runner's and attest-cov's --cov-report take their names.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include <attest/coverage/record.hpp>

namespace attest::coverage {

struct ReportOptions {
  std::filesystem::path root;  // paths below it are shown relative to it
};

struct ReportKind {
  const char* name;
  const char* default_file;  // empty: the terminal
  const char* summary;
  void (*write)(std::ostream&, const Record&, const ReportOptions&);
};

const std::vector<ReportKind>& report_kinds();
/// nullptr when there is no such kind.
const ReportKind* find_report_kind(const std::string& name);

/// A --cov-report value: KIND or KIND:FILE. Throws std::invalid_argument naming the kinds.
struct ReportRequest {
  const ReportKind* kind = nullptr;
  std::string file;  // empty: the kind's default (the terminal for term-missing)
};
ReportRequest parse_report_request(const std::string& spec);

void write_term_missing(std::ostream& out, const Record& record, const ReportOptions& options);
void write_lcov(std::ostream& out, const Record& record, const ReportOptions& options);
void write_cobertura(std::ostream& out, const Record& record, const ReportOptions& options);
void write_json(std::ostream& out, const Record& record, const ReportOptions& options);
void write_html(std::ostream& out, const Record& record, const ReportOptions& options);

/// lcov's test names allow letters, digits and '_' only (genhtml rewrites the rest):
/// "suite/case" becomes "suite_case".
std::string lcov_test_name(const TestContext& test);

/// A path as reports show it: relative to `root` when below it.
std::string display_path(const std::string& path, const std::filesystem::path& root);

}  // namespace attest::coverage
