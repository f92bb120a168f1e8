// An object's notes (its .gcno file) as the mapping uses them: every function's identity, and
// the flow graph of those with a line in a file the filter keeps. Read from the file
// (read_notes), or from the cache a previous run left beside it (notes_cache.hpp).
#pragma once

#include <attest/coverage/gcov.hpp>

#include "gcov_format.hpp"
#include "huge_pages.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace attest::coverage::gcov::internal {

// An arc of a function's flow graph: its blocks, the notes' flags (gcov_format.hpp) and
// gcov's reading of them (below). Three words, as the notes' cache keeps it (read in place).
constexpr std::uint32_t arc_unconditional = 8, arc_call_non_return = 16;
constexpr std::uint32_t arc_known_flags =
    arc_on_tree | arc_fake | arc_fall_through | arc_unconditional | arc_call_non_return;
struct Arc {
  std::uint32_t src = 0, dst = 0, flags = 0;
  bool on_tree() const { return flags & arc_on_tree; }
  bool fake() const { return flags & arc_fake; }
  bool unconditional() const { return flags & arc_unconditional; }
  bool call_non_return() const { return flags & arc_call_non_return; }
};

struct Where {
  std::uint32_t file = 0;  // index into Notes::files
  std::uint32_t line = 0;
};

// `n` elements of trivial type T in `memory`, not initialised (the caller writes them all).
template <typename T>
std::span<T> allocate_array(std::pmr::memory_resource* memory, std::size_t n) {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  if (n == 0) return {};
  return {static_cast<T*>(memory->allocate(n * sizeof(T), alignof(T))), n};
}

// Per-block lists stored flat: block b's entries are items[begin[b], begin[b + 1]). A large
// binary's notes hold hundreds of thousands of blocks; three vectors each made their
// allocations (and the page faults of a growing heap) the larger part of reading them. Views:
// of the notes' arena when parsed, of the cache's bytes when read from one (not copied).
template <typename T>
struct PerBlock {
  std::span<const T> items;
  std::span<const std::uint32_t> begin;  // block count + 1 entries

  std::span<const T> operator[](std::size_t b) const {
    return items.subspan(begin[b], begin[b + 1] - begin[b]);
  }
  // From (block, item) pairs in reading order: a counting sort, stable within a block.
  template <typename Pairs>
  void assign(std::size_t blocks, const Pairs& pairs, std::pmr::memory_resource* memory) {
    auto starts = allocate_array<std::uint32_t>(memory, blocks + 1);
    std::fill(starts.begin(), starts.end(), 0u);
    for (const auto& [b, item] : pairs) ++starts[b + 1];
    for (std::size_t b = 0; b < blocks; ++b) starts[b + 1] += starts[b];
    auto list = allocate_array<T>(memory, pairs.size());
    std::vector<std::uint32_t>& at = scratch();
    at.assign(starts.begin(), starts.end() - 1);
    for (const auto& [b, item] : pairs) list[at[b]++] = item;
    items = list;
    begin = starts;
  }

 private:
  static std::vector<std::uint32_t>& scratch() {
    static thread_local std::vector<std::uint32_t> at;
    return at;
  }
};

// A function of the notes whose graph was read: one with a line in a file the filter keeps.
// Views into the notes' arena or the cache's bytes (see Notes).
struct Function {
  std::string_view name;
  bool artificial = false;
  std::uint32_t file = 0, first_line = 0, last_line = 0;  // where it is written
  std::uint32_t blocks = 0;
  PerBlock<Where> lines;
  PerBlock<std::uint32_t> succ, pred;  // arc indices
  std::span<const Arc> arcs;
  std::span<const std::uint32_t> counted;   // arcs off the spanning tree, in counter order
  std::span<const std::uint32_t> branches;  // arcs gcov reports as branches, in gcov's order
};

// Every function of the notes, read or not: what a running binary's function is checked
// against. Most of a large object's functions are skipped (instantiations of system headers'
// templates): 16 bytes each here, where a Function is ~300 and its page faults cost more than
// reading the file (tens of thousands of functions per binary).
struct Identity {
  static constexpr std::uint32_t skipped = UINT32_MAX;
  std::uint32_t ident = 0, lineno_checksum = 0, cfg_checksum = 0;
  std::uint32_t graph = skipped;  // index into Notes::graphs
};

// One object's notes. What grows with the notes' size (every function's identity, the graphs
// read) lives in an arena the caller owns: built once, dropped together, in huge pages.
struct Notes {
  explicit Notes(std::pmr::memory_resource* memory) : functions(memory), graphs(memory) {}
  /// The cache's bytes the graphs point into, when read from one (notes_cache.hpp).
  std::shared_ptr<const void> bytes;
  std::uint32_t version = 0, stamp = 0;
  std::vector<std::string> files;
  std::vector<bool> kept;                // per file: the filter keeps it
  std::pmr::vector<Identity> functions;  // in the notes' order
  std::pmr::deque<Function> graphs;

  /// The function `ident`, looked for from `next` on first: the running object lists its
  /// functions in the notes' order (less the COMDAT copies another object owns), so it is there
  /// or a few after; else anywhere (an index by ident, made when first needed). `next` moves
  /// past what is found. (A binary search per function of the binary was a third of mapping.)
  const Identity* find(std::uint32_t ident, std::size_t& next) const {
    for (std::size_t i = next, end = std::min(functions.size(), next + 16); i < end; ++i)
      if (functions[i].ident == ident) {
        next = i + 1;
        return &functions[i];
      }
    if (by_ident.size() != functions.size()) {
      by_ident.resize(functions.size());
      for (std::uint32_t i = 0; i < by_ident.size(); ++i) by_ident[i] = i;
      std::stable_sort(by_ident.begin(), by_ident.end(), [&](std::uint32_t x, std::uint32_t y) {
        return functions[x].ident < functions[y].ident;
      });
    }
    auto it = std::lower_bound(
        by_ident.begin(), by_ident.end(), ident,
        [&](std::uint32_t i, std::uint32_t id) { return functions[i].ident < id; });
    if (it == by_ident.end() || functions[*it].ident != ident) return nullptr;
    next = *it + 1;
    return &functions[*it];
  }

 private:
  mutable std::vector<std::uint32_t> by_ident;  // functions' indices ascending by ident
};

// Room for reading files, reused from file to file: a large binary's notes are tens of MB, and
// a fresh buffer — or a mapping — per file costs a page fault per page, more than the copy. Not
// zeroed: read(2) fills what is used. In huge pages (see huge_pages.hpp).
class Buffer {
 public:
  // `planned`: the room to take the first time any is needed (the largest file to come), so
  // that it is not grown file after file — and not taken at all when no file is read into it.
  explicit Buffer(std::size_t planned = 0) : planned_(planned) {}
  char* data() const { return pages_.data(); }
  std::size_t size() const { return pages_.size(); }
  // Its pages, the buffer left empty.
  detail::HugePages release() { return std::move(pages_); }
  // Room for n bytes; what the buffer held is lost when it grows.
  void reserve(std::size_t n) {
    if (n > pages_.size()) {
      pages_ = {};  // (the old pages first: the new ones may take their place)
      pages_ = detail::HugePages(std::max(n, planned_));
    }
  }

 private:
  detail::HugePages pages_;
  std::size_t planned_ = 0;
};

/// The rest of a graph from its blocks, lines and `arcs` (ends and the notes' flags; `f.arcs`
/// is made to view them): the counted arcs, each block's arcs out and in, and gcov's reading of
/// them (which arcs are unconditional, which calls may not return, the branches in gcov's
/// order), in `memory`. Arcs must name blocks below `blocks`.
void complete_graph(Function& f, std::span<Arc> arcs, std::pmr::memory_resource* memory);

/// A file's bytes, read into `buffer`. InputError when it cannot be read.
std::string_view read_into(const std::string& path, Buffer& buffer);
/// The same, nullopt when it cannot be read (no such file, no permission, an I/O error).
std::optional<std::string_view> try_read_into(const std::string& path, Buffer& buffer);

/// Reads one object's notes. Only the functions with a line in a file `filter` keeps are read
/// whole: the others (most of an object's, usually: the instantiations of system headers'
/// templates) keep their identity and are skipped, their arcs never parsed.
Notes read_notes(const std::string& path, const Filter& filter, Buffer& buffer,
                 std::pmr::memory_resource* memory);

}  // namespace attest::coverage::gcov::internal
