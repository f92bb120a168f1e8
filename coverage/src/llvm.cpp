// Clang source-based coverage, read in-process: see llvm.hpp. The decoding follows LLVM's
// CoverageMappingReader.cpp, the line and branch figures its CoverageMapping.cpp
// (SegmentBuilder, LineCoverageStats) and llvm-cov's summaries (CoverageSummaryInfo.cpp)
// and lcov export (SourceCoverageViewText/CoverageExporterLcov.cpp), LLVM 14.
#include <attest/coverage/llvm.hpp>

#include <elf.h>
#include <link.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>

#include <attest/input_error.hpp>

#include <boost/uuid/detail/md5.hpp>

extern "C" {
// Clang's profile runtime (compiler-rt, InstrProfilingPlatformLinux.c); absent unless the
// executable was linked with -fprofile-instr-generate.
const char* __llvm_profile_begin_data(void) __attribute__((weak));
const char* __llvm_profile_end_data(void) __attribute__((weak));
const char* __llvm_profile_begin_counters(void) __attribute__((weak));
const char* __llvm_profile_end_counters(void) __attribute__((weak));
std::uint64_t __llvm_profile_get_version(void) __attribute__((weak));
}

namespace attest::coverage::llvm {

namespace {

// ---------------------------------------------------------------- bytes

class Bytes {
 public:
  Bytes(std::string_view data, const std::string& origin, std::string what)
      : data_(data), origin_(origin), what_(std::move(what)) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError({origin_}, what_ + ": " + message + " at byte " + std::to_string(pos_));
  }
  std::size_t pos() const { return pos_; }
  std::size_t left() const { return data_.size() - pos_; }
  bool done() const { return pos_ >= data_.size(); }
  void seek(std::size_t pos) {
    if (pos > data_.size()) fail("truncated");
    pos_ = pos;
  }
  std::string_view take(std::size_t n) {
    if (n > left()) fail("truncated");
    auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  template <class T>
  T fixed() {
    auto s = take(sizeof(T));
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      v = static_cast<T>(
          v | static_cast<T>(static_cast<T>(static_cast<unsigned char>(s[i])) << (8 * i)));
    return v;
  }
  std::uint64_t uleb() {
    std::uint64_t value = 0;
    unsigned shift = 0;
    while (true) {
      if (done()) fail("truncated LEB128 number");
      auto byte = static_cast<unsigned char>(data_[pos_++]);
      std::uint64_t slice = byte & 0x7f;
      if (shift >= 64 || (shift == 63 && slice > 1) ||
          (shift > 0 && (slice << shift) >> shift != slice))
        fail("LEB128 number too large");
      value |= slice << shift;
      shift += 7;
      if (!(byte & 0x80)) return value;
    }
  }
  /// A number below `bound` (LLVM's readIntMax).
  std::uint64_t below(std::uint64_t bound, const char* what) {
    auto v = uleb();
    if (v >= bound) fail(std::string("bad ") + what + " " + std::to_string(v));
    return v;
  }
  /// A size no larger than the bytes left (LLVM's readSize).
  std::uint64_t size() {
    auto v = uleb();
    if (v > left()) fail("size " + std::to_string(v) + " beyond the data");
    return v;
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
  const std::string& origin_;
  std::string what_;
};

constexpr std::uint64_t max_u32 = std::numeric_limits<std::uint32_t>::max();
// Sizes a well-formed section never reaches: bounds on what a malformed one makes us allocate.
constexpr std::uint64_t max_inflated = std::uint64_t{1} << 28;
constexpr std::uint32_t max_line = 1u << 24;

std::string inflate(std::string_view compressed, std::uint64_t size, Bytes& in) {
  if (size > max_inflated) in.fail("uncompressed size " + std::to_string(size) + " too large");
  std::string out(static_cast<std::size_t>(size), '\0');
  uLongf length = static_cast<uLongf>(size);
  int rc = ::uncompress(reinterpret_cast<Bytef*>(out.data()), &length,
                        reinterpret_cast<const Bytef*>(compressed.data()),
                        static_cast<uLong>(compressed.size()));
  if (rc != Z_OK) in.fail("zlib data does not decompress (" + std::to_string(rc) + ")");
  out.resize(length);
  return out;
}

// ---------------------------------------------------------------- the mapping

constexpr unsigned tag_bits = 2;
constexpr std::uint64_t tag_mask = 3;

Counter decode_counter(std::uint64_t value, std::vector<Expression>& expressions, Bytes& in) {
  Counter c;
  switch (value & tag_mask) {
    case 0:
      return c;
    case 1:
      c.kind = Counter::Kind::counter;
      c.id = static_cast<std::uint32_t>(value >> tag_bits);
      return c;
    default: {
      auto id = value >> tag_bits;
      if (id >= expressions.size()) in.fail("expression " + std::to_string(id) + " out of range");
      expressions[id].add = (value & tag_mask) == 3;
      c.kind = Counter::Kind::expression;
      c.id = static_cast<std::uint32_t>(id);
      return c;
    }
  }
}

/// Expressions in an order where each comes after those it uses; InputError on a cycle.
std::vector<std::uint32_t> expression_order(const std::vector<Expression>& expressions,
                                            const std::string& origin) {
  std::vector<std::uint32_t> order;
  order.reserve(expressions.size());
  std::vector<std::uint8_t> state(expressions.size(), 0);  // 0 new, 1 on stack, 2 done
  std::vector<std::pair<std::uint32_t, int>> stack;
  for (std::uint32_t root = 0; root < expressions.size(); ++root) {
    if (state[root]) continue;
    stack.emplace_back(root, 0);
    state[root] = 1;
    while (!stack.empty()) {
      auto& [e, step] = stack.back();
      if (step < 2) {
        const Counter& c = step == 0 ? expressions[e].lhs : expressions[e].rhs;
        ++step;
        if (c.kind != Counter::Kind::expression) continue;
        if (c.id >= expressions.size())
          throw InputError({origin}, "coverage mapping: expression out of range");
        if (state[c.id] == 1)
          throw InputError({origin}, "coverage mapping: expressions form a cycle");
        if (state[c.id] == 0) {
          state[c.id] = 1;
          stack.emplace_back(c.id, 0);
        }
        continue;
      }
      state[e] = 2;
      order.push_back(e);
      stack.pop_back();
    }
  }
  return order;
}

FunctionMapping read_function(std::string_view data, const std::vector<std::string>& tu_files,
                              const std::string& origin) {
  Bytes in(data, origin, "__llvm_covfun");
  FunctionMapping f;
  auto files = in.size();
  for (std::uint64_t i = 0; i < files; ++i)
    f.files.push_back(tu_files[in.below(tu_files.size(), "file index")]);
  auto expressions = in.size();
  f.expressions.resize(expressions);
  for (auto& e : f.expressions) {
    e.lhs = decode_counter(in.below(max_u32, "counter"), f.expressions, in);
    e.rhs = decode_counter(in.below(max_u32, "counter"), f.expressions, in);
  }
  // One sub-array of regions per file, lines relative to the previous region's.
  std::uint32_t nfiles = static_cast<std::uint32_t>(files);
  std::uint32_t line_start;
  std::vector<Region*> expanding;
  for (std::uint32_t file = 0; file < nfiles; ++file) {
    line_start = 0;
    std::uint64_t count = in.size();
    for (std::uint64_t i = 0; i < count; ++i) {
      Region r;
      r.file_id = file;
      auto encoded = in.below(max_u32, "region counter");
      if (encoded & tag_mask) {
        r.count = decode_counter(encoded, f.expressions, in);
      } else if (encoded & 4) {
        r.kind = RegionKind::expansion;
        auto expanded = encoded >> 3;
        if (expanded >= nfiles) in.fail("expansion of an unknown file");
        r.expanded_file_id = static_cast<std::uint32_t>(expanded);
      } else {
        switch (encoded >> 3) {
          case 0:
            break;
          case 2:
            r.kind = RegionKind::skipped;
            break;
          case 4:
            r.kind = RegionKind::branch;
            r.count = decode_counter(in.below(max_u32, "counter"), f.expressions, in);
            r.false_count = decode_counter(in.below(max_u32, "counter"), f.expressions, in);
            break;
          default:
            in.fail("unknown region kind");
        }
      }
      auto line_delta = in.below(max_u32, "line");
      auto column_start = in.uleb();
      if (column_start > max_u32) in.fail("bad column");
      auto lines = in.below(max_u32, "line count");
      auto column_end = in.below(max_u32, "column");
      if (line_start + line_delta + lines > max_line) in.fail("line number too large");
      line_start += static_cast<std::uint32_t>(line_delta);
      if (column_end & (std::uint64_t{1} << 31)) {
        r.kind = RegionKind::gap;
        column_end &= ~(std::uint64_t{1} << 31);
      }
      if (column_start == 0 && column_end == 0) {
        column_start = 1;
        column_end = max_u32;
      }
      r.line_start = line_start;
      r.column_start = static_cast<std::uint32_t>(column_start);
      r.line_end = line_start + static_cast<std::uint32_t>(lines);
      r.column_end = static_cast<std::uint32_t>(column_end);
      if (std::pair(r.line_start, r.column_start) > std::pair(r.line_end, r.column_end))
        in.fail("region ends before it starts");
      f.regions.push_back(r);
    }
  }
  // An expansion region counts what the first region of the file it expands counts.
  expanding.assign(nfiles, nullptr);
  for (std::uint32_t pass = 1; pass < nfiles; ++pass) {
    for (auto& r : f.regions)
      if (r.kind == RegionKind::expansion) expanding[r.expanded_file_id] = &r;
    for (auto& r : f.regions)
      if (expanding[r.file_id]) {
        expanding[r.file_id]->count = r.count;
        expanding[r.file_id] = nullptr;
      }
  }
  expression_order(f.expressions, origin);
  return f;
}

/// LLVM's RawCoverageMappingDummyChecker: one file, no expressions, one zero region.
bool is_dummy_mapping(std::string_view data, const std::string& origin) {
  Bytes in(data, origin, "__llvm_covfun");
  if (in.size() != 1) return false;
  in.uleb();
  if (in.size() != 0) return false;
  if (in.size() != 1) return false;
  return in.uleb() == 0;
}

std::vector<std::string> read_filenames(std::string_view blob, std::uint32_t version,
                                        const std::string& origin) {
  Bytes in(blob, origin, "__llvm_covmap filenames");
  auto count = in.size();
  if (count == 0) in.fail("no filenames");
  auto uncompressed_size = in.uleb();
  auto compressed_size = in.size();
  std::string storage;
  std::string_view plain;
  if (compressed_size) {
    storage = inflate(in.take(static_cast<std::size_t>(compressed_size)), uncompressed_size, in);
    plain = storage;
  } else {
    plain = blob.substr(in.pos());
  }
  Bytes names(plain, origin, "__llvm_covmap filenames");
  std::vector<std::string> files;
  auto read_name = [&] {
    auto n = names.size();
    return std::string(names.take(static_cast<std::size_t>(n)));
  };
  if (version < 5) {  // before version 6: names as written
    for (std::uint64_t i = 0; i < count; ++i) files.push_back(read_name());
    return files;
  }
  std::string cwd = read_name();
  files.push_back(cwd);
  for (std::uint64_t i = 1; i < count; ++i) {
    std::string name = read_name();
    if (!name.empty() && name.front() == '/') {
      files.push_back(std::move(name));
    } else {
      std::string path = cwd;
      if (!path.empty() && path.back() != '/' && !name.empty()) path += '/';
      files.push_back(path + name);
    }
  }
  return files;
}

std::string hex(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = digits[v & 15];
  return s;
}

}  // namespace

namespace {

// Boost's MD5 (header-only: no crypto library loaded into every test binary for one hash).
// Its digest words come out byte-swapped on little-endian machines (a compatibility choice of
// Boost 1.71's name-based UUIDs) — which way is checked once against MD5("").
std::uint64_t boost_md5_low64(std::string_view bytes, bool swapped) {
  boost::uuids::detail::md5 md5;
  md5.process_bytes(bytes.data(), bytes.size());
  boost::uuids::detail::md5::digest_type digest;
  md5.get_digest(digest);
  auto word = [&](int i) {
    auto w = static_cast<std::uint32_t>(digest[i]);
    return swapped ? __builtin_bswap32(w) : w;
  };
  return std::uint64_t{word(0)} | std::uint64_t{word(1)} << 32;
}

}  // namespace

std::uint64_t md5_low64(std::string_view bytes) {
  // MD5("") = d41d8cd98f00b204..., read little-endian as LLVM does.
  static const bool swapped = boost_md5_low64("", true) == 0x04b2008fd98c1dd4ull;
  return boost_md5_low64(bytes, swapped);
}

bool FunctionMapping::dummy() const {
  return func_hash == 0 && files.size() == 1 && expressions.empty() && regions.size() == 1 &&
         regions[0].kind == RegionKind::code && regions[0].count.kind == Counter::Kind::zero;
}

std::vector<std::string> decode_names(std::string_view names, const std::string& origin) {
  Bytes in(names, origin, "__llvm_prf_names");
  std::vector<std::string> out;
  while (!in.done()) {
    auto uncompressed_size = in.uleb();
    auto compressed_size = in.uleb();
    std::string storage;
    std::string_view text;
    if (compressed_size) {
      if (compressed_size > in.left()) in.fail("truncated");
      storage = inflate(in.take(static_cast<std::size_t>(compressed_size)), uncompressed_size, in);
      text = storage;
    } else {
      if (uncompressed_size > in.left()) in.fail("truncated");
      text = in.take(static_cast<std::size_t>(uncompressed_size));
    }
    while (true) {
      auto sep = text.find('\x01');
      out.emplace_back(text.substr(0, sep));
      if (sep == std::string_view::npos) break;
      text.remove_prefix(sep + 1);
    }
    while (!in.done() && names[in.pos()] == '\0') in.seek(in.pos() + 1);
  }
  return out;
}

ObjectMapping decode_mapping(std::string_view covmap, std::string_view covfun,
                             std::string_view names, const std::string& origin) {
  ObjectMapping object;
  if (covmap.empty() && covfun.empty()) return object;
  std::unordered_map<std::uint64_t, std::string> name_of;
  bool have_names = !names.empty();
  for (auto& n : decode_names(names, origin)) name_of.emplace(md5_low64(n), std::move(n));

  // The translation units' filename lists, by the MD5 of their encoded form.
  Bytes map(covmap, origin, "__llvm_covmap");
  std::unordered_map<std::uint64_t, std::optional<std::vector<std::string>>> files_by_hash;
  std::uint32_t version = 0;
  bool first = true;
  while (!map.done()) {
    map.fixed<std::uint32_t>();  // NRecords: 0 from version 4 on
    auto filenames_size = map.fixed<std::uint32_t>();
    auto coverage_size = map.fixed<std::uint32_t>();
    auto header_version = map.fixed<std::uint32_t>();
    if (first) {
      version = header_version;
      if (version < 3 || version > 5)
        map.fail("coverage mapping version " + std::to_string(version + 1) +
                 " (attest reads versions 4 to 6)");
      first = false;
    }
    auto blob = map.take(filenames_size);
    if (coverage_size != 0) map.fail("inline coverage data in a version 4+ header");
    auto files = read_filenames(blob, version, origin);
    auto [it, inserted] = files_by_hash.emplace(md5_low64(blob), files);
    if (!inserted && it->second && *it->second != files) it->second.reset();  // a collision
    map.seek(std::min(covmap.size(), (map.pos() + 7) / 8 * 8));
  }

  // The function records: 8-byte aligned, each a header and its encoded mapping.
  Bytes fun(covfun, origin, "__llvm_covfun");
  std::unordered_map<std::uint64_t, std::size_t> by_name;
  std::vector<std::string_view> raw;  // each kept record's encoded mapping
  std::vector<const std::vector<std::string>*> tu_files;
  while (!fun.done()) {
    auto name_hash = fun.fixed<std::uint64_t>();
    auto data_size = fun.fixed<std::uint32_t>();
    auto func_hash = fun.fixed<std::uint64_t>();
    auto filenames_ref = fun.fixed<std::uint64_t>();
    auto data = fun.take(data_size);
    fun.seek(std::min(covfun.size(), (fun.pos() + 7) / 8 * 8));
    auto files = files_by_hash.find(filenames_ref);
    if (files == files_by_hash.end()) fun.fail("function record of an unknown translation unit");
    if (!files->second) continue;  // hash collision: LLVM ignores the record too
    auto [it, inserted] = by_name.emplace(name_hash, raw.size());
    if (!inserted) {
      auto& old = object.functions[it->second];
      if (!(old.func_hash == 0 && is_dummy_mapping(raw[it->second], origin))) continue;
      if (func_hash == 0 && is_dummy_mapping(data, origin)) continue;
      old.func_hash = func_hash;
      raw[it->second] = data;
      tu_files[it->second] = &*files->second;
      continue;
    }
    FunctionMapping f;
    f.name_hash = name_hash;
    f.func_hash = func_hash;
    if (have_names) {
      auto n = name_of.find(name_hash);
      if (n == name_of.end()) fun.fail("function record without a name");
      f.name = n->second;
    }
    object.functions.push_back(std::move(f));
    raw.push_back(data);
    tu_files.push_back(&*files->second);
  }
  for (std::size_t i = 0; i < object.functions.size(); ++i) {
    auto decoded = read_function(raw[i], *tu_files[i], origin);
    auto& f = object.functions[i];
    f.files = std::move(decoded.files);
    f.expressions = std::move(decoded.expressions);
    f.regions = std::move(decoded.regions);
  }
  return object;
}

// ---------------------------------------------------------------- ELF

std::optional<Sections> read_sections(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::error_code ec;
  auto file_size = std::filesystem::file_size(path, ec);
  if (ec) return std::nullopt;
  auto read = [&](std::uint64_t offset, std::uint64_t size) {
    if (offset > file_size || size > file_size - offset)
      throw InputError({path}, "malformed ELF: data beyond the end of the file");
    std::string out(static_cast<std::size_t>(size), '\0');
    file.seekg(static_cast<std::streamoff>(offset));
    file.read(out.data(), static_cast<std::streamsize>(size));
    if (!file) throw InputError({path}, "cannot read");
    return out;
  };
  if (file_size < sizeof(Elf64_Ehdr)) return std::nullopt;
  Elf64_Ehdr eh;
  auto head = read(0, sizeof eh);
  std::memcpy(&eh, head.data(), sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_ident[EI_DATA] != ELFDATA2LSB)
    return std::nullopt;
  if (eh.e_shoff == 0) return Sections{};
  if (eh.e_shentsize != sizeof(Elf64_Shdr)) throw InputError({path}, "malformed ELF: e_shentsize");
  auto section = [&](std::uint64_t i) {
    Elf64_Shdr sh;
    auto bytes = read(eh.e_shoff + i * sizeof sh, sizeof sh);
    std::memcpy(&sh, bytes.data(), sizeof sh);
    return sh;
  };
  std::uint64_t count = eh.e_shnum;
  std::uint64_t strndx = eh.e_shstrndx;
  if (count == 0 || strndx == SHN_XINDEX) {
    auto zero = section(0);
    if (count == 0) count = zero.sh_size;
    if (strndx == SHN_XINDEX) strndx = zero.sh_link;
  }
  if (count > file_size / sizeof(Elf64_Shdr) || strndx >= count)
    throw InputError({path}, "malformed ELF: section headers");
  std::vector<Elf64_Shdr> headers;
  auto table = read(eh.e_shoff, count * sizeof(Elf64_Shdr));
  headers.resize(static_cast<std::size_t>(count));
  std::memcpy(headers.data(), table.data(), table.size());
  const auto& strtab = headers[static_cast<std::size_t>(strndx)];
  std::string names =
      strtab.sh_type == SHT_NOBITS ? std::string() : read(strtab.sh_offset, strtab.sh_size);
  Sections out;
  for (const auto& sh : headers) {
    if (sh.sh_name >= names.size()) continue;
    std::string_view name(names.c_str() + sh.sh_name);
    std::string* into = name == "__llvm_covmap"      ? &out.covmap
                        : name == "__llvm_covfun"    ? &out.covfun
                        : name == "__llvm_prf_names" ? &out.names
                                                     : nullptr;
    if (!into || sh.sh_type == SHT_NOBITS) continue;
    if (sh.sh_flags & SHF_COMPRESSED)
      throw InputError({path}, "compressed section " + std::string(name) + " (not supported)");
    *into += read(sh.sh_offset, sh.sh_size);
  }
  return out;
}

std::vector<ObjectMapping> process_mappings() {
  std::vector<std::string> paths;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto& out = *static_cast<std::vector<std::string>*>(data);
        std::string name = info->dlpi_name ? info->dlpi_name : "";
        if (out.empty() && name.empty()) name = "/proc/self/exe";
        if (!name.empty()) out.push_back(name);
        return 0;
      },
      &paths);
  if (paths.empty() || paths.front() != "/proc/self/exe")
    paths.insert(paths.begin(), "/proc/self/exe");
  std::vector<ObjectMapping> out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    std::string origin = path;
    if (path == "/proc/self/exe") {
      auto target = std::filesystem::read_symlink(path, ec);
      if (!ec) origin = target.string();
    }
    auto sections = read_sections(path);
    if (!sections || sections->covfun.empty()) continue;
    out.push_back(decode_mapping(sections->covmap, sections->covfun, sections->names, origin));
  }
  return out;
}

// ---------------------------------------------------------------- counters

bool runtime_linked() { return __llvm_profile_begin_data != nullptr; }

std::optional<Layout> process_layout(std::string& why) {
  if (!__llvm_profile_begin_data || !__llvm_profile_end_data || !__llvm_profile_begin_counters ||
      !__llvm_profile_end_counters || !__llvm_profile_get_version) {
    why = "the process carries no Clang profile runtime (link with -fprofile-instr-generate)";
    return std::nullopt;
  }
  auto version = __llvm_profile_get_version() & 0xff;
  if (version < 6 || version > 8) {
    why = "raw profile version " + std::to_string(version) + " (attest reads versions 6 to 8)";
    return std::nullopt;
  }
  const char* data = __llvm_profile_begin_data();
  const char* data_end = __llvm_profile_end_data();
  const char* counters = __llvm_profile_begin_counters();
  const char* counters_end = __llvm_profile_end_counters();
  if (data == data_end) {
    // The runtime is linked in, but none of this executable's own code is instrumented: each
    // shared library built with -fprofile-instr-generate carries a runtime (and counters) of
    // its own, which this one does not see.
    why =
        "Clang's profile runtime is linked in but the executable holds no instrumented code of "
        "its own: code in a shared library is not measured (each keeps its own coverage "
        "runtime); build the code under test as a static library or into the test executable";
    return std::nullopt;
  }
  constexpr std::size_t record =
      48;  // NameRef, FuncHash, CounterPtr, FunctionPointer, Values, NumCounters, NumValueSites[2]
  if (!data || !counters || data_end < data || counters_end < counters ||
      static_cast<std::size_t>(data_end - data) % record != 0 ||
      static_cast<std::size_t>(counters_end - counters) % 8 != 0) {
    why = "the profile runtime's sections are not laid out as Clang 13 to 16 lay them out";
    return std::nullopt;
  }
  Layout layout;
  layout.size = static_cast<std::size_t>(counters_end - counters) / 8;
  for (const char* p = data; p < data_end; p += record) {
    FunctionCounters f;
    std::int64_t relative = 0;
    std::uint32_t n = 0;
    std::memcpy(&f.name_hash, p, 8);
    std::memcpy(&f.func_hash, p + 8, 8);
    std::memcpy(&relative, p + 16, 8);
    std::memcpy(&n, p + 40, 4);
    // The counters' address, relative to the record (integers: no pointer overflow).
    auto address = reinterpret_cast<std::uintptr_t>(p) + static_cast<std::uintptr_t>(relative);
    auto begin = reinterpret_cast<std::uintptr_t>(counters);
    if (address < begin || (address - begin) % 8 != 0 || (address - begin) / 8 > layout.size ||
        n > layout.size - (address - begin) / 8) {
      why = "a profile data record points outside the counters";
      return std::nullopt;
    }
    f.offset = (address - begin) / 8;
    f.count = n;
    layout.functions.push_back(f);
  }
  return layout;
}

const std::uint64_t* live_counters() {
  return reinterpret_cast<const std::uint64_t*>(__llvm_profile_begin_counters());
}

void read_counters(const Layout& layout, std::vector<std::uint64_t>& values) {
  values.resize(layout.size);
  if (layout.size && __llvm_profile_begin_counters)
    std::memcpy(values.data(), __llvm_profile_begin_counters(), layout.size * 8);
}

// ---------------------------------------------------------------- llvm-cov's figures

namespace {

struct Loc {
  std::uint32_t line = 0, col = 0;
  auto operator<=>(const Loc&) const = default;
};

struct CountedRegion {
  Loc start, end;
  RegionKind kind = RegionKind::code;
  std::uint64_t count = 0;
};

struct Segment {
  std::uint32_t line = 0, col = 0;
  std::uint64_t count = 0;
  bool has_count = false, entry = false, gap = false;
};

/// LLVM's SegmentBuilder::buildSegmentsImpl, on sorted and combined regions.
class SegmentBuilder {
 public:
  explicit SegmentBuilder(std::vector<Segment>& segments) : segments_(segments) {}

  void build(const std::vector<CountedRegion>& regions) {
    active_.clear();
    for (std::size_t i = 0; i < regions.size(); ++i) {
      const auto& r = regions[i];
      Loc at = r.start;
      auto completed = std::stable_partition(
          active_.begin(), active_.end(), [&](const CountedRegion* a) { return !(a->end <= at); });
      if (completed != active_.end())
        complete_until(at, static_cast<std::size_t>(completed - active_.begin()));
      bool gap = r.kind == RegionKind::gap;
      if (at == r.end) {
        bool skipped = i + 1 == regions.size() || r.kind == RegionKind::skipped;
        start(active_.empty() ? r : *active_.back(), at, !gap, skipped);
        if (skipped && !active_.empty()) start(*active_.back(), at, false);
        continue;
      }
      if (i + 1 == regions.size() || at != regions[i + 1].start) start(r, at, !gap);
      active_.push_back(&r);
    }
    if (!active_.empty()) complete_until(std::nullopt, 0);
  }

 private:
  void start(const CountedRegion& r, Loc at, bool entry, bool emit_skipped = false) {
    bool has_count = !emit_skipped && r.kind != RegionKind::skipped;
    if (!segments_.empty() && !entry && !emit_skipped) {
      const auto& last = segments_.back();
      if (last.has_count == has_count && last.count == r.count && !last.entry) return;
    }
    if (has_count)
      segments_.push_back({at.line, at.col, r.count, true, entry, r.kind == RegionKind::gap});
    else
      segments_.push_back({at.line, at.col, 0, false, entry, false});
  }

  void complete_until(std::optional<Loc> loc, std::size_t first) {
    std::stable_sort(
        active_.begin() + static_cast<std::ptrdiff_t>(first), active_.end(),
        [](const CountedRegion* l, const CountedRegion* r) { return l->end < r->end; });
    for (std::size_t i = first + 1, e = active_.size(); i < e; ++i) {
      const auto* completed = active_[i];
      Loc at = active_[i - 1]->end;
      if (loc && at == *loc) break;
      if (at == completed->end) continue;
      for (std::size_t j = i + 1; j < e; ++j)
        if (completed->end == active_[j]->end) completed = active_[j];
      start(*completed, at, false);
    }
    const auto* last = active_.back();
    if (first && loc && last->end != *loc)
      start(*active_[first - 1], last->end, false);
    else if (!first && (!loc || *loc != last->end))
      start(*last, last->end, false, true);
    active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(first), active_.end());
  }

  std::vector<Segment>& segments_;
  std::vector<const CountedRegion*> active_;
};

/// sortNestedRegions' order: by start, the enclosing region first, then by kind.
bool nested_before(const CountedRegion& l, const CountedRegion& r) {
  if (l.start != r.start) return l.start < r.start;
  if (l.end != r.end) return r.end < l.end;
  return l.kind < r.kind;
}

/// LineCoverageStats over the segments: f(line, mapped, count) for each line from the
/// first segment's to the last segment's.
template <class F>
void for_each_line(const std::vector<Segment>& segments, F&& f) {
  if (segments.empty()) return;
  const Segment* wrapped = nullptr;
  std::size_t next = 0, first = 0, last = 0;  // the line's segments: [first, last)
  std::uint32_t line = segments.front().line;
  while (next < segments.size()) {
    if (last > first) wrapped = &segments[last - 1];
    first = next;
    while (next < segments.size() && segments[next].line <= line) ++next;
    last = next;
    if (first == last && !(wrapped && wrapped->has_count)) {  // unmapped until the next segment
      line = segments[next].line;
      continue;
    }
    auto starts = [](const Segment& s) { return !s.gap && s.has_count && s.entry; };
    unsigned regions = 0;
    for (std::size_t i = first; i < last && regions < 2; ++i) regions += starts(segments[i]);
    bool skipped = first < last && !segments[first].has_count && segments[first].entry;
    bool mapped = !skipped && ((wrapped && wrapped->has_count) || regions > 0);
    std::uint64_t count = 0;
    if (mapped) {
      if (wrapped) count = wrapped->count;
      if (regions)
        for (std::size_t i = first; i < last; ++i)
          if (starts(segments[i])) count = std::max(count, segments[i].count);
    }
    f(line, mapped, count);
    ++line;
  }
}

std::vector<Segment> segments_of(std::vector<CountedRegion> regions) {
  std::stable_sort(regions.begin(), regions.end(), nested_before);
  // combineRegions: one region per area, counting the regions of the first one's kind.
  std::size_t active = 0;
  for (std::size_t i = 1; i < regions.size(); ++i) {
    if (regions[active].start != regions[i].start || regions[active].end != regions[i].end) {
      regions[++active] = regions[i];
      continue;
    }
    if (regions[i].kind == regions[active].kind) regions[active].count += regions[i].count;
  }
  if (!regions.empty()) regions.resize(active + 1);
  std::vector<Segment> segments;
  SegmentBuilder(segments).build(regions);
  return segments;
}

/// A function record llvm-cov loads: its mapping and, per region, counts.
struct Instance {
  const FunctionMapping* mapping = nullptr;
  std::vector<std::uint32_t> order;   // expressions, each after those it uses
  std::size_t group = 0;              // index into the profile groups; npos: not in the profile
  std::size_t counters = 0;           // counters the function has (in the profile)
  std::optional<std::uint32_t> main;  // the file id of llvm-cov's main view
  std::vector<std::size_t> file_of;   // file id -> index into the files
  std::vector<std::uint64_t> totals, false_totals;
};

constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// Evaluates every region's counter (and a branch's false counter) with `values`.
void evaluate(const Instance& in, const std::uint64_t* values, std::vector<std::int64_t>& expr,
              std::vector<std::uint64_t>& counts, std::vector<std::uint64_t>& false_counts) {
  const auto& f = *in.mapping;
  expr.assign(f.expressions.size(), 0);
  auto value = [&](const Counter& c) -> std::int64_t {
    switch (c.kind) {
      case Counter::Kind::zero:
        return 0;
      case Counter::Kind::counter:
        return c.id < in.counters ? static_cast<std::int64_t>(values[c.id]) : 0;
      case Counter::Kind::expression:
        return expr[c.id];
    }
    return 0;
  };
  for (auto e : in.order) {
    const auto& x = f.expressions[e];
    auto l = value(x.lhs), r = value(x.rhs);
    expr[e] = static_cast<std::int64_t>(
        x.add ? static_cast<std::uint64_t>(l) + static_cast<std::uint64_t>(r)
              : static_cast<std::uint64_t>(l) - static_cast<std::uint64_t>(r));
  }
  counts.resize(f.regions.size());
  false_counts.resize(f.regions.size());
  for (std::size_t i = 0; i < f.regions.size(); ++i) {
    counts[i] = static_cast<std::uint64_t>(std::max<std::int64_t>(value(f.regions[i].count), 0));
    false_counts[i] =
        static_cast<std::uint64_t>(std::max<std::int64_t>(value(f.regions[i].false_count), 0));
  }
}

/// Whether every counter the regions use exists (llvm-cov drops the function otherwise).
bool counters_exist(const FunctionMapping& f, std::size_t counters) {
  std::vector<std::int8_t> ok(f.expressions.size(), -1);
  std::vector<std::uint32_t> stack;
  auto leaf_ok = [&](const Counter& c) {
    return c.kind != Counter::Kind::counter || c.id < counters;
  };
  auto expr_ok = [&](std::uint32_t root) {
    stack.assign(1, root);
    while (!stack.empty()) {
      auto e = stack.back();
      if (ok[e] != -1) {
        stack.pop_back();
        continue;
      }
      const auto& x = f.expressions[e];
      bool pending = false;
      for (const auto* c : {&x.lhs, &x.rhs})
        if (c->kind == Counter::Kind::expression && ok[c->id] == -1) {
          stack.push_back(c->id);
          pending = true;
        }
      if (pending) continue;
      auto side = [&](const Counter& c) {
        return c.kind == Counter::Kind::expression ? ok[c.id] == 1 : leaf_ok(c);
      };
      ok[e] = side(x.lhs) && side(x.rhs);
      stack.pop_back();
    }
    return ok[root] == 1;
  };
  auto counter_ok = [&](const Counter& c) {
    return c.kind == Counter::Kind::expression ? expr_ok(c.id) : leaf_ok(c);
  };
  for (const auto& r : f.regions)
    if (!counter_ok(r.count) || !counter_ok(r.false_count)) return false;
  return true;
}

/// InputError unless every file and expression id of `f` is in range (a mapping built by
/// hand rather than by decode_mapping).
void validate(const FunctionMapping& f) {
  auto counter_ok = [&](const Counter& c) {
    return c.kind != Counter::Kind::expression || c.id < f.expressions.size();
  };
  for (const auto& e : f.expressions)
    if (!counter_ok(e.lhs) || !counter_ok(e.rhs))
      throw InputError({"coverage mapping"},
                       "expression out of range in function " + hex(f.name_hash));
  for (const auto& r : f.regions)
    if (r.file_id >= f.files.size() || r.expanded_file_id >= f.files.size() ||
        !counter_ok(r.count) || !counter_ok(r.false_count) || r.line_end > max_line ||
        std::pair(r.line_start, r.column_start) > std::pair(r.line_end, r.column_end))
      throw InputError({"coverage mapping"}, "bad region in function " + hex(f.name_hash));
}

/// findMainViewFileID: the first file that no expansion region expands.
std::optional<std::uint32_t> main_file(const FunctionMapping& f) {
  std::vector<bool> expanded(f.files.size(), false);
  for (const auto& r : f.regions)
    if (r.kind == RegionKind::expansion) expanded[r.expanded_file_id] = true;
  for (std::uint32_t i = 0; i < f.files.size(); ++i)
    if (!expanded[i]) return i;
  return std::nullopt;
}

/// A branch region of a function as llvm-cov counts it for the function's file: in the
/// main file, or in a macro expanded there (reported on the line of the expansion).
struct BranchSite {
  std::size_t region = 0;
  std::vector<std::uint32_t> key;  // reported line, the expansions' starts, the region's span
};

void collect_branches(const FunctionMapping& f, std::uint32_t file, std::vector<std::uint32_t> path,
                      std::vector<bool>& visiting, std::vector<BranchSite>& out) {
  if (visiting[file]) return;  // a malformed mapping's expansion cycle
  visiting[file] = true;
  for (std::size_t i = 0; i < f.regions.size(); ++i) {
    const auto& r = f.regions[i];
    if (r.file_id != file) continue;
    if (r.kind == RegionKind::branch) {
      if (r.count.kind == Counter::Kind::zero && r.false_count.kind == Counter::Kind::zero)
        continue;  // folded: a constant condition
      BranchSite site{i, path};
      if (site.key.empty()) site.key.push_back(r.line_start);
      site.key.insert(site.key.end(), {r.line_start, r.column_start, r.line_end, r.column_end});
      out.push_back(std::move(site));
    } else if (r.kind == RegionKind::expansion) {
      auto nested = path;
      if (nested.empty()) nested.push_back(r.line_start);
      nested.insert(nested.end(), {r.line_start, r.column_start});
      collect_branches(f, r.expanded_file_id, std::move(nested), visiting, out);
    }
  }
  visiting[file] = false;
}

struct FileView {
  std::string path;
  bool kept = false;
  // Every region (not branches) of every loaded function in this file: (instance, region).
  std::vector<std::pair<std::size_t, std::size_t>> members;
  std::set<std::uint32_t> lines;  // mapped in some function's own view
  FileCoverage* coverage = nullptr;
};

std::vector<CountedRegion> regions_of(
    const FileView& file, const std::vector<Instance>& instances,
    const std::vector<const std::vector<std::uint64_t>*>& counts) {
  std::vector<CountedRegion> out;
  out.reserve(file.members.size());
  for (auto [i, r] : file.members) {
    const auto& reg = instances[i].mapping->regions[r];
    out.push_back({{reg.line_start, reg.column_start},
                   {reg.line_end, reg.column_end},
                   reg.kind,
                   counts[i] ? (*counts[i])[r] : 0});
  }
  return out;
}

}  // namespace

Record build_record(const std::vector<ObjectMapping>& objects, const Layout& layout,
                    const std::vector<std::uint64_t>& totals, std::vector<TestContext> tests,
                    const std::vector<gcov::Delta>& deltas, const gcov::Filter& filter) {
  Record record;
  record.tests = std::move(tests);

  // The profile as llvm-profdata would merge it: one group of data records per (name, hash).
  struct Group {
    std::uint64_t name_hash = 0, func_hash = 0;
    std::size_t count = 0;
    std::vector<std::size_t> records;  // into layout.functions
    std::vector<std::uint64_t> totals;
  };
  std::vector<Group> groups;
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> group_of;
  std::unordered_map<std::uint64_t, bool> known_name;
  std::vector<std::size_t> record_group(layout.functions.size(), npos);
  for (std::size_t i = 0; i < layout.functions.size(); ++i) {
    const auto& fc = layout.functions[i];
    if (fc.offset > totals.size() || fc.count > totals.size() - fc.offset) continue;
    known_name[fc.name_hash] = true;
    auto [it, inserted] = group_of.emplace(std::pair(fc.name_hash, fc.func_hash), groups.size());
    if (inserted)
      groups.push_back(
          {fc.name_hash, fc.func_hash, fc.count, {}, std::vector<std::uint64_t>(fc.count, 0)});
    auto& g = groups[it->second];
    if (g.count != fc.count) continue;  // llvm-profdata refuses such a merge; keep the first
    g.records.push_back(i);
    record_group[i] = it->second;
    for (std::size_t k = 0; k < fc.count; ++k) g.totals[k] += totals[fc.offset + k];
  }

  // The functions llvm-cov loads (CoverageMapping::loadFunctionRecord).
  std::vector<Instance> instances;
  std::set<std::pair<std::vector<std::string>, std::string>> provenance;
  std::vector<FileView> files;
  std::unordered_map<std::string, std::size_t> file_index;
  auto file_for = [&](const std::string& raw) {
    std::string path = std::filesystem::path(raw).lexically_normal().string();
    auto [it, inserted] = file_index.emplace(path, files.size());
    if (inserted) {
      files.emplace_back();
      files.back().path = path;
      files.back().kept = filter.keeps(path);
    }
    return it->second;
  };
  std::vector<std::int64_t> expr;
  std::vector<std::uint64_t> zeros;
  for (const auto& object : objects) {
    bool joins = false;
    for (const auto& f : object.functions)
      if (group_of.count({f.name_hash, f.func_hash})) joins = true;
    if (!joins) continue;  // its counters are another runtime's
    for (const auto& f : object.functions) {
      validate(f);
      if (f.regions.empty()) continue;
      Instance in;
      in.mapping = &f;
      auto g = group_of.find({f.name_hash, f.func_hash});
      const std::uint64_t* values = nullptr;
      if (g != group_of.end()) {
        in.group = g->second;
        in.counters = groups[g->second].count;
        values = groups[g->second].totals.data();
      } else if (known_name.count(f.name_hash)) {
        continue;  // the profile has the function with another hash: llvm-cov skips it
      } else {
        in.group = npos;
        in.counters = f.regions.size();
        zeros.assign(in.counters, 0);
        values = zeros.data();
      }
      if (f.regions.size() == 1 && f.regions[0].count.kind == Counter::Kind::zero && in.counters &&
          values[0] > 0)
        continue;  // a TU's placeholder for a function another TU emitted
      if (!counters_exist(f, in.counters)) continue;
      in.order = expression_order(f.expressions, "coverage mapping");
      evaluate(in, values, expr, in.totals, in.false_totals);
      std::string name = f.name.empty() ? hex(f.name_hash) : f.name;
      if (!f.files.empty() && name.size() > f.files[0].size() &&
          name.compare(0, f.files[0].size(), f.files[0]) == 0)
        name = name.substr(f.files[0].size() + 1);
      if (!provenance.emplace(f.files, name).second) continue;
      in.main = main_file(f);
      for (const auto& path : f.files) in.file_of.push_back(file_for(path));
      instances.push_back(std::move(in));
    }
  }

  // Each file's regions (all functions, all file ids naming it: getCoverageForFile), and
  // its lines: those mapped in a function's own view (getCoverageForFunction), as
  // llvm-cov's summary counts them.
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const auto& in = instances[i];
    const auto& f = *in.mapping;
    for (std::size_t r = 0; r < f.regions.size(); ++r)
      if (f.regions[r].kind != RegionKind::branch)
        files[in.file_of[f.regions[r].file_id]].members.emplace_back(i, r);
    if (!in.main) continue;
    auto& file = files[in.file_of[*in.main]];
    if (!file.kept) continue;
    if (!file.coverage) file.coverage = &record.files[file.path];
    std::vector<CountedRegion> own;
    for (std::size_t r = 0; r < f.regions.size(); ++r) {
      const auto& reg = f.regions[r];
      if (reg.file_id != *in.main || reg.kind == RegionKind::branch) continue;
      if (own.empty()) file.coverage->functions.emplace(reg.line_start, reg.line_end);
      own.push_back({{reg.line_start, reg.column_start},
                     {reg.line_end, reg.column_end},
                     reg.kind,
                     in.totals[r]});
    }
    for_each_line(segments_of(std::move(own)), [&](std::uint32_t line, bool mapped, std::uint64_t) {
      if (mapped) file.lines.insert(line);
    });
  }
  std::vector<const std::vector<std::uint64_t>*> counts(instances.size(), nullptr);
  for (std::size_t i = 0; i < instances.size(); ++i) counts[i] = &instances[i].totals;
  for (auto& file : files) {
    if (!file.coverage) continue;
    for (auto line : file.lines) file.coverage->lines[line];
    for_each_line(segments_of(regions_of(file, instances, counts)),
                  [&](std::uint32_t line, bool mapped, std::uint64_t count) {
                    auto it = file.coverage->lines.find(line);
                    if (mapped && it != file.coverage->lines.end()) it->second.hits = count;
                  });
  }

  // Branches: each function's, in its main file and the macros expanded there, the same
  // branch of several instantiations merged (counts added).
  struct BranchRef {
    BranchCoverage* taken = nullptr;
    BranchCoverage* not_taken = nullptr;
  };
  std::vector<std::vector<std::pair<std::size_t, BranchRef>>> branch_refs(instances.size());
  {
    struct Pending {
      std::size_t instance, region;
    };
    std::map<std::size_t, std::map<std::vector<std::uint32_t>, std::vector<Pending>>> by_file;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      const auto& in = instances[i];
      if (!in.main || !files[in.file_of[*in.main]].coverage) continue;
      std::vector<BranchSite> sites;
      std::vector<bool> visiting(in.mapping->files.size(), false);
      collect_branches(*in.mapping, *in.main, {}, visiting, sites);
      for (auto& s : sites) by_file[in.file_of[*in.main]][s.key].push_back({i, s.region});
    }
    for (auto& [file, sites] : by_file) {
      auto& cov = *files[file].coverage;
      std::uint32_t line = 0, index = 0;
      for (auto& [key, pending] : sites) {
        if (key[0] != line) {
          line = key[0];
          index = 0;
        }
        auto* t = &cov.branches[{line, index++}];
        auto* f = &cov.branches[{line, index++}];
        for (auto p : pending) {
          t->taken += instances[p.instance].totals[p.region];
          f->taken += instances[p.instance].false_totals[p.region];
          branch_refs[p.instance].push_back({p.region, {t, f}});
        }
      }
    }
  }

  // Each test: its counters alone, through the same figures.
  std::vector<std::size_t> by_offset(layout.functions.size());
  for (std::size_t i = 0; i < by_offset.size(); ++i) by_offset[i] = i;
  std::sort(by_offset.begin(), by_offset.end(), [&](auto a, auto b) {
    return layout.functions[a].offset < layout.functions[b].offset;
  });
  std::vector<std::vector<std::size_t>> instances_of_group(groups.size());
  for (std::size_t i = 0; i < instances.size(); ++i)
    if (instances[i].group != npos) instances_of_group[instances[i].group].push_back(i);
  std::vector<std::vector<std::uint64_t>> group_delta(groups.size());
  std::vector<std::vector<std::uint64_t>> instance_counts(instances.size()),
      instance_false(instances.size());
  std::vector<const std::vector<std::uint64_t>*> test_counts(instances.size(), nullptr);
  std::vector<std::size_t> touched_groups, touched_instances;
  std::set<std::size_t> touched_files;
  for (std::uint32_t t = 0; t < deltas.size() && t < record.tests.size(); ++t) {
    touched_groups.clear();
    std::size_t k = 0;
    for (auto [index, increase] : deltas[t]) {
      while (k < by_offset.size() &&
             layout.functions[by_offset[k]].offset + layout.functions[by_offset[k]].count <= index)
        ++k;
      if (k == by_offset.size()) break;
      const auto& fc = layout.functions[by_offset[k]];
      if (index < fc.offset) continue;
      auto g = record_group[by_offset[k]];
      if (g == npos) continue;
      auto& d = group_delta[g];
      if (d.empty()) {
        d.assign(groups[g].count, 0);
        touched_groups.push_back(g);
      }
      d[index - fc.offset] += increase;
    }
    touched_instances.clear();
    touched_files.clear();
    for (auto g : touched_groups)
      for (auto i : instances_of_group[g]) {
        auto& in = instances[i];
        evaluate(in, group_delta[g].data(), expr, instance_counts[i], instance_false[i]);
        test_counts[i] = &instance_counts[i];
        touched_instances.push_back(i);
        for (auto file : in.file_of) touched_files.insert(file);
        for (auto& [region, ref] : branch_refs[i]) {
          if (instance_counts[i][region] > 0) add_test(ref.taken->tests, t);
          if (instance_false[i][region] > 0) add_test(ref.not_taken->tests, t);
        }
      }
    for (auto fi : touched_files) {
      auto& file = files[fi];
      if (!file.coverage) continue;
      for_each_line(segments_of(regions_of(file, instances, test_counts)),
                    [&](std::uint32_t line, bool mapped, std::uint64_t count) {
                      if (!mapped || count == 0) return;
                      auto it = file.coverage->lines.find(line);
                      if (it != file.coverage->lines.end()) add_test(it->second.tests, t);
                    });
    }
    for (auto i : touched_instances) test_counts[i] = nullptr;
    for (auto g : touched_groups) group_delta[g].clear();
  }

  for (auto it = record.files.begin(); it != record.files.end();)
    it = it->second.lines.empty() && it->second.branches.empty() ? record.files.erase(it)
                                                                 : std::next(it);
  return record;
}

Record build_record(const Layout& layout, const std::vector<std::uint64_t>& totals,
                    std::vector<TestContext> tests, const std::vector<gcov::Delta>& deltas,
                    const gcov::Filter& filter) {
  return build_record(process_mappings(), layout, totals, std::move(tests), deltas, filter);
}

}  // namespace attest::coverage::llvm
