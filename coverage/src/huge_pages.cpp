#include "huge_pages.hpp"

#include <cstdint>
#include <new>
#include <utility>

#include <sys/mman.h>

namespace attest::coverage::detail {
namespace {
constexpr std::size_t huge_page = std::size_t{2} << 20;
}

char* HugePages::map(std::size_t& size) {
  size = (size + huge_page - 1) / huge_page * huge_page;
  // One huge page more than asked, then the ends cut off: the kernel backs only whole, aligned
  // huge pages, and mmap aligns to small ones.
  auto* p = static_cast<char*>(::mmap(nullptr, size + huge_page, PROT_READ | PROT_WRITE,
                                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
  if (p == MAP_FAILED) throw std::bad_alloc();
  auto* data = reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(p) + huge_page - 1) &
                                       ~(huge_page - 1));
  if (data != p) ::munmap(p, static_cast<std::size_t>(data - p));
  if (data + size != p + size + huge_page)
    ::munmap(data + size, static_cast<std::size_t>(p + size + huge_page - (data + size)));
#ifdef MADV_HUGEPAGE
  ::madvise(data, size, MADV_HUGEPAGE);  // a request: when refused, the pages are small
#endif
  return data;
}

void HugePages::unmap(char* p, std::size_t size) {
  if (p) ::munmap(p, size);
}

HugePages::HugePages(std::size_t size) : size_(size) { data_ = map(size_); }

HugePages::HugePages(HugePages&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

HugePages& HugePages::operator=(HugePages&& other) noexcept {
  if (this != &other) {
    unmap(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

HugePages::~HugePages() { unmap(data_, size_); }

void* Arena::do_allocate(std::size_t bytes, std::size_t alignment) {
  // Address space is reserved generously (never backed until written); a larger need gets a
  // region of its own.
  constexpr std::size_t region = std::size_t{64} << 20;
  if (alignment > huge_page) throw std::bad_alloc();
  if (spare_.data()) {
    std::size_t at = (spare_used_ + alignment - 1) / alignment * alignment;
    if (at <= spare_.size() && bytes <= spare_.size() - at) {
      spare_used_ = at + bytes;
      return spare_.data() + at;
    }
  }
  if (!regions_.empty()) {
    std::size_t at = (used_ + alignment - 1) / alignment * alignment;
    if (at <= regions_.back().size() && bytes <= regions_.back().size() - at) {
      used_ = at + bytes;
      return regions_.back().data() + at;
    }
  }
  regions_.emplace_back(std::max(bytes, region));
  used_ = bytes;
  return regions_.back().data();
}

}  // namespace attest::coverage::detail
