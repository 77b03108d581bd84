// Native default executor: one process-wide pool of std::thread workers, like asyncio's default
// ThreadPoolExecutor (min(32, cores + 4) workers, each started when a job finds no idle worker).
// A worker runs the job, then posts it back with event_loop::post_remote, which wakes a real-clock
// wait; the loop thread delivers the outcome to the future and deletes the job. The loop is held
// (hold_external) while a job is out, so it does not declare a deadlock meanwhile.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "aio/executor.hpp"

namespace aio::detail {

namespace {

class thread_pool {
 public:
  explicit thread_pool(unsigned max_workers) : max_(max_workers) {}
  // At process exit: workers finish the queue, then stop (no loop can still be waiting: a loop's
  // destructor waits for its jobs).
  ~thread_pool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
  }

  void push(executor_job* job) {
    std::lock_guard<std::mutex> lk(mu_);
    queue_.push_back(job);
    // _adjust_thread_count: start a worker when the queued jobs outnumber the idle workers.
    if (queue_.size() > idle_ && workers_.size() < max_) workers_.emplace_back([this] { work(); });
    cv_.notify_one();
  }

  unsigned max_workers() const noexcept { return max_; }

 private:
  void work() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      ++idle_;
      cv_.wait(lk, [this] { return stop_ || !queue_.empty(); });
      --idle_;
      if (queue_.empty()) return;  // stopping, and nothing left to run
      executor_job* job = queue_.front();
      queue_.pop_front();
      lk.unlock();
      job->execute();
      // From here on the job and its loop belong to the loop thread.
      job->loop().post_remote(detail::callback_for<&finish_cb, &executor_job::drop_cb>, job);
      lk.lock();
    }
  }

  static void finish_cb(void* job) {
    static_cast<executor_job*>(job)->loop().release_external();
    executor_job::complete_cb(job);
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<executor_job*> queue_;
  std::vector<std::thread> workers_;
  std::size_t idle_ = 0;
  unsigned max_;
  bool stop_ = false;
};

thread_pool& default_pool() {
  static thread_pool pool(std::min(32u, std::max(1u, std::thread::hardware_concurrency()) + 4u));
  return pool;
}

}  // namespace

void submit_default(std::unique_ptr<executor_job> job) {
  event_loop& loop = job->loop();
  auto& pool = default_pool();
  loop.hold_external();
  loop.begin_remote();
  pool.push(job.release());
}

unsigned default_executor_workers() noexcept { return default_pool().max_workers(); }

}  // namespace aio::detail
