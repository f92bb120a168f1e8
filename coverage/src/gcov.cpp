#include <attest/coverage/gcov.hpp>

#include <attest/detail/json_input.hpp>
#include <attest/input_error.hpp>

#include "huge_pages.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <memory_resource>
#include <span>
#include <stdexcept>
#include <unordered_map>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attest::coverage::gcov {
namespace {

constexpr std::uint32_t gcno_magic = 0x67636e6f;  // "gcno"
constexpr std::uint32_t gcda_magic = 0x67636461;  // "gcda"
constexpr std::uint32_t tag_function = 0x01000000;
constexpr std::uint32_t tag_blocks = 0x01410000;
constexpr std::uint32_t tag_arcs = 0x01430000;
constexpr std::uint32_t tag_lines = 0x01450000;
constexpr std::uint32_t tag_arc_counters = 0x01a10000;
constexpr std::uint32_t arc_on_tree = 1, arc_fake = 2, arc_fall_through = 4;

// The gcov formats: little-endian 32-bit words, 64-bit counters as two words (low first),
// strings as a byte length (with the NUL) and the bytes, records as tag, byte length, body.
class Reader {
 public:
  Reader(std::string_view data, const std::string& origin) : data_(data), origin_(origin) {}
  bool done() const { return pos_ >= data_.size(); }
  std::size_t pos() const { return pos_; }
  void seek(std::size_t pos) {
    if (pos > data_.size()) fail("truncated coverage data (a record runs past the end)");
    pos_ = pos;
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v;
    std::memcpy(&v, data_.data() + pos_, 4);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t lo = u32();
    std::uint64_t hi = u32();
    return lo | (hi << 32);
  }
  std::string_view str() {
    std::uint32_t length = u32();
    need(length);
    std::string_view s(data_.data() + pos_, length ? length - 1 : 0);
    pos_ += length;
    return s;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError({origin_}, what + " at byte " + std::to_string(pos_));
  }

 private:
  void need(std::size_t n) const {
    if (pos_ + n > data_.size()) fail("truncated coverage data");
  }
  std::string_view data_;
  const std::string& origin_;
  std::size_t pos_ = 0;
};

struct Arc {
  std::uint32_t src = 0, dst = 0;
  bool on_tree = false, fake = false, fall_through = false;
  bool unconditional = false, call_non_return = false;
};

struct Where {
  std::uint32_t file = 0;  // index into Notes::files
  std::uint32_t line = 0;
};

// Per-block lists stored flat: block b's entries are items[begin[b], begin[b + 1]). A large
// binary's notes hold hundreds of thousands of blocks; three vectors each made their
// allocations (and the page faults of a growing heap) the larger part of reading them.
template <typename T>
struct PerBlock {
  explicit PerBlock(std::pmr::memory_resource* memory) : items(memory), begin(memory) {}
  std::pmr::vector<T> items;
  std::pmr::vector<std::uint32_t> begin;  // block count + 1 entries

  std::span<const T> operator[](std::size_t b) const {
    return {items.data() + begin[b], items.data() + begin[b + 1]};
  }
  // From (block, item) pairs in reading order: a counting sort, stable within a block.
  template <typename Pairs>
  void assign(std::size_t blocks, const Pairs& pairs) {
    begin.assign(blocks + 1, 0);
    for (const auto& [b, item] : pairs) ++begin[b + 1];
    for (std::size_t b = 0; b < blocks; ++b) begin[b + 1] += begin[b];
    items.resize(pairs.size());
    std::vector<std::uint32_t>& at = scratch();
    at.assign(begin.begin(), begin.end() - 1);
    for (const auto& [b, item] : pairs) items[at[b]++] = item;
  }

 private:
  static std::vector<std::uint32_t>& scratch() {
    static thread_local std::vector<std::uint32_t> at;
    return at;
  }
};

// A function of the notes whose graph was read: one with a line in a file the filter keeps.
// Its storage is the notes' arena (see Notes).
struct Function {
  explicit Function(std::pmr::memory_resource* memory)
      : name(memory),
        lines(memory),
        succ(memory),
        pred(memory),
        arcs(memory),
        counted(memory),
        branches(memory) {}
  std::pmr::string name;
  bool artificial = false;
  std::uint32_t file = 0, first_line = 0, last_line = 0;  // where it is written
  std::uint32_t blocks = 0;
  PerBlock<Where> lines;
  PerBlock<std::uint32_t> succ, pred;  // arc indices
  std::pmr::vector<Arc> arcs;
  std::pmr::vector<std::uint32_t> counted;   // arcs off the spanning tree, in counter order
  std::pmr::vector<std::uint32_t> branches;  // arcs gcov reports as branches, in gcov's order
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
  std::uint32_t version = 0, stamp = 0;
  std::vector<std::string> files;
  std::pmr::vector<Identity> functions;  // ascending by ident once read (a lookup by ident)
  std::pmr::deque<Function> graphs;

  const Identity* find(std::uint32_t ident) const {
    auto it = std::lower_bound(functions.begin(), functions.end(), ident,
                               [](const Identity& f, std::uint32_t id) { return f.ident < id; });
    return it != functions.end() && it->ident == ident ? &*it : nullptr;
  }
};

// gcov's reading of the graph (gcov.cc read_graph_file, solve_flow_graph): which arcs
// are unconditional, which are calls that may not return, and the branch order.
void classify(Function& f) {
  for (std::uint32_t a = 0; a < f.arcs.size(); ++a) {
    auto& arc = f.arcs[a];
    if (arc.fake && arc.src != 0) arc.call_non_return = true;
  }
  for (std::uint32_t b = 0; b < f.blocks; ++b) {
    std::size_t non_fake = 0;
    for (auto a : f.succ[b]) non_fake += !f.arcs[a].fake;
    if (non_fake == 1)
      for (auto a : f.succ[b])
        if (!f.arcs[a].fake) f.arcs[a].unconditional = true;
  }
  std::vector<std::uint32_t> succ;
  for (std::uint32_t b = 0; b < f.blocks; ++b) {
    if (f.lines[b].empty()) continue;
    succ.assign(f.succ[b].begin(), f.succ[b].end());  // gcov sorts successors by destination
    std::stable_sort(succ.begin(), succ.end(),
                     [&](auto x, auto y) { return f.arcs[x].dst < f.arcs[y].dst; });
    for (auto a : succ)
      if (!f.arcs[a].unconditional && !f.arcs[a].call_non_return) f.branches.push_back(a);
  }
}

// Room for reading files, reused from file to file: a large binary's notes are tens of MB, and
// a fresh buffer — or a mapping — per file costs a page fault per page, more than the copy. Not
// zeroed: read(2) fills what is used. In huge pages (see huge_pages.hpp).
class Buffer {
 public:
  char* data() const { return pages_.data(); }
  std::size_t size() const { return pages_.size(); }
  // Room for n bytes; what the buffer held is lost when it grows.
  void reserve(std::size_t n) {
    if (n > pages_.size()) {
      pages_ = {};  // (the old pages first: the new ones may take their place)
      pages_ = detail::HugePages(n);
    }
  }

 private:
  detail::HugePages pages_;
};

// A file's bytes, read into `buffer`. InputError when it cannot be read.
std::string_view read_into(const std::string& path, Buffer& buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError({path}, "cannot read");
  struct stat st {};
  // Room for the file and one byte more, so that its end is seen without growing the buffer.
  if (::fstat(fd, &st) == 0) buffer.reserve(static_cast<std::size_t>(st.st_size) + 1);
  std::size_t used = 0;
  for (;;) {
    if (used == buffer.size()) {  // the file grew since fstat: read it again, with more room
      buffer.reserve(std::max<std::size_t>(2 * used, 1 << 16));
      if (::lseek(fd, 0, SEEK_SET) != 0) {
        ::close(fd);
        throw InputError({path}, "cannot read");
      }
      used = 0;
    }
    auto n = ::read(fd, buffer.data() + used, buffer.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      if (n < 0) throw InputError({path}, "cannot read");
      return std::string_view(buffer.data(), used);
    }
    used += static_cast<std::size_t>(n);
  }
}

// Reads one object's notes. Only the functions with a line in a file `filter` keeps are read
// whole: the others (most of an object's, usually: the instantiations of system headers' templates)
// keep their identity and are skipped, their arcs never parsed.
Notes read_notes(const std::string& path, const Filter& filter, Buffer& buffer,
                 std::pmr::memory_resource* memory) {
  std::string_view bytes = read_into(path, buffer);
  Reader in(bytes, path);
  if (in.u32() != gcno_magic) in.fail("not a .gcno file");
  Notes notes(memory);
  notes.version = in.u32();
  notes.stamp = in.u32();
  in.u32();  // checksum
  std::filesystem::path cwd = in.str();
  in.u32();  // has unexecuted blocks
  // The functions are counted first (a walk over the records' headers): a Function moved
  // when the vector grows is a dozen vectors moved, for thousands of functions per object.
  {
    std::size_t count = 0;
    for (std::size_t at = in.pos(); at + 8 <= bytes.size();) {
      std::uint32_t tag, length;
      std::memcpy(&tag, bytes.data() + at, 4);
      std::memcpy(&length, bytes.data() + at + 4, 4);
      count += tag == tag_function;
      at += 8 + std::size_t{length};
    }
    notes.functions.reserve(count);
  }
  std::unordered_map<std::string, std::uint32_t> file_index;
  std::vector<bool> kept;  // per file of notes.files
  // Every block's line record names its file again: the name as written is looked up first,
  // so that paths are built and normalised once per file, not once per block.
  std::unordered_map<std::string_view, std::uint32_t> by_written_name;  // views into `bytes`
  auto lookup = [&](std::string_view name) {
    if (auto known = by_written_name.find(name); known != by_written_name.end())
      return known->second;
    std::filesystem::path p(name);
    if (p.is_relative()) p = cwd / p;
    auto key = p.lexically_normal().string();
    auto [it, inserted] = file_index.emplace(key, static_cast<std::uint32_t>(notes.files.size()));
    if (inserted) {
      notes.files.push_back(key);
      kept.push_back(filter.keeps(key));
    }
    by_written_name.emplace(name, it->second);
    return it->second;
  };
  std::string_view last_name;  // block after block names the same file: asked of the map once
  std::uint32_t last_file = 0;
  auto file_of = [&](std::string_view name) {
    if (!last_name.empty() && name == last_name) return last_file;
    last_name = name;
    last_file = lookup(name);
    return last_file;
  };

  bool in_function = false;  // a function record was read: the records after it are its
  struct {
    std::string_view name;
    bool artificial = false;
    std::uint32_t file = 0, first_line = 0, last_line = 0;
  } head;               // its header, copied into the function only when it is kept
  bool f_kept = false;  // a line of it (or the function itself) is in a kept file
  std::uint32_t f_blocks = 0;
  std::vector<std::pair<std::size_t, std::size_t>> arc_records;         // read once it is kept
  std::vector<std::pair<std::uint32_t, Where>> f_lines;                 // (block, line)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> f_succ, f_pred;  // (block, arc)
  auto finish_function = [&] {
    if (!in_function) return;
    in_function = false;
    if (f_kept) {
      notes.functions.back().graph = static_cast<std::uint32_t>(notes.graphs.size());
      Function& f = notes.graphs.emplace_back(memory);
      f.name = head.name;
      f.artificial = head.artificial;
      f.file = head.file;
      f.first_line = head.first_line;
      f.last_line = head.last_line;
      f.blocks = f_blocks;
      // (sized once: grown arc by arc, the vectors' reallocations were a tenth of reading)
      std::size_t arc_count = 0;
      for (auto [from, end] : arc_records) arc_count += end - from >= 4 ? (end - from - 4) / 8 : 0;
      f.arcs.reserve(arc_count);
      f.counted.reserve(arc_count);
      f_succ.clear();
      f_pred.clear();
      std::size_t resume = in.pos();
      for (auto [from, end] : arc_records) {
        in.seek(from);
        std::uint32_t src = in.u32();
        while (in.pos() + 8 <= end) {
          Arc arc;
          arc.src = src;
          arc.dst = in.u32();
          std::uint32_t flags = in.u32();
          arc.on_tree = flags & arc_on_tree;
          arc.fake = flags & arc_fake;
          arc.fall_through = flags & arc_fall_through;
          if (src >= f_blocks || arc.dst >= f_blocks) in.fail("arc out of range");
          auto index = static_cast<std::uint32_t>(f.arcs.size());
          if (!arc.on_tree) f.counted.push_back(index);
          f_succ.emplace_back(src, index);
          f_pred.emplace_back(arc.dst, index);
          f.arcs.push_back(arc);
        }
      }
      in.seek(resume);
      f.lines.assign(f_blocks, f_lines);
      f.succ.assign(f_blocks, f_succ);
      f.pred.assign(f_blocks, f_pred);
      classify(f);
    }
    arc_records.clear();
    f_lines.clear();
  };
  while (!in.done()) {
    std::uint32_t tag = in.u32();
    std::uint32_t length = in.u32();
    std::size_t end = in.pos() + length;
    if (end > bytes.size()) in.fail("truncated coverage data (a record runs past the end)");
    if (tag == tag_function) {
      finish_function();
      in_function = true;
      head = {};
      auto& id = notes.functions.emplace_back();
      id.ident = in.u32();
      id.lineno_checksum = in.u32();
      id.cfg_checksum = in.u32();
      head.name = in.str();
      head.artificial = in.u32() != 0;
      f_kept = false;
      f_blocks = 0;
      // GCC 8 and later: the source file, first line and column, last line and column.
      if (in.pos() < end) {
        head.file = file_of(in.str());
        head.first_line = in.u32();
        in.u32();  // column
        head.last_line = in.u32();
        f_kept = kept[head.file];
      }
    } else if (in_function && tag == tag_blocks) {
      // (one per function: lines already read name blocks of the first count)
      if (f_blocks) in.fail("a second blocks record for one function");
      f_blocks = in.u32();
      // Every block but the exit has an arc out of it (8 bytes in an arcs record), so a count
      // the file cannot describe is corruption, refused before memory is asked for it.
      if (f_blocks > bytes.size() / 8 + 2)
        in.fail("block count " + std::to_string(f_blocks) + " larger than the file can describe");
    } else if (in_function && tag == tag_arcs) {
      arc_records.emplace_back(in.pos(), end);
    } else if (in_function && tag == tag_lines) {
      std::uint32_t block = in.u32();
      if (block >= f_blocks) in.fail("line record for a block out of range");
      std::uint32_t file = 0;
      bool have_file = false;
      while (in.pos() < end) {
        std::uint32_t line = in.u32();
        if (line == 0) {
          auto name = in.str();
          if (name.empty()) break;
          file = file_of(name);
          have_file = true;
          if (!f_kept && kept[file]) f_kept = true;
        } else if (have_file && f_kept) {  // (lines before any kept one would be dropped)
          f_lines.push_back({block, {file, line}});
        }
      }
    }
    in.seek(end);  // records and fields of later versions are skipped
  }
  finish_function();
  // (stable: of two functions with one ident, the first is found, as before)
  std::stable_sort(notes.functions.begin(), notes.functions.end(),
                   [](const Identity& x, const Identity& y) { return x.ident < y.ident; });
  return notes;
}

// Counts of every arc and block from the counted arcs, by flow conservation: a block's count
// is the sum of its arcs in, and of its arcs out; where all but one arc of a known block are
// known, the last is the difference. The spanning tree GCC left uncounted makes the solution
// unique, so the order of the deductions does not matter: a worklist of the blocks that
// changed (gcov's solve_flow_graph), not sweeps over the whole graph until nothing changes —
// solving was two thirds of building a record.
void solve(const Function& f, const std::uint64_t* counters, std::vector<std::int64_t>& arc,
           std::vector<std::int64_t>& block) {
  // (solved once per function per test: scratch kept from call to call, not allocated)
  struct Scratch {
    std::vector<char> arc_known, block_known;
    std::vector<std::uint32_t> unknown_out, unknown_in, work;
    std::vector<std::int64_t> sum_out, sum_in;
  };
  static thread_local Scratch s;
  const std::size_t arcs = f.arcs.size(), blocks = f.blocks;
  arc.assign(arcs, 0);
  block.assign(blocks, 0);
  s.arc_known.assign(arcs, 0);
  s.block_known.assign(blocks, 0);
  s.sum_out.assign(blocks, 0);
  s.sum_in.assign(blocks, 0);
  s.unknown_out.resize(blocks);
  s.unknown_in.resize(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    s.unknown_out[b] = static_cast<std::uint32_t>(f.succ[b].size());
    s.unknown_in[b] = static_cast<std::uint32_t>(f.pred[b].size());
  }
  auto learn = [&](std::uint32_t a, std::int64_t value) {
    arc[a] = value;
    s.arc_known[a] = 1;
    const auto& e = f.arcs[a];
    --s.unknown_out[e.src];
    s.sum_out[e.src] += value;
    --s.unknown_in[e.dst];
    s.sum_in[e.dst] += value;
    s.work.push_back(e.src);
    s.work.push_back(e.dst);
  };
  s.work.clear();
  for (std::size_t i = 0; i < f.counted.size(); ++i)
    learn(f.counted[i], static_cast<std::int64_t>(counters[i]));
  for (std::uint32_t b = 0; b < blocks; ++b) s.work.push_back(b);
  while (!s.work.empty()) {
    std::uint32_t b = s.work.back();
    s.work.pop_back();
    if (!s.block_known[b]) {
      if (!f.succ[b].empty() && s.unknown_out[b] == 0) {
        block[b] = s.sum_out[b];
      } else if (!f.pred[b].empty() && s.unknown_in[b] == 0) {
        block[b] = s.sum_in[b];
      } else {
        continue;
      }
      s.block_known[b] = 1;
    }
    if (s.unknown_out[b] == 1)
      for (auto a : f.succ[b])
        if (!s.arc_known[a]) {
          learn(a, block[b] - s.sum_out[b]);
          break;
        }
    if (s.unknown_in[b] == 1)
      for (auto a : f.pred[b])
        if (!s.arc_known[a]) {
          learn(a, block[b] - s.sum_in[b]);
          break;
        }
  }
}

// Reads every object's notes (the keys of `notes`), one buffer for all. On one thread: two
// (mapped files, malloc's per-thread arenas) made the end of a run of attest's unit suite
// slower, 0.16 s against 0.11 s.
void read_all_notes(std::map<std::string, std::unique_ptr<Notes>>& notes, const Filter& filter,
                    std::pmr::memory_resource* memory) {
  Buffer buffer;
  std::size_t largest = 0;
  for (auto& [path, slot] : notes) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec)
      throw InputError({path},
                       "no such file: the notes of an object the binary measures "
                       "(was the build directory moved or cleaned?)");
    largest = std::max<std::size_t>(largest, size);
  }
  buffer.reserve(largest + 1);  // (once, rather than growing file after file)
  for (auto& [path, slot] : notes) {
    slot = std::make_unique<Notes>(read_notes(path, filter, buffer, memory));
  }
}

// A function of an object, resolved against its notes, with the record entries its blocks
// and branches feed.
struct Resolved {
  explicit Resolved(std::pmr::memory_resource* memory) : lines(memory), branches(memory) {}
  const Function* function = nullptr;
  std::size_t offset = 0;
  std::pmr::vector<LineCoverage*> lines;  // per entry of function->lines (null: a file not kept)
  std::pmr::vector<BranchCoverage*> branches;  // per Function::branches entry
};

}  // namespace

void read_gcda(std::string_view bytes, const std::string& gcda_path, Layout* layout,
               std::vector<std::uint64_t>& values) {
  Reader in(bytes, gcda_path);
  if (in.u32() != gcda_magic) in.fail("not .gcda data");
  ObjectCounters object;
  if (layout) object.gcda = gcda_path;
  // Offsets continue the layout's: `values` may hold this object's counters alone.
  const std::size_t start = values.size();
  const std::size_t base = layout ? layout->size : 0;
  object.version = in.u32();
  object.stamp = in.u32();
  in.u32();  // checksum
  FunctionCounters* current = nullptr;
  while (!in.done()) {
    std::uint32_t tag = in.u32();
    if (tag == 0) break;  // the stream's end mark
    auto length = static_cast<std::int32_t>(in.u32());
    std::size_t body = in.pos();
    if (tag == tag_function) {
      current = nullptr;
      // The layout is read once; later snapshots want the counters only.
      if (layout && length >= 12) {
        object.functions.push_back({in.u32(), in.u32(), in.u32(), base + values.size() - start, 0});
        current = &object.functions.back();
      }
    } else if (tag == tag_arc_counters) {
      // A negative length: that many counters, all zero, not streamed.
      std::size_t n = static_cast<std::size_t>(length < 0 ? -std::int64_t{length} : length) / 8;
      // A test's delta indexes the process's counters with 32 bits; and no function has
      // millions of arcs: a count beyond is a corrupt stream, refused before it is allocated.
      if (n > (std::size_t{1} << 24) || base + values.size() - start + n > UINT32_MAX)
        in.fail("arc counter record of " + std::to_string(n) +
                " counters (more than a function has)");
      if (current) current->count = n;
      if (length < 0) {
        values.insert(values.end(), n, 0);
        continue;
      }
      for (std::size_t i = 0; i < n; ++i) values.push_back(in.u64());
    }
    in.seek(body + static_cast<std::size_t>(length < 0 ? 0 : length));
  }
  if (layout) {
    layout->objects.push_back(std::move(object));
    layout->size = base + values.size() - start;
  }
}

Delta difference(const std::vector<std::uint64_t>& before,
                 const std::vector<std::uint64_t>& after) {
  Delta d;
  std::size_t at = 0;
  add_growth(after.data(), after.size(), before, at, d);
  return d;
}

bool Filter::keeps(const std::string& path) const {
  if (include.empty()) return path.rfind("/usr/", 0) != 0;
  for (const auto& prefix : include) {
    if (path.rfind(prefix, 0) != 0) continue;
    if (path.size() == prefix.size() || prefix.back() == '/' || path[prefix.size()] == '/')
      return true;
  }
  return false;
}

struct Mapping::State {
  detail::Arena arena;  // the notes' graphs and what points into them: first made, last gone
  std::map<std::string, std::unique_ptr<Notes>> notes_by_path;
  Record record;  // every kept file's lines, branches and functions, at 0
  std::pmr::vector<Resolved> functions{arena.resource()};  // ascending by offset, into `record`
  std::vector<std::size_t> measured;
  bool built = false;
};

Mapping::Mapping(Mapping&&) noexcept = default;
Mapping::~Mapping() = default;

const std::vector<std::size_t>& Mapping::measured() const { return state_->measured; }

Mapping::Mapping(const Layout& layout, const Filter& filter) : state_(std::make_unique<State>()) {
  auto& notes_by_path = state_->notes_by_path;
  auto& record = state_->record;
  auto& functions = state_->functions;
  for (const auto& object : layout.objects)
    notes_by_path.try_emplace(
        std::filesystem::path(object.gcda).replace_extension(".gcno").string());
  read_all_notes(notes_by_path, filter, state_->arena.resource());
  // A line is named by the blocks of every function that has code on it, in every object that
  // compiled it (a header's inline functions): tens of thousands of names for a few thousand
  // lines. Each is looked up in the record's map once, then by its number in these tables.
  auto* memory = state_->arena.resource();
  struct Dense {
    Dense(FileCoverage* f, std::pmr::memory_resource* m) : file(f), lines(m), branches(m) {}
    FileCoverage* file;
    std::pmr::vector<LineCoverage*> lines;                         // by line
    std::pmr::vector<std::pmr::vector<BranchCoverage*>> branches;  // by line, then number
  };
  // (a line number no source file has is not given a table entry: looked up in the map)
  constexpr std::uint32_t dense_lines = 1u << 20;
  std::unordered_map<FileCoverage*, Dense> dense;
  auto line_of = [&](Dense& d, std::uint32_t line) {
    if (line >= dense_lines) return &d.file->lines[line];
    if (line >= d.lines.size()) d.lines.resize(std::max<std::size_t>(line + 1, 2 * d.lines.size()));
    auto*& slot = d.lines[line];
    if (!slot) slot = &d.file->lines[line];
    return slot;
  };
  auto branch_of = [&](Dense& d, std::uint32_t line, std::uint32_t number) {
    if (line >= dense_lines) return &d.file->branches[{line, number}];
    if (line >= d.branches.size())
      d.branches.resize(std::max<std::size_t>(line + 1, 2 * d.branches.size()));
    auto& numbers = d.branches[line];
    if (number >= numbers.size()) numbers.resize(number + 1);
    auto*& slot = numbers[number];
    if (!slot) slot = &d.file->branches[{line, number}];
    return slot;
  };
  for (const auto& object : layout.objects) {
    std::string gcno = std::filesystem::path(object.gcda).replace_extension(".gcno").string();
    auto& notes = notes_by_path[gcno];
    if (notes->stamp != object.stamp || notes->version != object.version)
      throw InputError({gcno},
                       "belongs to another build than the running binary (its stamp "
                       "differs): rebuild the binary");
    // Branch numbers count up per line within an object, as gcov numbers them: per file of
    // the object, by line (in the map beyond the tables' lines).
    std::vector<std::vector<std::uint32_t>> next_number(notes->files.size());
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> far_numbers;
    auto number_of = [&](const Where& w) {
      if (w.line >= dense_lines) return far_numbers[{w.file, w.line}]++;
      auto& numbers = next_number[w.file];
      if (w.line >= numbers.size())
        numbers.resize(std::max<std::size_t>(w.line + 1, 2 * numbers.size()));
      return numbers[w.line]++;
    };
    std::vector<Dense*> files(notes->files.size(), nullptr);  // null: a file not kept
    for (std::size_t i = 0; i < notes->files.size(); ++i)
      if (filter.keeps(notes->files[i])) {
        auto* file = &record.files[notes->files[i]];
        files[i] = &dense.try_emplace(file, file, memory).first->second;
      }
    for (const auto& fc : object.functions) {
      const Identity* id = notes->find(fc.ident);
      if (!id) continue;
      const Function* graph = id->graph == Identity::skipped ? nullptr : &notes->graphs[id->graph];
      if (id->cfg_checksum != fc.cfg_checksum || id->lineno_checksum != fc.lineno_checksum ||
          (graph && graph->counted.size() != fc.count))
        throw InputError({gcno},
                         "function " +
                             (graph && !graph->name.empty() ? std::string(graph->name)
                                                            : "#" + std::to_string(id->ident)) +
                             " differs from the running binary's: rebuild the binary");
      if (!graph) continue;  // no line the filter keeps
      const Function& fn = *graph;
      Resolved r(memory);
      r.function = &fn;
      r.offset = fc.offset;
      if (fn.artificial) continue;  // gcov leaves compiler-made functions out
      if (fn.first_line && fn.last_line >= fn.first_line && fn.file < files.size() &&
          files[fn.file])
        files[fn.file]->file->functions.emplace(fn.first_line, fn.last_line);
      r.lines.reserve(fn.lines.items.size());
      for (const auto& w : fn.lines.items)
        r.lines.push_back(files[w.file] ? line_of(*files[w.file], w.line) : nullptr);
      for (auto a : fn.branches) {
        const auto& last = fn.lines[fn.arcs[a].src].back();
        auto number = number_of(last);
        r.branches.push_back(files[last.file] ? branch_of(*files[last.file], last.line, number)
                                              : nullptr);
      }
      functions.push_back(std::move(r));
    }
  }
  for (const auto& r : functions) state_->measured.push_back(r.offset);
}

Record Mapping::build(const std::vector<std::uint64_t>& totals, std::vector<TestContext> tests,
                      const std::vector<Delta>& deltas) {
  if (state_->built) throw std::logic_error("gcov::Mapping::build called twice");
  state_->built = true;
  Record& record = state_->record;
  record.tests = std::move(tests);
  const auto& functions = state_->functions;
  std::vector<std::int64_t> arc, block;
  // The whole run: a line's count is the largest of its blocks' within a function (gcov's
  // count for a line with one block; gcov also adds loops within one line), summed over
  // functions and objects.
  std::vector<std::pair<LineCoverage*, std::int64_t>> line_counts;
  for (auto& r : functions) {
    // A function that never ran adds nothing (its lines are in the record already, at 0).
    const auto* first = totals.data() + r.offset;
    if (std::all_of(first, first + r.function->counted.size(), [](auto v) { return v == 0; }))
      continue;
    solve(*r.function, first, arc, block);
    line_counts.clear();
    const auto& begin = r.function->lines.begin;
    for (std::size_t b = 0; b < r.function->blocks; ++b)
      for (auto i = begin[b]; i < begin[b + 1]; ++i)
        if (r.lines[i]) line_counts.emplace_back(r.lines[i], std::max<std::int64_t>(block[b], 0));
    std::sort(line_counts.begin(), line_counts.end());
    for (std::size_t i = 0; i < line_counts.size(); ++i)
      if (i + 1 == line_counts.size() || line_counts[i + 1].first != line_counts[i].first)
        line_counts[i].first->hits += static_cast<std::uint64_t>(line_counts[i].second);
    for (std::size_t i = 0; i < r.branches.size(); ++i)
      if (r.branches[i])
        r.branches[i]->taken +=
            static_cast<std::uint64_t>(std::max<std::int64_t>(arc[r.function->branches[i]], 0));
  }

  // Each test: the functions whose counters it moved, solved with its increases alone.
  const auto& offsets = state_->measured;  // each function's first counter, ascending
  std::vector<std::uint64_t> counters;
  for (std::uint32_t t = 0; t < deltas.size() && t < record.tests.size(); ++t) {
    const auto& delta = deltas[t];
    for (std::size_t i = 0; i < delta.size();) {
      auto pos = std::upper_bound(offsets.begin(), offsets.end(), delta[i].first);
      if (pos == offsets.begin()) {
        ++i;
        continue;
      }
      const auto& r = functions[static_cast<std::size_t>(pos - offsets.begin()) - 1];
      std::size_t count = r.function->counted.size();
      if (delta[i].first >= r.offset + count) {  // an artificial or unknown function's counter
        ++i;
        continue;
      }
      counters.assign(count, 0);
      for (; i < delta.size() && delta[i].first < r.offset + count; ++i)
        counters[delta[i].first - r.offset] = delta[i].second;
      solve(*r.function, counters.data(), arc, block);
      const auto& begin = r.function->lines.begin;
      for (std::size_t b = 0; b < r.function->blocks; ++b)
        if (block[b] > 0)
          for (auto i = begin[b]; i < begin[b + 1]; ++i)
            if (r.lines[i]) add_test(r.lines[i]->tests, t);
      for (std::size_t k = 0; k < r.branches.size(); ++k)
        if (r.branches[k] && arc[r.function->branches[k]] > 0) add_test(r.branches[k]->tests, t);
    }
  }
  // Files the filter kept but whose functions were all left out hold nothing: drop them.
  for (auto it = record.files.begin(); it != record.files.end();)
    it = it->second.lines.empty() && it->second.branches.empty() ? record.files.erase(it)
                                                                 : std::next(it);
  return std::move(record);
}

Record build_record(const Layout& layout, const std::vector<std::uint64_t>& totals,
                    std::vector<TestContext> tests, const std::vector<Delta>& deltas,
                    const Filter& filter) {
  return Mapping(layout, filter).build(totals, std::move(tests), deltas);
}

}  // namespace attest::coverage::gcov
