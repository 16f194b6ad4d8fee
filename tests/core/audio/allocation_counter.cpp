#include "tests/core/audio/allocation_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::size_t> g_allocations{0};
std::atomic<std::size_t> g_releases{0};

void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  g_releases.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}

void* counted_allocation(std::size_t n) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}

void* counted_aligned_allocation(std::size_t n, std::align_val_t align) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  const auto a = static_cast<std::size_t>(align);
  return std::aligned_alloc(a, (n + a - 1) / a * a + (n == 0 ? a : 0));  // a multiple of `a`
}

}  // namespace

namespace hotline::test {

std::size_t allocation_count() {
  return g_allocations.load(std::memory_order_relaxed);
}

std::ptrdiff_t live_allocation_count() {
  return static_cast<std::ptrdiff_t>(g_allocations.load(std::memory_order_relaxed)) -
         static_cast<std::ptrdiff_t>(g_releases.load(std::memory_order_relaxed));
}

}  // namespace hotline::test

// Every form is replaced, plain and over-aligned (an object holding an SpscRing is allocated
// with 64-byte alignment), so each allocation and its release go through the same
// malloc/aligned_alloc and free (AddressSanitizer checks that they match).
void* operator new(std::size_t n) {
  if (void* p = counted_allocation(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted_allocation(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return counted_allocation(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return counted_allocation(n);
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  counted_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  counted_free(p);
}
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = counted_aligned_allocation(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  if (void* p = counted_aligned_allocation(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_aligned_allocation(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_aligned_allocation(n, a);
}
void operator delete(void* p, std::align_val_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  counted_free(p);
}
