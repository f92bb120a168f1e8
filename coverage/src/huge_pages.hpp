// Memory for the large, short-lived structures of a --cov run (the notes' buffer, their
// graphs, the mapping), asked of the kernel in huge pages where it gives them: transparent
// huge pages on request ("madvise", as Debian's kernels have them). Reading a large binary's
// notes touches megabytes once; page by page (4 KiB, a fault each) that cost as much as the
// reading itself on machines where a fault costs microseconds (virtualised ones). Where the
// kernel refuses, the pages are small ones and nothing else changes.
#pragma once

#include <cstddef>
#include <memory_resource>
#include <vector>

namespace attest::coverage::detail {

/// Anonymous memory of at least `size` bytes, aligned to a huge page (2 MiB); its length is
/// rounded up to whole huge pages. std::bad_alloc when the kernel has none.
class HugePages {
 public:
  HugePages() = default;
  explicit HugePages(std::size_t size);
  HugePages(HugePages&& other) noexcept;
  HugePages& operator=(HugePages&& other) noexcept;
  ~HugePages();

  char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  static char* map(std::size_t& size);  // rounds size up
  static void unmap(char* p, std::size_t size);
  char* data_ = nullptr;
  std::size_t size_ = 0;
};

/// An arena for structures built once and dropped together: allocation is a pointer bump into
/// a large reservation of address space, freeing waits for the arena's end, and only the huge
/// pages actually written are ever backed (the standard monotonic resource puts each block's
/// bookkeeping at its end, which alone cost a huge page per block).
class Arena final : public std::pmr::memory_resource {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  std::pmr::memory_resource* resource() { return this; }
  /// Pages the caller is done with (a buffer whose bytes were read), given to the arena to
  /// allocate from first: pages already touched are reused rather than new ones zeroed.
  void adopt(HugePages pages) {
    spare_ = std::move(pages);
    spare_used_ = 0;
  }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void*, std::size_t, std::size_t) override {}
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
  std::vector<HugePages> regions_;
  std::size_t used_ = 0;  // of regions_.back()
  HugePages spare_;
  std::size_t spare_used_ = 0;
};

}  // namespace attest::coverage::detail
