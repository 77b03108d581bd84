// The aio side of the benchmark suite: one workload per process, natively or as WASM under node.
//   aio_bench <workload> <reps> [n]   → one JSON line on stdout
// Workloads: w1 w1_obs w2 w3 w3_obs w4 w5 (timed: one unreported warm-up run, then <reps> runs,
// each on a fresh event_loop with the virtual clock) and w6 (heap growth per pending task).
// *_obs alternate runs without and with a no-op observer attached (times_ms: with it,
// base_times_ms: without), to show what the observer hooks cost when something listens;
// w1_noop/w3_noop always attach it (run.mjs counts their instructions under callgrind).
// Built twice from this file: aio_bench, and aio_bench_mem with AIO_BENCH_COUNT_NEW, which
// replaces global operator new/delete to count requested bytes (w6 only; see alloc_counter.hpp).
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "aio/detail/pool.hpp"
#include "aio/observer.hpp"
#include "aio/run.hpp"
#include "workloads.hpp"

#ifdef AIO_BENCH_COUNT_NEW
#include "alloc_counter.hpp"
#endif

namespace {

using bench::result;
using bench::u64;

/// Overrides nothing: every hook is a virtual call that does nothing.
struct noop_observer final : aio::observer {};

#ifdef __EMSCRIPTEN__
// clang defines __wasm_exception_handling__ under -fwasm-exceptions (preset wasm-bench-eh,
// AIO_WASM_EH=ON); the default wasm build uses JS-based exceptions (-fexceptions).
#ifdef __wasm_exception_handling__
const char* const k_impl = "aio-wasm-eh";
#else
const char* const k_impl = "aio-wasm";
#endif
std::size_t heap_in_use() { return static_cast<std::size_t>(mallinfo().uordblks); }
#else
const char* const k_impl = "aio-native";
std::size_t heap_in_use() { return mallinfo2().uordblks; }
#endif

template <class Make>
result run_one(Make make, bool observe) {
  aio::event_loop loop;  // virtual clock
  noop_observer obs;
  if (observe) loop.set_observer(&obs);
  return aio::run(loop, make());
}

void print_times(const char* workload, u64 n, const std::vector<result>& rs, const char* extra = "") {
  std::printf("{\"impl\":\"%s\",\"workload\":\"%s\",\"n\":%llu,\"check\":\"%llu\",\"times_ms\":[", k_impl, workload,
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(rs.empty() ? 0 : rs[0].check));
  for (std::size_t i = 0; i < rs.size(); ++i) std::printf("%s%.3f", i ? "," : "", rs[i].ms);
  std::printf("]%s}\n", extra);
}

template <class Make>
int timed(const char* workload, u64 n, int reps, bool observe, Make make) {
  result warm = run_one(make, observe);
  std::vector<result> rs;
  for (int i = 0; i < reps; ++i) {
    rs.push_back(run_one(make, observe));
    if (rs.back().check != warm.check) {
      std::fprintf(stderr, "checksum changed between runs\n");
      return 1;
    }
  }
  print_times(workload, n, rs);
  return 0;
}

/// The observer comparison: runs without and with a no-op observer alternate in one process, so
/// a change in machine load between them cannot pass for an observer cost.
template <class Make>
int paired(const char* workload, u64 n, int reps, Make make) {
  run_one(make, false);
  run_one(make, true);
  std::vector<result> base, obs;
  for (int i = 0; i < reps; ++i) {
    base.push_back(run_one(make, false));
    obs.push_back(run_one(make, true));
    if (base.back().check != obs.back().check) {
      std::fprintf(stderr, "checksum differs with an observer attached\n");
      return 1;
    }
  }
  std::string extra = ",\"base_times_ms\":[";
  char buf[32];
  for (std::size_t i = 0; i < base.size(); ++i) {
    std::snprintf(buf, sizeof buf, i ? ",%.3f" : "%.3f", base[i].ms);
    extra += buf;
  }
  extra += "]";
  print_times(workload, n, obs, extra.c_str());
  return 0;
}

/// Heap probe for w6: malloc's bytes in use (chunk headers included) and, in aio_bench_mem,
/// the bytes and number of operator new requests still live. The engine's recycling pool is
/// emptied first (aio/detail/pool.hpp): blocks the warm-up left cached would otherwise be reused
/// without touching the heap, and the tasks' memory would not show.
struct heap_probe {
  std::size_t malloc_before = 0, malloc_after = 0;
#ifdef AIO_BENCH_COUNT_NEW
  alloc_counter::snapshot new_before, new_after;
#endif
  void before() {
    aio::detail::pool_trim();
#ifdef AIO_BENCH_COUNT_NEW
    alloc_counter::start_histogram();
    new_before = alloc_counter::now();
#endif
    malloc_before = heap_in_use();
  }
  void after() {
    malloc_after = heap_in_use();
#ifdef AIO_BENCH_COUNT_NEW
    new_after = alloc_counter::now();
    alloc_counter::stop_histogram();
#endif
  }
};

int memory(u64 n, int reps) {
  std::vector<double> malloc_bpt, new_bpt, new_count;
  for (int i = 0; i < reps + 1; ++i) {  // the first run only warms up
    heap_probe p;
    {
      aio::event_loop loop;
      result r = aio::run(loop, bench::w6_main(n, &p));
      if (r.check != n) {
        std::fprintf(stderr, "w6: %llu of %llu tasks finished\n", static_cast<unsigned long long>(r.check),
                     static_cast<unsigned long long>(n));
        return 1;
      }
    }
    if (i == 0) continue;
    malloc_bpt.push_back((static_cast<double>(p.malloc_after) - static_cast<double>(p.malloc_before)) / n);
#ifdef AIO_BENCH_COUNT_NEW
    new_bpt.push_back((static_cast<double>(p.new_after.bytes) - static_cast<double>(p.new_before.bytes)) / n);
    new_count.push_back((static_cast<double>(p.new_after.count) - static_cast<double>(p.new_before.count)) / n);
#endif
  }
  auto list = [](const std::vector<double>& v) {
    std::string s = "[";
    char buf[32];
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::snprintf(buf, sizeof buf, i ? ",%.2f" : "%.2f", v[i]);
      s += buf;
    }
    s += "]";
    return s;
  };
  std::printf("{\"impl\":\"%s\",\"workload\":\"w6\",\"n\":%llu,\"check\":\"%llu\"", k_impl,
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(n));
#ifdef AIO_BENCH_COUNT_NEW
  // malloc's view is skewed here by the counter's own 16-byte headers: report only the counts.
  std::printf(",\"new_bytes_per_task\":%s,\"new_allocs_per_task\":%s,\"new_size_histogram\":%s", list(new_bpt).c_str(),
              list(new_count).c_str(), alloc_counter::histogram_json().c_str());
#else
  std::printf(",\"malloc_bytes_per_task\":%s", list(malloc_bpt).c_str());
#endif
  std::printf("}\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <w1|w1_obs|w1_noop|w2|w3|w3_obs|w3_noop|w4|w5|w6> <reps> [n]\n", argv[0]);
    return 2;
  }
  std::string w = argv[1];
  int reps = std::atoi(argv[2]);
  auto n_or = [&](u64 dflt) { return argc > 3 ? std::strtoull(argv[3], nullptr, 10) : dflt; };

  if (w == "w1" || w == "w1_obs") {
    u64 n = n_or(100000);
    auto make = [n] { return bench::w1_main(n); };
    return w == "w1" ? timed("w1", n, reps, false, make) : paired("w1_obs", n, reps, make);
  }
  if (w == "w1_noop") {  // observer always attached: for instruction counts under callgrind
    u64 n = n_or(100000);
    return timed("w1_noop", n, reps, true, [n] { return bench::w1_main(n); });
  }
  if (w == "w3" || w == "w3_obs") {
    u64 n = n_or(100000);
    auto make = [n] { return bench::w3_main(n, 1); };
    return w == "w3" ? timed("w3", n, reps, false, make) : paired("w3_obs", n, reps, make);
  }
  if (w == "w3_noop") {
    u64 n = n_or(100000);
    return timed("w3_noop", n, reps, true, [n] { return bench::w3_main(n, 1); });
  }
  if (w == "w5") {
    u64 n = n_or(100000);
    auto durations = bench::lcg_durations_ms(n);
    return timed("w5", n, reps, false, [&durations] { return bench::w5_main(durations); });
  }
  if (w == "w6") return memory(n_or(100000), reps);
  if (w == "w2") {
#ifdef AIO_BENCH_HAVE_EVENT
    u64 n = n_or(200000);
    return timed("w2", n, reps, false, [n] { return bench::w2_main(n); });
#else
    std::printf("{\"impl\":\"%s\",\"workload\":\"w2\",\"pending\":\"needs aio::event\"}\n", k_impl);
    return 0;
#endif
  }
  if (w == "w4") {
#ifdef AIO_BENCH_HAVE_QUEUE
    u64 n = n_or(1000000);
    return timed("w4", n, reps, false, [n] { return bench::w4_main(n, 64); });
#else
    std::printf("{\"impl\":\"%s\",\"workload\":\"w4\",\"pending\":\"needs aio::queue\"}\n", k_impl);
    return 0;
#endif
  }
  std::fprintf(stderr, "unknown workload %s\n", w.c_str());
  return 2;
}
