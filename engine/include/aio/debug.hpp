// debug: what the loop reports, in asyncio's words, and how reports name things. Every report
// goes to event_loop::call_exception_handler (and observers' on_report); the default handler
// writes one entry to the loop's log sink (stderr unless set_log_sink was called).
//   "Exception in callback"                  a callback threw             (exception, handle)
//   "Task exception was never retrieved"     a failed task was destroyed before result() or
//   "Future exception was never retrieved"   exception() was called; gather retrieves its
//                                            children's                   (exception, task/future)
//   "Task was destroyed but it is pending!"  a pending task's coroutine was destroyed (task)
//   "Unhandled error in exception handler"   the custom handler threw     (exception, context)
//   "Executing <Task pending name='t'> took 0.150 seconds"   debug mode (event_loop::set_debug):
//                                            a callback ran for at least slow_callback_duration
//                                            seconds of real time, even on the virtual clock (task)
#pragma once
#include <cstdint>
#include <string>

namespace aio {
class task_base;
class handle;
}  // namespace aio

namespace aio::debug {

/// asyncio's Task repr, without the coroutine part: "<Task pending name='t' wait_for=<sleep
/// 1000ms>>", "<Task cancelling name='t'>", "<Task finished name='t' exception=boom>",
/// "<Task cancelled name='t'>".
std::string task_repr(const task_base& t);

/// "<Handle>", "<Handle cancelled>", "<TimerHandle when=1.5>" (callbacks carry no name here).
std::string handle_repr(const handle& h);

/// "Executing <what> took 0.150 seconds" (asyncio's slow-callback warning).
std::string slow_callback_message(const std::string& what, double seconds);

/// Coroutine frames (coro and generator) made on this thread and alive right now (a frame destroyed
/// on another thread is counted off there: engine frames live on their loop's thread). A leak check compares
/// it before and after: every frame an engine coroutine allocates is counted until destroyed.
/// (A frame the compiler elides into its caller's frame, clang's HALO, is never allocated, so
/// never counted; it cannot leak either.)
std::int64_t live_coroutine_frames() noexcept;

}  // namespace aio::debug
