#include "gcda_dump.hpp"

#include "gcov_format.hpp"

#include <attest/coverage/gcov.hpp>
#include "libgcov.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace attest::coverage::internal {
namespace {

pid_t armed_by = 0;  // the process that asked (a child forked since leaves its files to libgcov)

#if ATTEST_GCOV_DIRECT
using gcov::internal::gcda_magic;
using gcov::internal::tag_arc_counters;
using gcov::internal::tag_function;
constexpr std::uint32_t tag_object_summary = 0xa1000000;
constexpr std::uint32_t function_length = 12;  // ident, lineno and cfg checksums

// The words of a file as libgcov's gcov_read_unsigned gives them: 0 past the end, which
// marks the reading bad (gcov_is_error).
class Words {
 public:
  ATTEST_COVERAGE_UNMEASURED explicit Words(std::string_view bytes) : bytes_(bytes) {}
  ATTEST_COVERAGE_UNMEASURED std::uint32_t next() {
    std::uint32_t v = 0;
    if (pos_ + 4 > bytes_.size()) {
      ok_ = false;
      return 0;
    }
    std::memcpy(&v, bytes_.data() + pos_, 4);
    pos_ += 4;
    return v;
  }
  // `n` counters (two words each, low first), nullptr when the file ends before them.
  ATTEST_COVERAGE_UNMEASURED const char* counters(std::size_t n) {
    if (n > (bytes_.size() - pos_) / 8) {
      ok_ = false;
      return nullptr;
    }
    const char* p = bytes_.data() + pos_;
    pos_ += 8 * n;
    return p;
  }
  ATTEST_COVERAGE_UNMEASURED bool ok() const { return ok_; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

ATTEST_COVERAGE_UNMEASURED void put(std::string& out, std::uint32_t word) {
  out.append(reinterpret_cast<char*>(&word), 4);
}

ATTEST_COVERAGE_UNMEASURED std::int64_t counter_at(const char* p, std::size_t i) {
  std::int64_t v;  // (low word, then high: the little-endian layout of the 64-bit value)
  std::memcpy(&v, p + 8 * i, 8);
  return v;
}

// A function record of the file kept for a function this object does not own (another
// program's copy of a COMDAT function): written back as read, as libgcov buffers it.
struct Kept {
  unsigned index;
  std::uint32_t ident, lineno_checksum, cfg_checksum;
  const char* values;  // into the file's bytes
  std::size_t count;
};

// The counters and their record, as write_one_data streams them: none when all are zero.
template <typename At>
ATTEST_COVERAGE_UNMEASURED void put_counters(std::string& out, std::size_t n, At&& at) {
  put(out, tag_arc_counters);
  bool zero = true;
  for (std::size_t i = 0; i < n && zero; ++i) zero = at(i) == 0;
  if (zero) {
    put(out, static_cast<std::uint32_t>(0u - 8u * static_cast<std::uint32_t>(n)));
    return;
  }
  put(out, static_cast<std::uint32_t>(8 * n));
  std::size_t at_byte = out.size();
  out.resize(at_byte + 8 * n);
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t v = at(i);
    std::memcpy(out.data() + at_byte + 8 * i, &v, 8);
  }
}

// The bytes libgcov's dump_one_gcov writes for `info` over a file holding `existing` (empty:
// no file yet), into `out`; false where libgcov would not merge it as below (then its dump
// is asked to: its messages and its choices for such files are kept). Every function of
// `info` is there (ours() checked it, as libgcov's dump assumes).
ATTEST_COVERAGE_UNMEASURED bool merge(const gcov_info* info, std::string_view existing,
                                      bool run_counted, std::int64_t run_max, std::string& out) {
  std::uint32_t runs = 0, sum_max = 0;
  std::vector<const char*> theirs(info->n_functions, nullptr);  // a function's file counters
  std::vector<Kept> kept;
  Words in(existing);
  if (std::uint32_t magic = in.next(); magic) {  // (an empty file, or a zero word: new data)
    if (magic != gcda_magic || in.next() != info->version) return false;
    in.next();                                      // the stamp (libgcov skips it)
    if (in.next() != info->checksum) return false;  // another compilation's: libgcov overwrites
    if (in.next() != tag_object_summary || in.next() != 8) return false;
    runs = in.next();
    sum_max = in.next();
    std::uint32_t tag = in.next();
    for (unsigned f = 0; f < info->n_functions; ++f, tag = in.next()) {
      if (tag != tag_function) return false;
      std::uint32_t length = in.next();
      if (length == 0) continue;  // not in the program that wrote the file
      if (length != function_length) return false;
      const gcov_fn_info* fn = info->functions[f];
      std::uint32_t ident = in.next(), lineno = in.next(), cfg = in.next();
      if (in.next() != tag_arc_counters) return false;
      auto counted = static_cast<std::int32_t>(in.next());
      if (fn->key != info) {
        // (libgcov buffers it; an all-zero one it cannot read back: left to it)
        if (counted < 0) return false;
        auto n = static_cast<std::size_t>(counted) / 8;
        kept.push_back({f, ident, lineno, cfg, in.counters(n), n});
      } else {
        if (ident != fn->ident || lineno != fn->lineno_checksum || cfg != fn->cfg_checksum)
          return false;
        std::uint32_t magnitude =
            counted < 0 ? 0u - static_cast<std::uint32_t>(counted) : std::uint32_t(counted);
        if (magnitude != 8 * fn->ctrs[0].num) return false;
        if (counted > 0) theirs[f] = in.counters(fn->ctrs[0].num);
      }
      if (!in.ok()) return false;
    }
    if (tag != 0 || !in.ok()) return false;
  }
  if (!run_counted) {
    ++runs;
    sum_max = static_cast<std::uint32_t>(sum_max + static_cast<std::uint64_t>(run_max));
  }
  out.clear();
  for (std::uint32_t word : {gcda_magic, info->version, info->stamp, info->checksum,
                             tag_object_summary, 8u, runs, sum_max})
    put(out, word);
  auto next_kept = kept.begin();
  for (unsigned f = 0; f < info->n_functions; ++f) {
    put(out, tag_function);
    if (next_kept != kept.end() && next_kept->index == f) {
      const Kept& k = *next_kept++;
      for (std::uint32_t word : {function_length, k.ident, k.lineno_checksum, k.cfg_checksum})
        put(out, word);
      put_counters(out, k.count, [&](std::size_t i) ATTEST_COVERAGE_UNMEASURED {
        return counter_at(k.values, i);
      });
      continue;
    }
    const gcov_fn_info* fn = info->functions[f];
    if (fn->key != info) {
      put(out, 0);
      continue;
    }
    for (std::uint32_t word : {function_length, fn->ident, fn->lineno_checksum, fn->cfg_checksum})
      put(out, word);
    const std::int64_t* ours = fn->ctrs[0].values;
    if (const char* file = theirs[f])
      put_counters(out, fn->ctrs[0].num, [&](std::size_t i) ATTEST_COVERAGE_UNMEASURED {
        return ours[i] + counter_at(file, i);
      });
    else
      put_counters(out, fn->ctrs[0].num,
                   [&](std::size_t i) ATTEST_COVERAGE_UNMEASURED { return ours[i]; });
  }
  put(out, 0);
  return true;
}

// All of a file's bytes from the start.
ATTEST_COVERAGE_UNMEASURED bool read_whole(int fd, std::string& bytes) {
  bytes.clear();
  char chunk[1 << 16];
  for (;;) {
    auto n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    bytes.append(chunk, static_cast<std::size_t>(n));
  }
}

ATTEST_COVERAGE_UNMEASURED bool write_whole(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// One object's file, as libgcov opens it (created 0666 less the umask, locked for writing
// while read, merged and written: another process of this build may be writing it too).
// False, with nothing written, when it is libgcov's to write.
ATTEST_COVERAGE_UNMEASURED bool write_object(const gcov_info* info, bool run_counted,
                                             std::int64_t run_max, std::string& existing,
                                             std::string& out) {
  if (!info->filename || std::strchr(info->filename, '%')) return false;  // (libgcov's patterns)
  int fd = ::open(info->filename, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return false;  // (a directory to create: libgcov's)
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  while (::fcntl(fd, F_SETLKW, &lock) != 0 && errno == EINTR) {
  }
  bool ours = read_whole(fd, existing) && merge(info, existing, run_counted, run_max, out);
  if (ours && !write_whole(fd, out))
    std::fprintf(stderr, "attest: cannot write the coverage data %s: %s\n", info->filename,
                 std::strerror(errno));
  ::close(fd);  // (the lock goes with it)
  return ours;
}

// A root's objects written as __gcov_dump_one would write them; those attest leaves to
// libgcov are dumped by it as one list (sharing the root's run count).
ATTEST_COVERAGE_UNMEASURED void write_root(gcov_root_head* root, std::string& existing,
                                           std::string& out) {
  // (libgcov's run_max: the largest arc counter of the root's objects, shared ones included)
  std::int64_t run_max = 0;
  for (auto* head = root->list; head; head = head->next) {
    const auto* info = reinterpret_cast<const gcov_info*>(head);
    for (unsigned f = 0; f < info->n_functions; ++f) {
      const gcov_fn_info* fn = info->functions[f];
      for (unsigned i = 0; i < fn->ctrs[0].num; ++i)
        run_max = std::max(run_max, fn->ctrs[0].values[i]);
    }
  }
  std::vector<gcov_info_head*> objects, theirs;
  for (auto* head = root->list; head; head = head->next) objects.push_back(head);
  for (auto* head : objects)
    if (!write_object(reinterpret_cast<const gcov_info*>(head), root->run_counted, run_max,
                      existing, out))
      theirs.push_back(head);
  if (!theirs.empty()) {
    gcov_root_head rest{};
    rest.run_counted = root->run_counted;
    gcov_info_head** tail = &rest.list;
    for (auto* head : theirs) {
      *tail = head;
      tail = &head->next;
    }
    *tail = nullptr;
    __gcov_dump_one(&rest);
    for (std::size_t i = 0; i + 1 < objects.size(); ++i) objects[i]->next = objects[i + 1];
    objects.back()->next = nullptr;
  }
  root->dumped = 1;
  root->run_counted = 1;
}

// Whether attest can write a root's objects: GCC 12's, counting arcs alone (no value
// profiling), every function of theirs there to read (libgcov reads them all).
ATTEST_COVERAGE_UNMEASURED bool ours(const gcov_root_head* root, unsigned version) {
  for (const auto* head = root->list; head; head = head->next) {
    const auto* info = reinterpret_cast<const gcov_info*>(head);
    if (info->version != version || !info->merge[0]) return false;
    for (unsigned kind = 1; kind < kGcovCounters; ++kind)
      if (info->merge[kind]) return false;
    for (unsigned f = 0; f < info->n_functions; ++f)
      if (!info->functions[f]) return false;
  }
  return true;
}

// At exit, after every static object's destructor and before libgcov's dump (its destructor
// has priority 100 and runs after this one).
__attribute__((destructor(101))) ATTEST_COVERAGE_UNMEASURED void write_at_exit() {
  if (armed_by == 0 || armed_by != getpid()) return;
  // (where the files go elsewhere, libgcov knows how)
  bool relocated = std::getenv("GCOV_PREFIX") || std::getenv("GCOV_PREFIX_STRIP");
  unsigned version = &__gcov_master != nullptr ? __gcov_master.version : 0;
  std::string existing, out;
  for_each_root([&](gcov_root_head* root) ATTEST_COVERAGE_UNMEASURED {
    if (root->dumped || !root->list) return;
    unsigned v = version ? version : root->list->version;
    if (relocated || !ours(root, v))
      __gcov_dump_one(root);
    else
      write_root(root, existing, out);
  });
}
#endif

}  // namespace

bool write_gcda_at_exit() {
#if ATTEST_GCOV_DIRECT
  if (&__gcov_dump_one == nullptr) return false;
  armed_by = getpid();
  return true;
#else
  return false;
#endif
}

}  // namespace attest::coverage::internal
