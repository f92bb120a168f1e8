// GCC's coverage data, read without gcov: the counters libgcov streams in the .gcda
// format (__gcov_info_to_gcda, in-process, per test) and the flow graphs of the .gcno
// notes files beside the objects. build_record() maps counters to the lines and branches
// gcov would report — the same blocks, arcs and flow solution — for the whole run and
// for every test. Formats of GCC 12 and later (record lengths in bytes).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <attest/coverage/record.hpp>

namespace attest::coverage::gcov {

struct FunctionCounters {
  std::uint32_t ident = 0, lineno_checksum = 0, cfg_checksum = 0;
  std::size_t offset = 0, count = 0;  // the function's arc counters in a snapshot
};

struct ObjectCounters {
  std::string gcda;  // the .gcda path libgcov would write (the .gcno sits beside it)
  std::uint32_t version = 0, stamp = 0;
  std::vector<FunctionCounters> functions;
};

/// Where each counter of the process sits in a snapshot (one flat vector of values).
struct Layout {
  std::vector<ObjectCounters> objects;
  std::size_t size = 0;
};

/// Reads one object's .gcda stream: appends the object to `layout` when given (the first
/// snapshot) and its arc counters' values to `values`. InputError on a malformed stream.
void read_gcda(std::string_view bytes, const std::string& gcda_path, Layout* layout,
               std::vector<std::uint64_t>& values);

/// What a test changed: (counter index, increase), ascending by index.
using Delta = std::vector<std::pair<std::uint32_t, std::uint64_t>>;

/// Code that runs between a test's two snapshots on the recorder's behalf (the snapshots, the
/// comparison, the runner's hooks around them) is not instrumented itself: instrumented, its
/// own counters move while it reads them and every test would be credited with the
/// recorder's lines — when attest measures itself, as its own coverage build does — and the
/// comparison would pay a counter increment per iteration. Only such code carries it.
#if defined(__GNUC__) || defined(__clang__)
#define ATTEST_COVERAGE_UNMEASURED __attribute__((no_profile_instrument_function))
#else
#define ATTEST_COVERAGE_UNMEASURED
#endif

/// Appends to `delta` what grew from `before[at..]` to `now[0..n)` and advances `at` by what it
/// read: a process's counters are compared block by block where they live, without a copy.
/// Counters are signed in libgcov and unsigned in Clang's profile runtime; both only grow.
template <typename Counter>
ATTEST_COVERAGE_UNMEASURED void add_growth(const Counter* now, std::size_t n,
                                           const std::vector<std::uint64_t>& before,
                                           std::size_t& at, Delta& delta) {
  n = std::min(n, before.size() - std::min(at, before.size()));
  const std::uint64_t* old = before.data() + at;
  // A test moves few of a binary's counters: eight at a time are first asked whether any
  // differs (a loop the compiler vectorises), and only then looked at one by one. (No lambda:
  // it would be a function of its own, instrumented.)
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t differs = 0;
    for (std::size_t k = 0; k < 8; ++k)
      differs |= static_cast<std::uint64_t>(now[i + k]) ^ old[i + k];
    if (!differs) continue;
    for (std::size_t k = i; k < i + 8; ++k)
      if (static_cast<std::uint64_t>(now[k]) > old[k])
        delta.emplace_back(static_cast<std::uint32_t>(at + k),
                           static_cast<std::uint64_t>(now[k]) - old[k]);
  }
  for (; i < n; ++i)
    if (static_cast<std::uint64_t>(now[i]) > old[i])
      delta.emplace_back(static_cast<std::uint32_t>(at + i),
                         static_cast<std::uint64_t>(now[i]) - old[i]);
  at += n;
}

/// The counters that grew from `before` to `after` (same layout).
Delta difference(const std::vector<std::uint64_t>& before, const std::vector<std::uint64_t>& after);

struct Filter {
  /// Path prefixes to keep; empty: every file except system headers (/usr/).
  std::vector<std::string> include;
  bool keeps(const std::string& path) const;
  /// Every file `narrower` keeps, this filter keeps too (then notes read with this filter hold
  /// all that a reading with `narrower` would: the notes' cache is shared that way).
  bool covers(const Filter& narrower) const;
};

/// The running binary's counters mapped onto its objects' notes (the .gcno files beside them):
/// which of its functions have lines `filter` keeps, and how their counters become lines and
/// branches. Built once, before the tests when it can be: a test's counters then need to be
/// compared only where `measured()` says (most of a binary's functions are instantiations of
/// system headers' templates, which no report shows). InputError when a .gcno is missing or
/// belongs to another build than the running binary (its stamp differs).
class Mapping {
 public:
  Mapping(const Layout& layout, const Filter& filter);
  Mapping(Mapping&&) noexcept;
  ~Mapping();

  /// Where the counters that can reach a kept line start in the layout: one offset per
  /// function (its counters run on for its count), ascending.
  const std::vector<std::size_t>& measured() const;

  /// The record of a run: `totals` is the last snapshot (whole run), `deltas[i]` what
  /// `tests[i]` executed (counters outside measured() are ignored). Once per mapping.
  Record build(const std::vector<std::uint64_t>& totals, std::vector<TestContext> tests,
               const std::vector<Delta>& deltas);
  /// The same, the last snapshot given function by function: `totals_at(offset)` is where the
  /// counters of the measured() function starting at `offset` are (null: none of them ran).
  Record build(const std::function<const std::uint64_t*(std::size_t offset)>& totals_at,
               std::vector<TestContext> tests, const std::vector<Delta>& deltas);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// What a Mapping reads first, alone: the notes of `layout`'s objects read with `filter` and
/// kept parsed beside each .gcno for the next run (the build's --cov-prepare). InputError as
/// Mapping's for the notes.
void keep_notes_parsed(const Layout& layout, const Filter& filter);

/// Mapping(layout, filter).build(totals, tests, deltas).
Record build_record(const Layout& layout, const std::vector<std::uint64_t>& totals,
                    std::vector<TestContext> tests, const std::vector<Delta>& deltas,
                    const Filter& filter);

}  // namespace attest::coverage::gcov
