#include "gcov_notes.hpp"

#include "gcov_format.hpp"

#include <attest/input_error.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attest::coverage::gcov::internal {
namespace {

// gcov's reading of the graph (gcov.cc read_graph_file, solve_flow_graph): which arcs
// are unconditional, which are calls that may not return, and the branch order.
void classify(Function& f, std::span<Arc> arcs, std::pmr::memory_resource* memory) {
  for (auto& arc : arcs)
    if (arc.fake() && arc.src != 0) arc.flags |= arc_call_non_return;
  for (std::uint32_t b = 0; b < f.blocks; ++b) {
    std::size_t non_fake = 0;
    for (auto a : f.succ[b]) non_fake += !arcs[a].fake();
    if (non_fake == 1)
      for (auto a : f.succ[b])
        if (!arcs[a].fake()) arcs[a].flags |= arc_unconditional;
  }
  static thread_local std::vector<std::uint32_t> succ, branches;
  branches.clear();
  for (std::uint32_t b = 0; b < f.blocks; ++b) {
    if (f.lines[b].empty()) continue;
    // gcov sorts successors by destination, stably. A block has one or two, rarely more than a
    // few: an insertion sort, where std::stable_sort asked for a buffer every time (kept for a
    // switch's many).
    succ.assign(f.succ[b].begin(), f.succ[b].end());
    auto by_destination = [&](auto x, auto y) { return arcs[x].dst < arcs[y].dst; };
    if (succ.size() > 16) {
      std::stable_sort(succ.begin(), succ.end(), by_destination);
    } else {
      for (std::size_t i = 1; i < succ.size(); ++i)
        for (std::size_t k = i; k > 0 && by_destination(succ[k], succ[k - 1]); --k)
          std::swap(succ[k], succ[k - 1]);
    }
    for (auto a : succ)
      if (!arcs[a].unconditional() && !arcs[a].call_non_return()) branches.push_back(a);
  }
  auto list = allocate_array<std::uint32_t>(memory, branches.size());
  std::copy(branches.begin(), branches.end(), list.begin());
  f.branches = list;
}

}  // namespace

void complete_graph(Function& f, std::span<Arc> arcs, std::pmr::memory_resource* memory) {
  static thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> succ, pred;
  succ.clear();
  pred.clear();
  std::size_t off_tree = 0;
  for (std::uint32_t a = 0; a < arcs.size(); ++a) {
    off_tree += !arcs[a].on_tree();
    succ.emplace_back(arcs[a].src, a);
    pred.emplace_back(arcs[a].dst, a);
  }
  auto counted = allocate_array<std::uint32_t>(memory, off_tree);
  for (std::uint32_t a = 0, i = 0; a < arcs.size(); ++a)
    if (!arcs[a].on_tree()) counted[i++] = a;
  f.counted = counted;
  f.succ.assign(f.blocks, succ, memory);
  f.pred.assign(f.blocks, pred, memory);
  classify(f, arcs, memory);
  f.arcs = arcs;
}

std::optional<std::string_view> try_read_into(const std::string& path, Buffer& buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  // Room for the file and one byte more, so that its end is seen without growing the buffer.
  if (::fstat(fd, &st) == 0) buffer.reserve(static_cast<std::size_t>(st.st_size) + 1);
  std::size_t used = 0;
  for (;;) {
    if (used == buffer.size()) {  // the file grew since fstat: read it again, with more room
      buffer.reserve(std::max<std::size_t>(2 * used, 1 << 16));
      if (::lseek(fd, 0, SEEK_SET) != 0) {
        ::close(fd);
        return std::nullopt;
      }
      used = 0;
    }
    auto n = ::read(fd, buffer.data() + used, buffer.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      if (n < 0) return std::nullopt;
      return std::string_view(buffer.data(), used);
    }
    used += static_cast<std::size_t>(n);
  }
}

std::string_view read_into(const std::string& path, Buffer& buffer) {
  if (auto bytes = try_read_into(path, buffer)) return *bytes;
  throw InputError({path}, "cannot read");
}

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
  std::vector<bool>& kept = notes.kept;
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
  // Block after block names the same few files (a function's own and the headers inlined into
  // it, in turn): the last ones named are asked first, the map only when none is it (of the
  // unit binary's 227,000 names, 128,000 were map lookups with the last one alone, 22,000 with
  // the last eight; reading its notes took ~1 ms less).
  struct Recent {
    std::string_view name;
    std::uint32_t file = 0;
  };
  std::array<Recent, 8> recent{};  // most recent first
  auto file_of = [&](std::string_view name) {
    for (std::size_t i = 0; i < recent.size(); ++i)
      if (!recent[i].name.empty() && recent[i].name == name) {
        auto hit = recent[i];
        std::move_backward(recent.begin(), recent.begin() + static_cast<std::ptrdiff_t>(i),
                           recent.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        recent[0] = hit;
        return hit.file;
      }
    std::move_backward(recent.begin(), recent.end() - 1, recent.end());
    recent[0] = {name, lookup(name)};
    return recent[0].file;
  };

  bool in_function = false;  // a function record was read: the records after it are its
  struct {
    std::string_view name;
    bool artificial = false;
    std::uint32_t file = 0, first_line = 0, last_line = 0;
  } head;               // its header, copied into the function only when it is kept
  bool f_kept = false;  // a line of it (or the function itself) is in a kept file
  std::uint32_t f_blocks = 0;
  std::vector<std::pair<std::size_t, std::size_t>> arc_records;  // read once it is kept
  std::vector<std::pair<std::uint32_t, Where>> f_lines;          // (block, line)
  auto finish_function = [&] {
    if (!in_function) return;
    in_function = false;
    if (f_kept) {
      notes.functions.back().graph = static_cast<std::uint32_t>(notes.graphs.size());
      Function& f = notes.graphs.emplace_back();
      // (the name is kept in the arena: the bytes read are the next file's soon)
      auto name = allocate_array<char>(memory, head.name.size());
      std::copy(head.name.begin(), head.name.end(), name.begin());
      f.name = std::string_view(name.data(), name.size());
      f.artificial = head.artificial;
      f.file = head.file;
      f.first_line = head.first_line;
      f.last_line = head.last_line;
      f.blocks = f_blocks;
      // (sized once: grown arc by arc, the vectors' reallocations were a tenth of reading)
      std::size_t arc_count = 0;
      for (auto [from, end] : arc_records) arc_count += end - from >= 4 ? (end - from - 4) / 8 : 0;
      auto arcs = allocate_array<Arc>(memory, arc_count);
      std::size_t n = 0;
      std::size_t resume = in.pos();
      for (auto [from, end] : arc_records) {
        in.seek(from);
        std::uint32_t src = in.u32();
        while (in.pos() + 8 <= end) {
          Arc& arc = arcs[n++];
          arc.src = src;
          arc.dst = in.u32();
          arc.flags = in.u32() & (arc_on_tree | arc_fake | arc_fall_through);
          if (src >= f_blocks || arc.dst >= f_blocks) in.fail("arc out of range");
        }
      }
      in.seek(resume);
      f.lines.assign(f_blocks, f_lines, memory);
      complete_graph(f, arcs.first(n), memory);
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
  return notes;
}

}  // namespace attest::coverage::gcov::internal
