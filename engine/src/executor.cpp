#include "aio/executor.hpp"

#include "aio/handle.hpp"

namespace aio::detail {

void executor_job::complete_cb(void* p) {
  std::unique_ptr<executor_job> job(static_cast<executor_job*>(p));
  job->deliver();
}

void executor_job::drop_cb(void* p) { delete static_cast<executor_job*>(p); }

namespace {
/// A simulated job is a timer that owns it: when it fires, the "worker" is done, so fn runs
/// and its outcome goes to the future at once. Dropped unfired (loop teardown), it frees the job.
class simulated_job_timer final : public timer_handle {
 public:
  explicit simulated_job_timer(std::unique_ptr<executor_job> j) noexcept : job_(std::move(j)) {}

 private:
  void invoke() override {
    auto job = std::move(job_);
    job->execute();
    job->deliver();
  }
  std::unique_ptr<executor_job> job_;
};
}  // namespace

void submit_simulated(std::unique_ptr<executor_job> job, double seconds) {
  event_loop& loop = job->loop();
  timer_ref t(new simulated_job_timer(std::move(job)));
  loop.schedule(t, loop.time() + (seconds > 0 ? seconds : 0.0));
}

}  // namespace aio::detail
