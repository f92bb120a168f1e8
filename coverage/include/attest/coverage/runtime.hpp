// Per-test counters in the running process. With GCC (--coverage), libgcov's counters are
// streamed in memory by __gcov_info_to_gcda before and after each test; the difference is
// what the test executed. The .gcda files libgcov writes at exit stay whole-run data, so
// gcov, gcovr and lcov read the same run as always. With Clang (-fprofile-instr-generate
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
  /// reason in `why`.
  static std::unique_ptr<Recorder> create(std::string& why);

  void begin_test();
  /// The test that began last ended; its counters are kept as `tests.size()`th context.
  void end_test(TestContext context);
  /// Maps the counters to lines and branches (reads the .gcno files).
  Record finish(const gcov::Filter& filter);

 private:
  Recorder() = default;
  void snapshot(std::vector<std::uint64_t>& values, gcov::Layout* layout);
  /// The arc counters read straight from libgcov's structures (no serialising), when this
  /// GCC's layout of them is known; false when not (then the serialiser is used).
  bool read_directly(std::vector<std::uint64_t>& values) const;

  /// Groups the functions' counter arrays into the runs they form in memory (direct reads).
  void find_runs();

  gcov::Layout layout_;
  // Before a test: in layout order, or in memory order when runs_ are known (direct reads).
  std::vector<std::uint64_t> before_, after_;
  struct Run {
    const std::int64_t* values;
    std::size_t count;
  };
  std::vector<Run> runs_;                    // contiguous counters, ascending in memory
  std::vector<std::uint32_t> layout_index_;  // each counter's index in the layout, memory order
  std::vector<TestContext> tests_;
  std::vector<gcov::Delta> deltas_;
  std::string buffer_;
  bool direct_ = false;  // read_directly() agreed with the serialiser on the first snapshot
  std::optional<llvm::Layout> llvm_;  // Clang's counters, when the binary has them
};

}  // namespace attest::coverage
