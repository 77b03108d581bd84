// alloc_counter: replaced global operator new/delete for the memory benchmark (aio_bench_mem
// only). Each block carries a 16-byte header holding its requested size, so the live total is
// exact in requested bytes (what the engine asks for, before malloc's own rounding/headers).
// Between start_histogram() and stop_histogram() it also tallies live blocks per size.
#pragma once
#include <cstddef>
#include <string>

namespace alloc_counter {

struct snapshot {
  std::size_t bytes = 0;  // requested bytes live
  std::size_t count = 0;  // blocks live
};

snapshot now() noexcept;
void start_histogram() noexcept;
void stop_histogram() noexcept;
/// {"<size>": net live blocks of that size allocated while the histogram ran, ...,
///  "large": bytes in blocks over 4096}
std::string histogram_json();

}  // namespace alloc_counter
