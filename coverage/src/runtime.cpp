#include <attest/coverage/runtime.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

// libgcov's interface, weak so that a binary built without coverage links and says why
// --cov cannot work. __gcov_root (the list of this executable's objects) has hidden
// visibility but links statically like any symbol; attest_enable_coverage() asks the
// linker for __gcov_info_to_gcda, which nothing else would pull from libgcov.a.
namespace {
struct gcov_info_head {
  unsigned version;
  gcov_info_head* next;
};
struct gcov_root_head {
  gcov_info_head* list;
};

// GCC 12's libgcov structures (gcc/libgcov.h), private to each GCC version: read only when
// this is GCC 12 and the objects say they are GCC 12's, and used only after a snapshot read
// this way equals libgcov's own serialisation of the same counters (Recorder::create).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#define ATTEST_GCOV_DIRECT 1
constexpr unsigned kGcovCounters = 8;  // arcs, interval, pow2, topn, indirect, average, ior, time
struct gcov_ctr_info {
  unsigned num;
  std::int64_t* values;
};
struct gcov_fn_info;
struct gcov_info {
  unsigned version;
  gcov_info* next;
  unsigned stamp;
  unsigned checksum;
  const char* filename;
  void (*merge[kGcovCounters])(std::int64_t*, unsigned);
  unsigned n_functions;
  const gcov_fn_info* const* functions;
};
struct gcov_fn_info {
  const gcov_info* key;
  unsigned ident, lineno_checksum, cfg_checksum;
  gcov_ctr_info ctrs[1];
};
#else
#define ATTEST_GCOV_DIRECT 0
#endif
}  // namespace

extern "C" {
extern gcov_root_head __gcov_root __attribute__((weak));
void __gcov_info_to_gcda(const void* info, void (*filename_fn)(const char*, void*),
                         void (*dump_fn)(const void*, unsigned, void*),
                         void* (*allocate_fn)(unsigned, void*), void* arg) __attribute__((weak));
}

namespace attest::coverage {
namespace {

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

}  // namespace

std::unique_ptr<Recorder> Recorder::create(std::string& why) {
  // Clang's source-based coverage: the profile runtime's counters, copied in place.
  std::string llvm_why;
  if (auto layout = llvm::process_layout(llvm_why)) {
    std::unique_ptr<Recorder> r(new Recorder);
    r->llvm_ = std::move(*layout);
    r->snapshot(r->before_, nullptr);
    return r;
  }
  // The same trap with GCC: libgcov linked in (attest_enable_coverage() asks for
  // __gcov_info_to_gcda) but no object of the executable itself instrumented — every shared
  // library keeps its own, hidden list of objects.
  const char* shared_library =
      "code in a shared library is not measured (each keeps its own coverage runtime); build the "
      "code under test as a static library or into the test executable";
  if (&__gcov_root == nullptr || __gcov_root.list == nullptr) {
    if (llvm::runtime_linked())
      why = llvm_why;  // Clang's runtime said why
    else if (&__gcov_info_to_gcda != nullptr)
      why = std::string(
                "libgcov is linked in but the executable holds no instrumented code of "
                "its own: ") +
            shared_library;
    else
      why =
          "this binary carries no coverage counters: build it with attest_enable_coverage() or "
          "-DATTEST_COVERAGE=ON (GCC --coverage, Clang -fprofile-instr-generate "
          "-fcoverage-mapping)";
    return nullptr;
  }
  if (&__gcov_info_to_gcda == nullptr) {
    why =
        "this binary has coverage counters but not libgcov's __gcov_info_to_gcda (GCC 12 or "
        "later, linked with -Wl,-u,__gcov_info_to_gcda as attest_enable_coverage() does)";
    return nullptr;
  }
  std::unique_ptr<Recorder> r(new Recorder);
  r->snapshot(r->before_, &r->layout_);
  // Reading the counters in place is far cheaper than serialising every object twice per
  // test; it is trusted only when it brackets what the serialiser wrote: counters only grow,
  // so read-in-place, serialise, read-in-place must give first <= serialised <= last, value by
  // value (equality cannot be asked: the measuring code may itself be instrumented).
  std::vector<std::uint64_t> first, serialised, last;
  if (r->read_directly(first)) {
    r->snapshot(serialised, nullptr);
    if (r->read_directly(last) && first.size() == serialised.size() &&
        last.size() == serialised.size()) {
      bool bracketed = true;
      for (std::size_t i = 0; i < serialised.size() && bracketed; ++i)
        bracketed = first[i] <= serialised[i] && serialised[i] <= last[i];
      r->direct_ = bracketed;
    }
  }
  return r;
}

// Every function's arc counters, in the order of the serialised stream: f(values, count) per
// function; false when this GCC's structures are not known (or not this GCC's).
template <typename F>
bool for_each_arc_block(const gcov::Layout& layout, F&& f) {
#if ATTEST_GCOV_DIRECT
  for (auto* head = __gcov_root.list; head; head = head->next) {
    const auto* info = reinterpret_cast<const gcov_info*>(head);
    // The stream's version is the objects' (gcov_info.version): they must be this GCC's.
    if (layout.objects.empty() || info->version != layout.objects.front().version) return false;
    if (!info->merge[0]) continue;  // no arc counters: nothing streamed either
    for (unsigned f_index = 0; f_index < info->n_functions; ++f_index) {
      const auto* fn = info->functions[f_index];
      if (!fn || fn->key != info) continue;  // a COMDAT copy counted in another object
      f(fn->ctrs[0].values, fn->ctrs[0].num);
    }
  }
  return true;
#else
  (void)layout;
  (void)f;
  return false;
#endif
}

bool Recorder::read_directly(std::vector<std::uint64_t>& values) const {
  values.clear();
  values.reserve(layout_.size);
  bool known = for_each_arc_block(
      layout_, [&](const std::int64_t* v, unsigned n) { values.insert(values.end(), v, v + n); });
  return known && values.size() == layout_.size;
}

// What grew since `before`, read from the live counters in the same pass (no copy of them).
// Counters are signed in libgcov and unsigned in the profile runtime; both only grow.
template <typename Counter>
void add_growth(const Counter* live, std::size_t n, const std::vector<std::uint64_t>& before,
                std::size_t& at, gcov::Delta& delta) {
  for (std::size_t i = 0; i < n && at < before.size(); ++i, ++at) {
    auto now = static_cast<std::uint64_t>(live[i]);
    if (now > before[at]) delta.emplace_back(static_cast<std::uint32_t>(at), now - before[at]);
  }
}

void Recorder::snapshot(std::vector<std::uint64_t>& values, gcov::Layout* layout) {
  if (llvm_) {
    llvm::read_counters(*llvm_, values);
    return;
  }
  if (direct_ && !layout && read_directly(values)) return;
  values.clear();
  if (!layout) values.reserve(layout_.size);
  for (auto* info = __gcov_root.list; info; info = info->next) {
    Stream stream{&buffer_, 0, {}, {}};
    __gcov_info_to_gcda(info, on_filename, on_data, on_allocate, &stream);
    gcov::read_gcda(std::string_view(buffer_.data(), stream.used), stream.filename, layout, values);
  }
}

void Recorder::begin_test() { snapshot(before_, nullptr); }

void Recorder::end_test(TestContext context) {
  tests_.push_back(std::move(context));
  gcov::Delta delta;
  std::size_t at = 0;
  bool read = false;
  if (llvm_) {
    add_growth(llvm::live_counters(), llvm_->size, before_, at, delta);
    read = true;
  } else if (direct_) {
    read = for_each_arc_block(layout_, [&](const std::int64_t* v,
                                           unsigned n) { add_growth(v, n, before_, at, delta); }) &&
           at == layout_.size;
    if (!read) delta.clear();
  }
  if (!read) {  // the serialiser: a snapshot, then the difference
    snapshot(after_, nullptr);
    delta = gcov::difference(before_, after_);
  }
  deltas_.push_back(std::move(delta));
}

Record Recorder::finish(const gcov::Filter& filter) {
  snapshot(after_, nullptr);
  if (llvm_) return llvm::build_record(*llvm_, after_, std::move(tests_), deltas_, filter);
  return gcov::build_record(layout_, after_, std::move(tests_), deltas_, filter);
}

}  // namespace attest::coverage
