// A growable FIFO ring buffer: the FIFO queue<T>'s store. push_back/pop_front are O(1)
// amortised and never shift elements, unlike std::vector; unlike std::deque it allocates
// only when it grows.
#pragma once
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace aio::detail {

template <class T>
class ring {
 public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  void push_back(T v) {
    if (size_ == cap_) grow(new T[next_cap()]);
    buf_[(head_ + size_) & (cap_ - 1)] = std::move(v);
    ++size_;
  }
  /// push_back that reports a failed allocation (false) instead of throwing.
  bool try_push_back(T v) noexcept {
    static_assert(std::is_nothrow_default_constructible_v<T> && std::is_nothrow_move_assignable_v<T>);
    if (size_ == cap_) {
      T* nb = new (std::nothrow) T[next_cap()];
      if (!nb) return false;
      grow(nb);
    }
    buf_[(head_ + size_) & (cap_ - 1)] = std::move(v);
    ++size_;
    return true;
  }
  T pop_front() noexcept {
    T v = std::move(buf_[head_]);
    head_ = (head_ + 1) & (cap_ - 1);
    --size_;
    return v;
  }
  void clear() noexcept { head_ = size_ = 0; }

 private:
  std::size_t next_cap() const noexcept { return cap_ ? cap_ * 2 : 64; }
  /// Move the items, in order, into `nb` (next_cap() slots) and adopt it.
  void grow(T* nb) {
    std::unique_ptr<T[]> owned(nb);
    for (std::size_t i = 0; i < size_; ++i) owned[i] = std::move(buf_[(head_ + i) & (cap_ - 1)]);
    buf_ = std::move(owned);
    cap_ = next_cap();
    head_ = 0;
  }
  std::unique_ptr<T[]> buf_;
  std::size_t cap_ = 0, head_ = 0, size_ = 0;
};

}  // namespace aio::detail
