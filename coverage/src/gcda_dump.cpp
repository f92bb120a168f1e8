#include "gcda_dump.hpp"

#include "libgcov.hpp"

#include <cstring>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <unistd.h>

namespace attest::coverage::internal {
namespace {

// (never destroyed: the handler at exit runs after static objects are gone)
struct State {
  std::mutex mutex;
  std::thread worker;
  pid_t by = 0;  // the process that started it, 0 before (a child forked since has no thread)
  std::vector<gcov_root_head*> roots;  // the roots it writes
};
State& state() {
  static auto* s = new State;
  return *s;
}

#if ATTEST_GCOV_DIRECT
// Each counter array of an object (every kind it counts, as gcc/libgcov's gcov_clear walks them).
template <typename F>
void for_each_counter_array(gcov_info_head* head, F&& f) {
  auto* info = reinterpret_cast<gcov_info*>(head);
  for (unsigned i = 0; i < info->n_functions; ++i) {
    const auto* fn = info->functions[i];
    if (!fn || fn->key != info) continue;
    const gcov_ctr_info* counters = fn->ctrs;
    for (unsigned kind = 0; kind < kGcovCounters; ++kind)
      if (info->merge[kind]) f(*counters++);
  }
}

void zero(gcov_info_head* object) {
  for_each_counter_array(object, [](const gcov_ctr_info& c) {
    std::memset(c.values, 0, sizeof(std::int64_t) * c.num);
  });
}

bool moved(gcov_info_head* object) {
  bool any = false;
  for_each_counter_array(object, [&](const gcov_ctr_info& c) {
    for (unsigned i = 0; i < c.num && !any; ++i) any = c.values[i] != 0;
  });
  return any;
}
#endif

void dump(const std::vector<gcov_root_head*>& roots) {
#if ATTEST_GCOV_DIRECT
  for (auto* root : roots) {
    __gcov_dump_one(root);
    for (auto* object = root->list; object; object = object->next) zero(object);
  }
#else
  (void)roots;
#endif
}

// At exit, after every static object's destructor and before libgcov's dump (its destructor
// has priority 100 and runs after this one): the objects counted again since the dump, written
// once more in one dump (not counted as another run).
__attribute__((destructor(101))) void write_what_ran_since() {
#if ATTEST_GCOV_DIRECT
  State& s = state();
  if (s.by != getpid()) return;
  wait_for_gcda_dump();
  std::vector<gcov_info_head*> objects;
  std::vector<gcov_info_head*> next;  // each object's link, restored afterwards
  for_each_root([&](gcov_root_head* root) {
    bool ours = false;
    for (const auto* r : s.roots) ours = ours || r == root;
    if (!ours) return;
    for (auto* object = root->list; object; object = object->next) {
      objects.push_back(object);
      next.push_back(object->next);
    }
  });
  gcov_root_head later{};
  later.run_counted = 1;  // (the run was counted by the first dump)
  gcov_info_head** tail = &later.list;
  for (auto* object : objects)
    if (moved(object)) {
      *tail = object;
      tail = &object->next;
    }
  *tail = nullptr;
  if (later.list) __gcov_dump_one(&later);
  for (std::size_t i = 0; i < objects.size(); ++i) objects[i]->next = next[i];
#endif
}

}  // namespace

bool start_gcda_dump() {
#if ATTEST_GCOV_DIRECT
  if (&__gcov_dump_one == nullptr) return false;
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (s.by) return false;
  for_each_root([&](gcov_root_head* root) {
    if (!root->dumped) s.roots.push_back(root);  // (one dumped already is left as libgcov left it)
  });
  s.by = getpid();
  try {
    s.worker = std::thread(dump, std::cref(s.roots));  // (not changed again: read by both)
  } catch (const std::system_error&) {
    dump(s.roots);  // (no thread to be had: here, then)
  }
  return true;
#else
  return false;
#endif
}

void wait_for_gcda_dump() {
  State& s = state();
  if (s.by != getpid()) return;  // (none started, or a child forked since: not its thread)
  std::lock_guard lock(s.mutex);
  if (s.worker.joinable()) s.worker.join();
}

}  // namespace attest::coverage::internal
