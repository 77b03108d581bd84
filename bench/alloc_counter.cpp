#include "alloc_counter.hpp"

#include <cstdio>
#include <cstdlib>
#include <new>

namespace alloc_counter {
namespace {
constexpr std::size_t k_header = 16;  // keeps the 16-byte alignment malloc guarantees
constexpr std::size_t k_max_size = 4096;
snapshot g_live;
bool g_hist_on = false;
long g_hist[k_max_size + 1];
long long g_hist_large = 0;

void note(std::size_t n, int sign) noexcept {
  if (!g_hist_on) return;
  if (n <= k_max_size)
    g_hist[n] += sign;
  else
    g_hist_large += sign * static_cast<long long>(n);
}

void* allocate(std::size_t n) {
  auto* p = static_cast<unsigned char*>(std::malloc(n + k_header));
  if (!p) throw std::bad_alloc();
  *reinterpret_cast<std::size_t*>(p) = n;
  g_live.bytes += n;
  ++g_live.count;
  note(n, +1);
  return p + k_header;
}

void deallocate(void* q) noexcept {
  if (!q) return;
  auto* p = static_cast<unsigned char*>(q) - k_header;
  std::size_t n = *reinterpret_cast<std::size_t*>(p);
  g_live.bytes -= n;
  --g_live.count;
  note(n, -1);
  std::free(p);
}
}  // namespace

snapshot now() noexcept { return g_live; }
void start_histogram() noexcept {
  for (auto& h : g_hist) h = 0;
  g_hist_large = 0;
  g_hist_on = true;
}
void stop_histogram() noexcept { g_hist_on = false; }

std::string histogram_json() {
  std::string s = "{";
  char buf[64];
  for (std::size_t i = 0; i <= k_max_size; ++i) {
    if (g_hist[i] == 0) continue;
    std::snprintf(buf, sizeof buf, "\"%zu\":%ld,", i, g_hist[i]);
    s += buf;
  }
  std::snprintf(buf, sizeof buf, "\"large\":%lld}", g_hist_large);
  s += buf;
  return s;
}

}  // namespace alloc_counter

// The replaced global allocation functions (the aligned forms are left alone: they pair with
// their own deletes and the engine does not use over-aligned types).
void* operator new(std::size_t n) { return alloc_counter::allocate(n); }
void* operator new[](std::size_t n) { return alloc_counter::allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return alloc_counter::allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return alloc_counter::allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { alloc_counter::deallocate(p); }
void operator delete[](void* p) noexcept { alloc_counter::deallocate(p); }
void operator delete(void* p, std::size_t) noexcept { alloc_counter::deallocate(p); }
void operator delete[](void* p, std::size_t) noexcept { alloc_counter::deallocate(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { alloc_counter::deallocate(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { alloc_counter::deallocate(p); }
