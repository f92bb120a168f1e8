// libgcov's structures and entry points as attest reads them (GCC's gcc/libgcov.h, private to
// each GCC version): the list of a process's objects with counters, and — for GCC 12, whose
// layout is known — each object's functions and their counters.
#pragma once

#include <cstdint>

namespace attest::coverage::internal {

// libgcov's interface, weak so that a binary built without coverage links and says why
// --cov cannot work. __gcov_root (the list of this executable's objects) has hidden
// visibility but links statically like any symbol; attest_enable_coverage() asks the
// linker for __gcov_info_to_gcda, which nothing else would pull from libgcov.a.
// Every shared library built with --coverage keeps a root of its own (libgcov is linked into
// each); libgcov chains all of a process's roots on __gcov_master, a default-visibility symbol
// that resolves to one definition, so that a dump can reach them all — and so can attest.
struct gcov_info_head {
  unsigned version;
  gcov_info_head* next;
};
struct gcov_root_head {  // gcc/libgcov.h's struct gcov_root (GCC 5 and later)
  gcov_info_head* list;
  unsigned dumped : 1;
  unsigned run_counted : 1;
  gcov_root_head* next;
  gcov_root_head* prev;
};
struct gcov_master_head {  // struct gcov_master
  unsigned version;
  gcov_root_head* root;
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
extern "C" {
extern gcov_root_head __gcov_root __attribute__((weak));
extern gcov_master_head __gcov_master __attribute__((weak));
void __gcov_info_to_gcda(const void* info, void (*filename_fn)(const char*, void*),
                         void (*dump_fn)(const void*, unsigned, void*),
                         void* (*allocate_fn)(unsigned, void*), void* arg) __attribute__((weak));
// Writes (merges into) the .gcda files of one root's objects, once: `dumped` is set, and the
// dump libgcov makes at exit skips a root that has it. Hidden, like __gcov_root, but linked
// with it: it is the dump at exit.
void __gcov_dump_one(gcov_root_head* root) __attribute__((weak));
}

// Every root of the process: each that libgcov chained on __gcov_master (the executable's and
// each shared library's), else the executable's own.
template <typename F>
inline void for_each_root(F&& f) {
  if (&__gcov_master != nullptr && __gcov_master.root) {
    for (auto* root = __gcov_master.root; root; root = root->next) f(root);
  } else if (&__gcov_root != nullptr) {
    f(&__gcov_root);
  }
}

// Every object of the process with coverage counters, root after root.
template <typename F>
inline void for_each_gcov_object(F&& f) {
  for_each_root([&](gcov_root_head* root) {
    for (auto* info = root->list; info; info = info->next) f(info);
  });
}

}  // namespace attest::coverage::internal
