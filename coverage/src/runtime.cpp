#include <attest/coverage/runtime.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <span>

#include "gcda_dump.hpp"
#include "libgcov.hpp"

namespace attest::coverage {

using namespace internal;

namespace {

bool any_gcov_object() {
  bool any = false;
  for_each_gcov_object([&](const gcov_info_head*) { any = true; });
  return any;
}

struct Stream {
  std::string* bytes;  // grows, never shrinks: after the first test no snapshot allocates
  std::size_t used = 0;
  std::string filename;
  std::vector<std::unique_ptr<char[]>> allocations;
};

void on_filename(const char* name, void* arg) { static_cast<Stream*>(arg)->filename = name; }
// Called for every 4-byte word of the stream (millions per snapshot of a large binary):
// a store into room made ahead, not a std::string append per word.
void on_data(const void* data, unsigned size, void* arg) {
  auto& s = *static_cast<Stream*>(arg);
  if (s.used + size > s.bytes->size())
    s.bytes->resize(std::max<std::size_t>(2 * (s.used + size), 1 << 16));
  if (size == 4)
    std::memcpy(s.bytes->data() + s.used, data, 4);  // the common case: one store
  else
    std::memcpy(s.bytes->data() + s.used, data, size);
  s.used += size;
}
void* on_allocate(unsigned size, void* arg) {
  auto& list = static_cast<Stream*>(arg)->allocations;
  list.push_back(std::make_unique<char[]>(size));
  return list.back().get();
}

// Why this binary's GCC counters cannot be recorded (none, or no __gcov_info_to_gcda to
// stream them); empty when they can.
std::string gcov_missing() {
  if (!any_gcov_object())
    return "this binary carries no coverage counters: build it with attest_enable_coverage() or "
           "-DATTEST_COVERAGE=ON (GCC --coverage, Clang -fprofile-instr-generate "
           "-fcoverage-mapping)";
  if (&__gcov_info_to_gcda == nullptr)
    return "this binary has coverage counters but not libgcov's __gcov_info_to_gcda (GCC 12 or "
           "later, linked with -Wl,-u,__gcov_info_to_gcda as attest_enable_coverage() does)";
  return {};
}

}  // namespace

std::unique_ptr<Recorder> Recorder::create(const gcov::Filter& filter, std::string& why) {
  // Clang's source-based coverage: the profile runtime's counters, copied in place.
  std::string llvm_why;
  if (auto layout = llvm::process_layout(llvm_why)) {
    std::unique_ptr<Recorder> r(new Recorder);
    r->filter_ = filter;
    r->llvm_ = std::move(*layout);
    r->snapshot(r->before_, nullptr);
    return r;
  }
  if (auto missing = gcov_missing(); !missing.empty()) {
    why = !any_gcov_object() && llvm::runtime_linked() ? llvm_why  // Clang's runtime said why
                                                       : missing;
    return nullptr;
  }
  std::unique_ptr<Recorder> r(new Recorder);
  r->filter_ = filter;
  r->direct_ = r->learn_layout();
  if (!r->direct_) return r;  // each test serialised (begin_test, end_test)
  // The notes now rather than at the end: a test's counters are then compared only in the
  // functions that can reach a measured line (in attest's own unit suite a quarter of them; the
  // rest instantiate system headers' templates). Notes that cannot be read now are reported
  // by finish(), as when they are read there.
  try {
    r->mapping_.emplace(r->layout_, filter);
  } catch (const InputError&) {
  }
  r->find_runs();
  return r;
}

bool Recorder::prepare(const gcov::Filter& filter, std::string& summary) {
  if (llvm::runtime_linked()) {
    summary = "Clang's coverage mapping is read from the binary itself: nothing to prepare";
    return false;
  }
  if (auto missing = gcov_missing(); !missing.empty()) {
    summary = missing;
    return false;
  }
  Recorder r;
  r.learn_layout();
  gcov::keep_notes_parsed(r.layout_, filter);  // (the notes alone: no record to map them onto)
  summary = "the notes of " + std::to_string(r.layout_.objects.size()) +
            " objects kept parsed beside their .gcno files";
  return true;
}

// Each function one object counts (not the COMDAT copies counted in another object), in the
// order of its serialised stream: f(fn, arcs) with its arc counters (none when the object has
// no arc counters); false when this GCC's structures are not known (or not this GCC's: the
// stream's version is the object's, gcov_info.version, and must be `version`).
template <typename F>
bool for_each_function_of(const gcov_info_head* head, unsigned version, F&& f) {
#if ATTEST_GCOV_DIRECT
  const auto* info = reinterpret_cast<const gcov_info*>(head);
  if (!version || info->version != version) return false;
  for (unsigned f_index = 0; f_index < info->n_functions; ++f_index) {
    const auto* fn = info->functions[f_index];
    if (!fn || fn->key != info) continue;
    f(*fn, info->merge[0] ? std::span<const std::int64_t>(fn->ctrs[0].values, fn->ctrs[0].num)
                          : std::span<const std::int64_t>());
  }
  return true;
#else
  (void)head;
  (void)version;
  (void)f;
  return false;
#endif
}

// Every function's arc counters, object after object (the layout's order).
template <typename F>
bool for_each_arc_block(unsigned version, F&& f) {
  bool known = true;
  for_each_gcov_object([&](const gcov_info_head* head) {
    if (known)
      known = for_each_function_of(
          head, version, [&](const auto&, std::span<const std::int64_t> arcs) { f(arcs); });
  });
  return known;
}

// Appends arc counters to `values`.
struct Append {
  std::vector<std::uint64_t>& values;
  void operator()(std::span<const std::int64_t> arcs) const {
    values.insert(values.end(), arcs.begin(), arcs.end());
  }
};

// One object's layout read in place (its functions' identities and counter counts, from
// offset `offset` on); false when this GCC's structures are not known.
bool layout_in_place(const gcov_info_head* head, unsigned version, std::size_t& offset,
                     gcov::ObjectCounters& object) {
#if ATTEST_GCOV_DIRECT
  const auto* info = reinterpret_cast<const gcov_info*>(head);
  if (!info->filename) return false;
  object.gcda = info->filename;
  object.version = info->version;
  object.stamp = info->stamp;
#endif
  object.functions.clear();
#if ATTEST_GCOV_DIRECT
  // (sized once, not grown by doubling: twice the pages touched; only for structures of this
  // GCC, which for_each_function_of checks again)
  if (version && info->version == version && info->n_functions < (1u << 20))
    object.functions.reserve(info->n_functions);
#endif
  return for_each_function_of(head, version, [&](const auto& fn, auto arcs) {
    object.functions.push_back(
        {fn.ident, fn.lineno_checksum, fn.cfg_checksum, offset, arcs.size()});
    offset += arcs.size();
  });
}

// The layout is read in place (libgcov's structures of this GCC), which is cheap; it is trusted
// only where libgcov's own serialiser agrees, checked on a few objects spread over the binary
// (the structures are the compiler's, one layout for all objects of one GCC version): the same
// functions, counts, stamp and file, and counters that bracket the serialised ones (counters
// only grow, so read-in-place, serialise, read-in-place must give first <= serialised <= last,
// value by value; equality cannot be asked: the measuring code may itself be instrumented).
// Serialising every object was most of a start-up. When the check fails, the layout is the
// serialiser's and each test is serialised (slow, right).
bool Recorder::learn_layout() {
  unsigned version = 0;
  std::vector<const gcov_info_head*> objects;
  for_each_gcov_object([&](const gcov_info_head* head) {
    if (!version) version = head->version;
    objects.push_back(head);
  });
  bool direct = true;
  std::size_t offset = 0;
  layout_.objects.resize(objects.size());
  std::vector<std::size_t> with_counters;
  for (std::size_t i = 0; i < objects.size() && direct; ++i) {
    std::size_t start = offset;
    direct = layout_in_place(objects[i], version, offset, layout_.objects[i]);
    if (offset > start) with_counters.push_back(i);
  }
  layout_.size = offset;
  if (direct && offset > UINT32_MAX) direct = false;  // (a delta indexes counters with 32 bits)
  std::vector<std::size_t> checked;
  if (!with_counters.empty())
    for (std::size_t k = 0; k < 4; ++k)
      checked.push_back(with_counters[k * (with_counters.size() - 1) / 3]);
  checked.erase(std::unique(checked.begin(), checked.end()), checked.end());
  std::vector<std::uint64_t> first, serialised, last;
  auto read_object = [&](const gcov_info_head* head, std::vector<std::uint64_t>& values) {
    values.clear();
    Append append{values};
    return for_each_function_of(
        head, version, [&](const auto&, std::span<const std::int64_t> arcs) { append(arcs); });
  };
  for (std::size_t i : checked) {
    if (!direct) break;
    direct = read_object(objects[i], first);
    Stream stream{&buffer_, 0, {}, {}};
    __gcov_info_to_gcda(objects[i], on_filename, on_data, on_allocate, &stream);
    gcov::Layout theirs;
    theirs.size = layout_.objects[i].functions.empty() ? 0 : layout_.objects[i].functions[0].offset;
    serialised.clear();
    gcov::read_gcda(std::string_view(buffer_.data(), stream.used), stream.filename, &theirs,
                    serialised);
    const auto& mine = layout_.objects[i];
    direct = direct && read_object(objects[i], last) && theirs.objects.size() == 1 &&
             theirs.objects[0].gcda == mine.gcda && theirs.objects[0].version == mine.version &&
             theirs.objects[0].stamp == mine.stamp &&
             theirs.objects[0].functions.size() == mine.functions.size() &&
             first.size() == serialised.size() && last.size() == serialised.size();
    for (std::size_t f = 0; direct && f < mine.functions.size(); ++f) {
      const auto &x = mine.functions[f], &y = theirs.objects[0].functions[f];
      direct = x.ident == y.ident && x.lineno_checksum == y.lineno_checksum &&
               x.cfg_checksum == y.cfg_checksum && x.offset == y.offset && x.count == y.count;
    }
    for (std::size_t v = 0; direct && v < serialised.size(); ++v)
      direct = first[v] <= serialised[v] && serialised[v] <= last[v];
  }
  if (!direct) {  // the serialiser's layout, for tests serialised one by one
    layout_ = {};
    std::vector<std::uint64_t> values;
    snapshot(values, &layout_);
  }
  return direct;
}

bool Recorder::read_directly(std::vector<std::uint64_t>& values) const {
  values.clear();
  values.reserve(layout_.size);
  return for_each_arc_block(layout_version(), Append{values}) && values.size() == layout_.size;
}

void Recorder::snapshot(std::vector<std::uint64_t>& values, gcov::Layout* layout) {
  if (llvm_) {
    llvm::read_counters(*llvm_, values);
    return;
  }
  if (direct_ && !layout && read_directly(values)) return;
  values.clear();
  if (!layout) values.reserve(layout_.size);
  for_each_gcov_object([&](const gcov_info_head* info) {
    Stream stream{&buffer_, 0, {}, {}};
    __gcov_info_to_gcda(info, on_filename, on_data, on_allocate, &stream);
    gcov::read_gcda(std::string_view(buffer_.data(), stream.used), stream.filename, layout, values);
  });
}

// GCC lays each object's per-function counter arrays out one after the other: a large binary's
// ~20,000 arrays form a few hundred runs in memory, copied and compared at memory speed, where
// function by function the calls cost more than the copying. The layout's order (object,
// function) is not memory's: each counter's layout index is kept to translate a test's delta.
void Recorder::find_runs() {
  struct Block {
    const std::int64_t* values;
    std::size_t count, offset;
  };
  std::vector<Block> blocks;
  std::size_t offset = 0;
  const auto* measured = mapping_ ? &mapping_->measured() : nullptr;
  std::size_t next = 0;  // into *measured: both ascend by offset
  for_each_arc_block(layout_version(), [&](std::span<const std::int64_t> arcs) {
    const std::int64_t* v = arcs.data();
    std::size_t n = arcs.size();
    bool wanted = true;
    if (measured) {
      while (next < measured->size() && (*measured)[next] < offset) ++next;
      wanted = next < measured->size() && (*measured)[next] == offset;
    }
    if (n && wanted) blocks.push_back({v, n, offset});
    offset += n;
  });
  if (offset != layout_.size || offset > UINT32_MAX) return;
  std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) {
    return std::less<const std::int64_t*>()(a.values, b.values);
  });
  std::vector<Run> runs;
  std::vector<std::uint32_t> index;
  std::vector<std::pair<std::size_t, std::size_t>> starts;
  index.reserve(offset);
  starts.reserve(blocks.size());
  for (const auto& b : blocks) {
    starts.emplace_back(b.offset, index.size());
    if (!runs.empty()) {
      const auto* end = runs.back().values + runs.back().count;
      if (std::less<const std::int64_t*>()(b.values, end)) return;  // overlapping: not ours
      if (b.values == end) {
        runs.back().count += b.count;
      } else {
        runs.push_back({b.values, b.count});
      }
    } else {
      runs.push_back({b.values, b.count});
    }
    for (std::size_t k = 0; k < b.count; ++k)
      index.push_back(static_cast<std::uint32_t>(b.offset + k));
  }
  runs_ = std::move(runs);
  layout_index_ = std::move(index);
  std::sort(starts.begin(), starts.end());
  function_starts_ = std::move(starts);
}

ATTEST_COVERAGE_UNMEASURED void Recorder::copy_runs(std::vector<std::uint64_t>& values) const {
  values.resize(layout_index_.size());
  std::size_t at = 0;
  for (const auto& run : runs_) {
    std::memcpy(values.data() + at, run.values, run.count * sizeof(std::uint64_t));
    at += run.count;
  }
}

ATTEST_COVERAGE_UNMEASURED void Recorder::begin_test() {
  if (runs_.empty()) {
    snapshot(before_, nullptr);
    return;
  }
  copy_runs(before_);
}

ATTEST_COVERAGE_UNMEASURED void Recorder::end_test(TestContext context) {
  tests_.push_back(std::move(context));
  gcov::Delta delta;
  std::size_t at = 0;
  bool read = false;
  if (llvm_) {
    gcov::add_growth(llvm::live_counters(), llvm_->size, before_, at, delta);
    read = true;
  } else if (!runs_.empty()) {
    for (const auto& run : runs_) gcov::add_growth(run.values, run.count, before_, at, delta);
    for (auto& [index, growth] : delta) index = layout_index_[index];
    std::sort(delta.begin(), delta.end());
    read = true;
  } else if (direct_) {
    read = for_each_arc_block(layout_version(),
                              [&](std::span<const std::int64_t> arcs) {
                                gcov::add_growth(arcs.data(), arcs.size(), before_, at, delta);
                              }) &&
           at == layout_.size;
    if (!read) delta.clear();
  }
  if (!read) {  // the serialiser: a snapshot, then the difference
    snapshot(after_, nullptr);
    delta = gcov::difference(before_, after_);
  }
  deltas_.push_back(std::move(delta));
}

Recorder::~Recorder() = default;

Record Recorder::finish() {
  if (mapping_ && !runs_.empty()) {
    // The measured functions' counters alone, where the tests' were copied (the memory of a
    // whole snapshot is as many pages more to fault in, for counters the mapping never reads).
    copy_runs(before_);
    // The .gcda files: attest's to write at exit (gcda_dump.hpp).
    if (direct_) write_gcda_at_exit();
    return mapping_->build(
        [&](std::size_t offset) {
          auto it = std::lower_bound(function_starts_.begin(), function_starts_.end(),
                                     std::pair<std::size_t, std::size_t>{offset, 0});
          return it != function_starts_.end() && it->first == offset
                     ? before_.data() + it->second
                     : nullptr;  // (a function without counters)
        },
        std::move(tests_), deltas_);
  }
  snapshot(after_, nullptr);
  if (llvm_) return llvm::build_record(*llvm_, after_, std::move(tests_), deltas_, filter_);
  if (mapping_) return mapping_->build(after_, std::move(tests_), deltas_);
  return gcov::build_record(layout_, after_, std::move(tests_), deltas_, filter_);
}

}  // namespace attest::coverage
