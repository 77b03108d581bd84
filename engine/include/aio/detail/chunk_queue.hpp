// A FIFO queue in fixed-size blocks: the event loop's ready queue. Like CPython's deque (which
// asyncio's _ready is), memory follows what the queue holds now, not its high-water mark: a
// block is freed as soon as its last item is popped (one empty block is kept for reuse), so a
// burst of 100,000 ready callbacks leaves nothing behind once it has run, and nothing is ever
// copied as the queue grows (a ring buffer doubles and moves every item). Blocks are large
// (4096 items: 96 KiB natively, 48 KiB in wasm32): with 256-item blocks the bursts of the
// benchmarks ran up to 15% slower in WASM than with the ring; with 4096 none is slower, and the
// bursts (workloads 1 and 3) are about a third faster natively. A queue that empties restarts at its block's start, so one
// that stays short (two tasks ping-ponging) cycles through a few cache lines, as a small ring would.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

namespace aio::detail {

template <class T, std::size_t N = 4096>
class chunk_queue {
  static_assert(std::is_nothrow_default_constructible_v<T> && std::is_nothrow_move_assignable_v<T>);
  static_assert(N > 0);

 public:
  chunk_queue() = default;
  chunk_queue(const chunk_queue&) = delete;
  chunk_queue& operator=(const chunk_queue&) = delete;
  ~chunk_queue() {
    while (head_) {
      block* b = head_;
      head_ = b->next;
      free_block_(b);
    }
    if (spare_) free_block_(spare_);
  }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  /// Blocks allocated now, the spare included (tests, inspection).
  std::size_t blocks() const noexcept {
    std::size_t n = spare_ ? 1 : 0;
    for (block* b = head_; b; b = b->next) ++n;
    return n;
  }
  static constexpr std::size_t block_items = N;

  /// Append; false (and nothing changed) if a new block was needed and could not be allocated.
  bool try_push_back(T v) noexcept {
    if (tail_i_ == N) [[unlikely]]
      if (!add_block_()) return false;
    tail_->items[tail_i_++] = std::move(v);
    ++size_;
    return true;
  }
  void push_back(T v) {
    if (!try_push_back(std::move(v))) throw std::bad_alloc();
  }
  /// Remove and return the first item (the queue must not be empty).
  T pop_front() noexcept {
    T v = std::move(head_->items[head_i_++]);
    if (head_i_ == N) [[unlikely]]
      release_head_();
    if (--size_ == 0 && head_) head_i_ = tail_i_ = 0;  // emptied: restart at the block's start, so a
                                                      // queue that stays short keeps to a few cache lines
    return v;
  }

 private:
  struct block {
    block* next = nullptr;
    T items[N];
  };

  // Blocks come from malloc, not `new (std::nothrow)`: in WASM with JS-based exceptions the
  // nothrow operator new is a try/catch around the throwing one, a JS trampoline per block.
  static block* new_block_() noexcept {
    void* p = std::malloc(sizeof(block));
    return p ? ::new (p) block : nullptr;
  }
  static void free_block_(block* b) noexcept {
    b->~block();
    std::free(b);
  }
  bool add_block_() noexcept {
    block* b = spare_ ? std::exchange(spare_, nullptr) : new_block_();
    if (!b) return false;
    b->next = nullptr;
    if (tail_)
      tail_->next = b;
    else {
      head_ = b;
      head_i_ = 0;
    }
    tail_ = b;
    tail_i_ = 0;
    return true;
  }
  // The head block is used up: free it (or keep it as the spare).
  void release_head_() noexcept {
    block* b = head_;
    head_ = b->next;
    head_i_ = 0;
    if (!head_) {
      tail_ = nullptr;
      tail_i_ = N;
    }
    if (spare_)
      free_block_(b);
    else
      spare_ = b;
  }

  block* head_ = nullptr;  // pop from head_->items[head_i_]
  block* tail_ = nullptr;  // push to tail_->items[tail_i_]; tail_i_ == N: no room (or no block)
  std::size_t head_i_ = 0;
  std::size_t tail_i_ = N;
  std::size_t size_ = 0;
  block* spare_ = nullptr;  // one emptied block kept, so a queue hovering at a block boundary does not allocate
};

}  // namespace aio::detail
