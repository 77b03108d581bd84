// A growable FIFO ring buffer: the FIFO queue<T>'s store. push_back/pop_front are O(1)
// amortised and never shift elements, unlike std::vector; unlike std::deque it allocates
// only when it grows.
#pragma once
#include <cstddef>
#include <memory>
#include <utility>

namespace aio::detail {

template <class T>
class ring {
 public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  void push_back(T v) {
    if (size_ == cap_) grow();
    buf_[(head_ + size_) & (cap_ - 1)] = std::move(v);
    ++size_;
  }
  T pop_front() noexcept {
    T v = std::move(buf_[head_]);
    head_ = (head_ + 1) & (cap_ - 1);
    --size_;
    return v;
  }
  void clear() noexcept { head_ = size_ = 0; }

 private:
  /// Double the buffer (64 slots at first), moving the items to its start in order.
  void grow() {
    const std::size_t nc = cap_ ? cap_ * 2 : 64;
    std::unique_ptr<T[]> nb(new T[nc]);
    for (std::size_t i = 0; i < size_; ++i) nb[i] = std::move(buf_[(head_ + i) & (cap_ - 1)]);
    buf_ = std::move(nb);
    cap_ = nc;
    head_ = 0;
  }
  std::unique_ptr<T[]> buf_;
  std::size_t cap_ = 0, head_ = 0, size_ = 0;
};

}  // namespace aio::detail
