#include "notes_cache.hpp"

#include "gcov_format.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <type_traits>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attest::coverage::gcov::internal {
namespace {

// The format: the magic, this format's number and a byte-order mark (a cache moved to another
// machine, or left by another attest, is simply not this format); the notes file it was made
// from and the filter it was read with (its prefixes as given); the notes (the files, named
// only where the filter kept them, every function's identity in the notes' order, the
// graphs read: blocks, lines per block, arcs, the arcs out of and into each block, the counted
// arcs, the branches); a checksum of all that. Native 32- and 64-bit words; strings padded to
// a word, so that every array starts on one and the graphs are read in place, not copied.
constexpr char magic[8] = {'a', 't', 't', 'e', 's', 't', 'N', 'C'};
constexpr std::uint32_t format = 5;
constexpr std::uint32_t byte_order = 0x01020304;

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void bytes(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  void u32(std::uint32_t v) { bytes(&v, 4); }
  void u64(std::uint64_t v) { bytes(&v, 8); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes(s.data(), s.size());
    out_.append((4 - s.size() % 4) % 4, '\0');
  }

 private:
  std::string& out_;
};

// Reads what Writer wrote; a read past the end makes it bad (and reads zeros), never throws.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == bytes_.size(); }
  std::size_t left() const { return bytes_.size() - pos_; }
  const char* take(std::size_t n) {
    if (!ok_ || n > left()) {
      ok_ = false;
      return nullptr;
    }
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    if (const char* p = take(4)) std::memcpy(&v, p, 4);
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    if (const char* p = take(8)) std::memcpy(&v, p, 8);
    return v;
  }
  std::string_view str() {
    std::uint32_t n = u32();
    const char* p = take(n);
    std::size_t padding = (4 - n % 4) % 4;
    if (const char* pad = take(padding))  // (zeros, as written: one cache, one encoding)
      for (std::size_t i = 0; i < padding; ++i) ok_ = ok_ && pad[i] == 0;
    return p && ok_ ? std::string_view(p, n) : std::string_view();
  }
  // `count` elements of T in place, when that many are left where a T may be.
  template <typename T>
  std::span<const T> array(std::size_t count) {
    static_assert(std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>);
    if (count > left() / sizeof(T) ||
        reinterpret_cast<std::uintptr_t>(bytes_.data() + pos_) % alignof(T) != 0) {
      ok_ = false;
      return {};
    }
    const char* p = take(count * sizeof(T));
    return p ? std::span<const T>(reinterpret_cast<const T*>(p), count) : std::span<const T>();
  }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// A per-block list of `length` entries in all, in place and checked: begin[0] is 0, begin
// ascends to `length`, and each entry passes `fits(block, entry, previous entry in the block or
// nullptr)`.
template <typename T, typename Fits>
bool read_per_block(Cursor& in, std::uint32_t blocks, std::size_t length, PerBlock<T>& list,
                    Fits&& fits) {
  list.items = in.array<T>(length);
  list.begin = in.array<std::uint32_t>(std::size_t{blocks} + 1);
  if (!in.ok()) return false;
  if (list.begin.front() != 0 || list.begin.back() != length) return false;
  // (ascending first, all of it: then no block's entries run past the end)
  for (std::uint32_t b = 0; b < blocks; ++b)
    if (list.begin[b] > list.begin[b + 1]) return false;
  for (std::uint32_t b = 0; b < blocks; ++b) {
    for (auto i = list.begin[b]; i < list.begin[b + 1]; ++i)
      if (!fits(b, list.items[i], i > list.begin[b] ? &list.items[i - 1] : nullptr)) return false;
  }
  return true;
}

// A function's graph as the notes' reader makes it (read_notes, complete_graph), every index
// checked against what it indexes: the arcs out of and into each block are exactly the arcs
// with that source and destination, in ascending order; the counted arcs exactly those off the
// tree; each branch leaves a block with a line (its line is the block's last). Stored rather
// than derived again: deriving them was a third of reading the caches.
// With `kept` (a narrower run's files), a function none of whose lines is in a kept file is
// only stepped over (`dropped`): its arcs are neither checked nor kept.
bool read_graph(Cursor& in, std::size_t files, Function& f, const std::vector<bool>* kept,
                bool& dropped) {
  f.name = in.str();
  std::uint32_t artificial = in.u32();
  f.artificial = artificial != 0;
  f.file = in.u32();
  f.first_line = in.u32();
  f.last_line = in.u32();
  f.blocks = in.u32();
  if (!in.ok() || artificial > 1 || f.file >= files) return false;
  std::uint32_t line_count = in.u32();
  if (!read_per_block(in, f.blocks, line_count, f.lines,
                      [&](std::uint32_t, const Where& w, const Where*) { return w.file < files; }))
    return false;
  std::uint32_t arc_count = in.u32();
  f.arcs = in.array<Arc>(arc_count);
  if (!in.ok()) return false;
  dropped = kept && !(*kept)[f.file] &&
            std::none_of(f.lines.items.begin(), f.lines.items.end(),
                         [&](const Where& w) { return (*kept)[w.file]; });
  if (dropped) {
    for (int list = 0; list < 2; ++list) {  // the arcs out of and into each block
      in.array<std::uint32_t>(arc_count);
      in.array<std::uint32_t>(std::size_t{f.blocks} + 1);
    }
    for (int list = 0; list < 2; ++list) in.array<std::uint32_t>(in.u32());  // counted, branches
    f = Function{};
    return in.ok();
  }
  std::size_t off_tree = 0;
  for (const Arc& arc : f.arcs) {
    if (arc.src >= f.blocks || arc.dst >= f.blocks || (arc.flags & ~arc_known_flags)) return false;
    off_tree += !arc.on_tree();
  }
  auto arc_list = [&](bool out) {
    return [&f, out](std::uint32_t b, std::uint32_t a, const std::uint32_t* previous) {
      return a < f.arcs.size() && (out ? f.arcs[a].src : f.arcs[a].dst) == b &&
             (!previous || *previous < a);
    };
  };
  if (!read_per_block(in, f.blocks, arc_count, f.succ, arc_list(true)) ||
      !read_per_block(in, f.blocks, arc_count, f.pred, arc_list(false)))
    return false;
  std::uint32_t counted = in.u32();
  f.counted = in.array<std::uint32_t>(counted);
  std::uint32_t branches = in.u32();
  f.branches = in.array<std::uint32_t>(branches);
  if (!in.ok() || counted != off_tree) return false;
  for (std::size_t i = 0; i < f.counted.size(); ++i)
    if (f.counted[i] >= arc_count || f.arcs[f.counted[i]].on_tree() ||
        (i && f.counted[i - 1] >= f.counted[i]))
      return false;
  for (auto a : f.branches)
    if (a >= arc_count || f.lines[f.arcs[a].src].empty()) return false;
  return true;
}

void write_per_block(Writer& out, const auto& list) {
  out.bytes(list.items.data(), list.items.size() * sizeof(list.items[0]));
  out.bytes(list.begin.data(), list.begin.size() * sizeof(std::uint32_t));
}

void write_graph(Writer& out, const Function& f) {
  out.str(f.name);
  out.u32(f.artificial);
  out.u32(f.file);
  out.u32(f.first_line);
  out.u32(f.last_line);
  out.u32(f.blocks);
  out.u32(static_cast<std::uint32_t>(f.lines.items.size()));
  write_per_block(out, f.lines);
  out.u32(static_cast<std::uint32_t>(f.arcs.size()));
  out.bytes(f.arcs.data(), f.arcs.size() * sizeof(Arc));
  write_per_block(out, f.succ);
  write_per_block(out, f.pred);
  out.u32(static_cast<std::uint32_t>(f.counted.size()));
  out.bytes(f.counted.data(), f.counted.size() * sizeof(std::uint32_t));
  out.u32(static_cast<std::uint32_t>(f.branches.size()));
  out.bytes(f.branches.data(), f.branches.size() * sizeof(std::uint32_t));
}

void write_identity(Writer& out, const FileIdentity& id) {
  out.u64(id.device);
  out.u64(id.inode);
  out.u64(id.size);
  out.u64(id.mtime_ns);
}

// `bytes` as the file `path`, whole or not at all: written to an unnamed file in the same
// directory (O_TMPFILE) and only then given its name, so that neither a reader nor a process
// killed while writing leaves half a cache. Best effort: where the directory cannot be written
// or does not know O_TMPFILE, there is no cache.
void write_whole(const std::string& path, std::string_view bytes) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return;
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (done == bytes.size()) {
    char self[64];
    std::snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    ::unlink(path.c_str());  // (linkat does not replace; a racing run's cache is as good)
    ::linkat(AT_FDCWD, self, AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW);
  }
  ::close(fd);
}

// Notes read with a filter that covers `filter`, made as if read with `filter`: the files it
// does not keep are no longer kept (nor named) — and, as the graphs are read, a function none
// of whose lines is in a file it keeps loses its graph, as read_notes would have skipped it
// (read_graph, `dropped`). (The graphs kept may
// hold more lines in files not kept than read_notes would have collected: the mapping passes
// over those, and a branch is reported at its block's last line, which both hold.)
void narrow(Notes& notes, const Filter& filter) {
  for (std::size_t i = 0; i < notes.files.size(); ++i)
    if (notes.kept[i] && !filter.keeps(notes.files[i])) {
      notes.kept[i] = false;
      notes.files[i].clear();
    }
}

// A cache's bytes as the page cache holds them, mapped (no copy, and no fresh pages to zero:
// reading them into memory of their own was most of a run's start); null when there is no
// such file or it cannot be mapped. The graphs read from it point into it, so it lives as
// long as the notes (Notes::bytes). A cache is replaced by a new file, never rewritten in place
// (write_whole), so what a run maps does not change under it.
std::shared_ptr<const void> map_file(const std::string& path, std::size_t& size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  void* p = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    size = static_cast<std::size_t>(st.st_size);
    // (populated at once: a fault per page cost more than the reading)
    p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  }
  ::close(fd);
  if (p == MAP_FAILED) return nullptr;
  return std::shared_ptr<const void>(
      p, [size](const void* q) { ::munmap(const_cast<void*>(q), size); });
}

}  // namespace

std::uint64_t cache_checksum(std::string_view bytes) {
  std::uint64_t lane[4] = {0x9e3779b97f4a7c15u, 0xbf58476d1ce4e5b9u, 0x94d049bb133111ebu,
                           bytes.size()};
  auto mix = [](std::uint64_t h, std::uint64_t w) {
    h = (h ^ w) * 0xff51afd7ed558ccdu;
    return h ^ (h >> 32);
  };
  std::size_t i = 0;
  for (; i + 32 <= bytes.size(); i += 32)
    for (int k = 0; k < 4; ++k) {
      std::uint64_t w;
      std::memcpy(&w, bytes.data() + i + 8 * k, 8);
      lane[k] = mix(lane[k], w);
    }
  for (; i < bytes.size(); ++i) lane[0] = mix(lane[0], static_cast<unsigned char>(bytes[i]));
  return mix(mix(mix(lane[0], lane[1]), lane[2]), lane[3]);
}

std::optional<FileIdentity> identify(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                      static_cast<std::uint64_t>(st.st_size),
                      static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1000000000u +
                          static_cast<std::uint64_t>(st.st_mtim.tv_nsec)};
}

std::string cache_path(const std::string& gcno) { return gcno + ".attest-cache"; }

void encode_notes(const Notes& notes, const FileIdentity& source, const Filter& filter,
                  std::string& bytes) {
  bytes.clear();
  Writer out(bytes);
  out.bytes(magic, sizeof magic);
  out.u32(format);
  out.u32(byte_order);
  write_identity(out, source);
  out.u32(static_cast<std::uint32_t>(filter.include.size()));
  for (const auto& prefix : filter.include) out.str(prefix);
  out.u32(notes.version);
  out.u32(notes.stamp);
  out.u32(static_cast<std::uint32_t>(notes.files.size()));
  for (std::size_t i = 0; i < notes.files.size(); ++i) {
    bool kept = i < notes.kept.size() && notes.kept[i];
    out.str(kept ? std::string_view(notes.files[i]) : std::string_view());  // (only kept names)
    out.u32(kept);
  }
  out.u32(static_cast<std::uint32_t>(notes.functions.size()));
  out.bytes(notes.functions.data(), notes.functions.size() * sizeof(Identity));
  out.u32(static_cast<std::uint32_t>(notes.graphs.size()));
  for (const auto& f : notes.graphs) write_graph(out, f);
  out.u64(cache_checksum(bytes));
}

std::optional<Notes> decode_notes(std::string_view bytes, const FileIdentity& source,
                                  const Filter& filter, std::pmr::memory_resource* memory) {
  if (bytes.size() < sizeof magic + 8 || std::memcmp(bytes.data(), magic, sizeof magic) != 0)
    return std::nullopt;
  std::uint64_t sum;
  std::memcpy(&sum, bytes.data() + bytes.size() - 8, 8);
  std::string_view body = bytes.substr(0, bytes.size() - 8);
  if (cache_checksum(body) != sum) return std::nullopt;
  Cursor in(body);
  in.take(sizeof magic);
  if (in.u32() != format || in.u32() != byte_order) return std::nullopt;
  FileIdentity id;
  id.device = in.u64();
  id.inode = in.u64();
  id.size = in.u64();
  id.mtime_ns = in.u64();
  if (!in.ok() || id != source) return std::nullopt;
  // The filter the cache was made with: the run's own, or one that keeps all the run's does
  // (the build's --cov-prepare, every file but system headers', serves a run of any --cov=DIR).
  Filter made_with;
  std::uint32_t prefixes = in.u32();
  if (prefixes > in.left() / 4) return std::nullopt;
  for (std::uint32_t i = 0; i < prefixes && in.ok(); ++i) made_with.include.emplace_back(in.str());
  if (!in.ok()) return std::nullopt;
  bool narrower = made_with.include != filter.include;
  if (narrower && !made_with.covers(filter)) return std::nullopt;
  Notes notes(memory);
  notes.version = in.u32();
  notes.stamp = in.u32();
  std::uint32_t file_count = in.u32();
  if (file_count > in.left() / 8) return std::nullopt;  // each at least a length and a flag
  notes.files.reserve(file_count);
  notes.kept.reserve(file_count);
  for (std::uint32_t i = 0; i < file_count && in.ok(); ++i) {
    auto name = in.str();
    std::uint32_t kept = in.u32();
    if (kept > 1 || (!kept && !name.empty())) return std::nullopt;
    notes.files.emplace_back(name);
    notes.kept.push_back(kept != 0);
  }
  std::uint32_t function_count = in.u32();
  auto functions = in.array<Identity>(function_count);
  if (!in.ok()) return std::nullopt;
  notes.functions.assign(functions.begin(), functions.end());  // (copied: narrow() edits them)
  std::uint32_t graph_count = in.u32();
  if (!in.ok() || graph_count > in.left() / 32) return std::nullopt;  // 8 words at least each
  if (narrower) narrow(notes, filter);
  std::vector<bool> dropped(graph_count);
  for (std::uint32_t g = 0; g < graph_count; ++g) {
    bool gone = false;
    if (!read_graph(in, file_count, notes.graphs.emplace_back(), narrower ? &notes.kept : nullptr,
                    gone))
      return std::nullopt;
    dropped[g] = gone;
  }
  if (!in.ok() || !in.at_end()) return std::nullopt;
  // The mapping finds graphs by index.
  for (const auto& f : notes.functions)
    if (f.graph != Identity::skipped && f.graph >= graph_count) return std::nullopt;
  for (auto& id : notes.functions)
    if (id.graph != Identity::skipped && dropped[id.graph]) id.graph = Identity::skipped;
  return notes;
}

Notes read_notes_cached(const std::string& gcno, const FileIdentity& source, std::uint32_t stamp,
                        const Filter& filter, Buffer& buffer, std::string& scratch,
                        std::pmr::memory_resource* memory) {
  const std::string cache = cache_path(gcno);
  std::size_t size = 0;
  if (auto bytes = map_file(cache, size)) {  // (none yet, or unreadable: none)
    auto cached =
        decode_notes({static_cast<const char*>(bytes.get()), size}, source, filter, memory);
    if (cached && cached->stamp == stamp) {
      cached->bytes = std::move(bytes);
      return std::move(*cached);
    }
  }
  Notes notes = read_notes(gcno, filter, buffer, memory);
  // (only when the file did not change while it was read: a cache names the file it was made from)
  if (identify(gcno) == source) {
    encode_notes(notes, source, filter, scratch);
    write_whole(cache, scratch);
  }
  return notes;
}

}  // namespace attest::coverage::gcov::internal
