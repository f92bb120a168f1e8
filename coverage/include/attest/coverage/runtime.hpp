// Per-test counters in the running process. With GCC (--coverage), libgcov's counters are
// streamed in memory by __gcov_info_to_gcda before and after each test; the difference is
// what the test executed. The .gcda files stay whole-run data, so gcov, gcovr and lcov read
// the same run as always (attest writes them at exit as libgcov would, faster: gcda_dump.hpp).
// With Clang (-fprofile-instr-generate
// -fcoverage-mapping), the profile runtime's counters are copied the same way (llvm.hpp)
// and its .profraw file stays the whole run's, for llvm-profdata and llvm-cov.
//
// Why not __gcov_reset()/__gcov_dump() per test: a dump merges into the .gcda files on disk
// (one file per object per test, and the whole-run data lost to the resets), and it writes
// only once per process unless reset in between. Streaming needs neither.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <attest/coverage/gcov.hpp>
#include <attest/coverage/llvm.hpp>
#include <attest/coverage/record.hpp>

namespace attest::coverage {

class Recorder {
 public:
  /// Empty when this binary carries neither GCC's nor Clang's coverage counters, with the
  /// reason in `why`. `filter` says which sources are measured: with GCC, the notes are read
  /// now, and a test's counters are compared only where they can reach those sources.
  static std::unique_ptr<Recorder> create(const gcov::Filter& filter, std::string& why);

  /// What a build runs once a test binary is linked (`--cov-prepare`): with GCC, this binary's
  /// notes read with `filter` and kept parsed beside each .gcno, as a --cov run keeps them —
  /// the first --cov run after the build then reads them as any later run does (a run with
  /// --cov=DIR reads those made for every source). True with what was done in `summary`;
  /// false with why there was nothing to do (no counters; Clang reads its mapping from the
  /// binary). InputError when the notes cannot be read (as --cov would report them).
  static bool prepare(const gcov::Filter& filter, std::string& summary);
  ~Recorder();

  void begin_test();
  /// The test that began last ended; its counters are kept as `tests.size()`th context.
  void end_test(TestContext context);
  /// Maps the counters to lines and branches (reads the .gcno files, unless create() could).
  /// With GCC 12, the .gcda files are then attest's to write at exit (gcda_dump.hpp).
  Record finish();

 private:
  Recorder() = default;
  void snapshot(std::vector<std::uint64_t>& values, gcov::Layout* layout);
  /// Learns the layout: read in place from libgcov's structures when libgcov's serialiser
  /// agrees with that reading on a few objects (true: read_directly() is used from then on),
  /// else from the serialiser.
  bool learn_layout();
  /// The arc counters read straight from libgcov's structures (no serialising), when this
  /// GCC's layout of them is known; false when not (then the serialiser is used).
  bool read_directly(std::vector<std::uint64_t>& values) const;
  unsigned layout_version() const {
    return layout_.objects.empty() ? 0 : layout_.objects.front().version;
  }

  /// Groups the measured functions' counter arrays (all when `mapping_` is empty) into the
  /// runs they form in memory (direct reads).
  void find_runs();
  /// The counters of runs_, in memory order (the layout's order translated by layout_index_).
  void copy_runs(std::vector<std::uint64_t>& values) const;

  gcov::Filter filter_;
  gcov::Layout layout_;
  std::optional<gcov::Mapping> mapping_;  // the notes, read at create() when they could be
  // Before a test: in layout order, or in memory order when runs_ are known (direct reads).
  std::vector<std::uint64_t> before_, after_;
  struct Run {
    const std::int64_t* values;
    std::size_t count;
  };
  std::vector<Run> runs_;                    // contiguous counters, ascending in memory
  std::vector<std::uint32_t> layout_index_;  // each counter's index in the layout, memory order
  // Each measured function's first counter: (layout offset, index in memory order), ascending.
  std::vector<std::pair<std::size_t, std::size_t>> function_starts_;
  std::vector<TestContext> tests_;
  std::vector<gcov::Delta> deltas_;
  std::string buffer_;
  bool direct_ = false;  // read_directly() agreed with the serialiser on the first snapshot
  std::optional<llvm::Layout> llvm_;  // Clang's counters, when the binary has them
};

}  // namespace attest::coverage
