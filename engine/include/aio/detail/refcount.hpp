// Intrusive reference counting for engine objects (futures, tasks, handles).
// Single-threaded by design: every engine object belongs to one event loop's thread.
#pragma once
#include <cstdint>
#include <utility>

#include "aio/detail/pool.hpp"

namespace aio::detail {

/// Instances come from the recycling pool (`pooled`): futures, tasks and handles are allocated
/// and freed at the rate tasks run.
class refcounted : public pooled {
 public:
  refcounted() = default;
  refcounted(const refcounted&) = delete;
  refcounted& operator=(const refcounted&) = delete;
  void add_ref() const noexcept { ++refs_; }
  void release() const noexcept {
    if (--refs_ == 0) delete this;
  }
  std::uint32_t use_count() const noexcept { return refs_; }

 protected:
  virtual ~refcounted() = default;

 private:
  mutable std::uint32_t refs_ = 0;
};

template <class T>
class ref_ptr {
 public:
  ref_ptr() noexcept = default;
  ref_ptr(std::nullptr_t) noexcept {}
  explicit ref_ptr(T* p) noexcept : p_(p) {
    if (p_) p_->add_ref();
  }
  ref_ptr(const ref_ptr& o) noexcept : ref_ptr(o.p_) {}
  ref_ptr(ref_ptr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  template <class U>
  ref_ptr(const ref_ptr<U>& o) noexcept : ref_ptr(static_cast<T*>(o.get())) {}
  ref_ptr& operator=(ref_ptr o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~ref_ptr() {
    if (p_) p_->release();
  }
  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  friend bool operator==(const ref_ptr& a, const ref_ptr& b) noexcept { return a.p_ == b.p_; }
  /// Give up ownership without releasing (pairs with adopt()).
  T* leak() noexcept { return std::exchange(p_, nullptr); }
  static ref_ptr adopt(T* p) noexcept {
    ref_ptr r;
    r.p_ = p;
    return r;
  }

 private:
  T* p_ = nullptr;
};

template <class T, class... A>
ref_ptr<T> make_ref(A&&... a) {
  return ref_ptr<T>(new T(std::forward<A>(a)...));
}

}  // namespace aio::detail
