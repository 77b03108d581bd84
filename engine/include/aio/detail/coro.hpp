// Coroutine support under both toolchains: g++ 12 ships <coroutine>; Debian's em++ 3.1.6
// (libc++ 13) ships only <experimental/coroutine>. Everything else names aio::detail::coro_handle.
#pragma once
#if __has_include(<coroutine>) && !defined(__EMSCRIPTEN__)
#include <coroutine>
namespace aio::detail { namespace stdco = std; }
#else
#include <experimental/coroutine>
namespace aio::detail { namespace stdco = std::experimental; }
#endif

namespace aio::detail {
template <class P = void>
using coro_handle = stdco::coroutine_handle<P>;
using suspend_always = stdco::suspend_always;
using suspend_never = stdco::suspend_never;
}  // namespace aio::detail
