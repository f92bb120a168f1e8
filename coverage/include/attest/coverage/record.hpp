// A coverage record: which lines and branches of which files a run executed, and
// which of its tests executed each one. Plain values, no I/O, no Boost.Test: the
// runner fills one per process, attest-cov and trace-check read and merge many
// (binaries, CTest cases, shards) into one picture.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <memory_resource>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <attest/input_error.hpp>

namespace attest::coverage {

/// A test that ran under measurement: the binary, the test id, the requirements it verifies.
struct TestContext {
  std::string binary;
  std::string id;
  std::vector<std::string> requirements;
  bool operator==(const TestContext&) const = default;
};

/// Indices into Record::tests, ascending, without duplicates.
using TestSet = std::vector<std::uint32_t>;

struct LineCoverage {
  std::uint64_t hits = 0;  // whole-run executions (inside tests or not)
  TestSet tests;           // the tests that executed it
  bool operator==(const LineCoverage&) const = default;
};

struct BranchCoverage {
  std::uint64_t taken = 0;
  TestSet tests;
  bool operator==(const BranchCoverage&) const = default;
};

/// (line, index of the branch among the line's branches), as gcov numbers them.
using BranchKey = std::pair<std::uint32_t, std::uint32_t>;

/// A function's first and last line in its file (from the compiler's notes).
using LineSpan = std::pair<std::uint32_t, std::uint32_t>;

// A file's lines and branches are kept where the file was made with (operator new unless said
// otherwise; a copy always uses operator new): a run's record is built in memory taken in huge
// pages (the Recorder's), which spared thousands of page faults of its tree nodes.
struct FileCoverage {
  FileCoverage() = default;
  /// Its lines and branches kept in `memory` (whoever passes it keeps it alive: Record::memory).
  explicit FileCoverage(std::pmr::memory_resource* memory) : lines(memory), branches(memory) {}

  std::pmr::map<std::uint32_t, LineCoverage> lines;  // every instrumented line, executed or not
  std::pmr::map<BranchKey, BranchCoverage> branches;
  std::set<LineSpan> functions;  // where the file's functions are: a change inside one
                                 // concerns every test that executed any of it
  bool operator==(const FileCoverage&) const = default;
};

struct Record {
  std::vector<TestContext> tests;
  /// The memory the files' lines and branches are kept in when not operator new's, held as long
  /// as the record (declared before them: gone after them; not part of the record's value).
  std::shared_ptr<std::pmr::memory_resource> memory;
  std::map<std::string, FileCoverage> files;  // by absolute source path
  bool operator==(const Record& other) const {
    return tests == other.tests && files == other.files;
  }
};

struct Totals {
  std::size_t lines = 0, lines_hit = 0, branches = 0, branches_taken = 0;
  /// 100 when there is nothing to measure.
  double line_percent() const;
  double branch_percent() const;
  Totals& operator+=(const Totals& other);
};

Totals totals(const FileCoverage& file);
Totals totals(const Record& record);

/// Adds `from` to `into`: tests are one test when binary and id agree (a test run in two
/// shards or twice), counts add up, test sets unite. Files keep their paths.
void merge(Record& into, const Record& from);

/// `t` into the ascending set (no-op when present).
void add_test(TestSet& set, std::uint32_t t);

/// The record's version key and number in its JSON form.
inline constexpr const char* record_version_key = "attest_coverage";
inline constexpr int record_version = 1;

/// The JSON form: {"attest_coverage": 1, "tests": [{"binary", "id", "requirements"}],
/// "files": {"path": {"lines": [[line, hits, [tests]]...], "branches": [[line, index,
/// taken, [tests]]...], "functions": [[first, last]...]}}} ("functions" optional). Compact arrays: a record of 10,000 tests stays small.
std::string to_json(const Record& record);
/// The same text written to `out` a chunk at a time (no copy of a document of megabytes).
void write_json(std::ostream& out, const Record& record);
/// Throws attest::InputError naming `origin` (and the JSON path) on bad input.
Record from_json(std::string_view text, const std::string& origin);

/// "a.cpp:3-5,9": a file's lines that no one executed, as ranges.
std::string missing_ranges(const FileCoverage& file);

}  // namespace attest::coverage
