// --affected-since: the tests a change affects, from a unified diff (git diff -U0 REF) and
// a coverage record. A test is affected when its recorded coverage reaches a changed line,
// when its own definition changed, or when the record does not know it (a new test, or one
// never measured). When the record cannot answer for a change — a changed C/C++ file it
// has no lines of, or lines beyond what it knew of a file — every test is affected: more,
// never fewer, and the reasons say why.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <attest/coverage/record.hpp>

namespace attest::coverage {

/// Per file (absolute path): the lines of the old version (the record's) that changed or
/// were deleted; every changed file has an entry.
struct Change {
  std::map<std::string, std::set<std::uint32_t>> files;
  /// Where lines were only inserted: after line N of the old version (0: at the top). A test
  /// definition owns an insertion only when the line after it is its own (appended at the
  /// end of a file, after the last test, it is no test's).
  std::map<std::string, std::set<std::uint32_t>> insertions;
  std::size_t inserted = 0;  // lines inserted, over all files
  /// Hunks too large to be a source file's (a corrupt diff): every test is affected.
  std::vector<std::string> unreadable;
  /// Lines changed, deleted or inserted.
  std::size_t lines() const;
};

/// Reads `git diff -U0` output; paths are joined to `repository_root`. A file added by the
/// diff counts with no lines (nothing of it was recorded).
Change parse_unified_diff(std::string_view diff, const std::string& repository_root);

/// A test as the runner knows it: where it is defined (absolute path, line).
struct TestDefinition {
  std::string binary, id, file;
  std::uint32_t line = 0;
};

struct Affected {
  std::vector<bool> selected;        // parallel to the tests given
  bool all = false;                  // the record could not answer: every test runs
  std::vector<std::string> reasons;  // why `all`, and the notes worth a line
  std::size_t by_coverage = 0, by_definition = 0, without_record = 0;
};

/// `lines_at_ref(path)`: how many lines a changed file had at REF (0: unknown), to tell a
/// record out of step with the sources (it knows lines the file did not have).
Affected affected_tests(const Record& record, const std::vector<TestDefinition>& tests,
                        const Change& change,
                        const std::function<std::uint32_t(const std::string&)>& lines_at_ref);

}  // namespace attest::coverage
