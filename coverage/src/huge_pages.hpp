// Memory for the large, short-lived structures of a --cov run (the notes' buffer, their
// graphs, the mapping), asked of the kernel in huge pages where it gives them: transparent
// huge pages on request ("madvise", as Debian's kernels have them). Reading a large binary's
// notes touches megabytes once; page by page (4 KiB, a fault each) that cost as much as the
// reading itself on machines where a fault costs microseconds (virtualised ones). Where the
// kernel refuses, the pages are small ones and nothing else changes.
#pragma once

#include <cstddef>
#include <memory_resource>

namespace attest::coverage::detail {

/// Anonymous memory of at least `size` bytes, aligned to a huge page (2 MiB); its length is
/// rounded up to whole huge pages. std::bad_alloc when the kernel has none.
class HugePages {
 public:
  /// The mapping alone, for owners of their own (HugePageResource): unmap(p, size) frees it.
  static char* map(std::size_t& size);
  static void unmap(char* p, std::size_t size);

  HugePages() = default;
  explicit HugePages(std::size_t size);
  HugePages(HugePages&& other) noexcept;
  HugePages& operator=(HugePages&& other) noexcept;
  ~HugePages();

  char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
};

/// A memory resource handing out HugePages: the upstream of a monotonic arena (see arena()).
class HugePageResource final : public std::pmr::memory_resource {
 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

/// An arena for structures built once and dropped together: allocation is a pointer bump,
/// freeing waits for the arena's end, its memory comes in huge pages.
class Arena {
 public:
  Arena() : arena_(std::size_t{2} << 20, &upstream_) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  std::pmr::memory_resource* resource() { return &arena_; }

 private:
  HugePageResource upstream_;
  std::pmr::monotonic_buffer_resource arena_;
};

}  // namespace attest::coverage::detail
