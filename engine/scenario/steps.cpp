// The verb table: every family's verbs, in documentation order.
#include "scenario/parse_context.hpp"

namespace aio::scenario {

const std::vector<verb>& verbs() {
  static const std::vector<verb> all = [] {
    std::vector<verb> v;
    add_basic_verbs(v);
    add_flow_verbs(v);
    add_task_verbs(v);
    add_gen_verbs(v);
    add_executor_verbs(v);
    add_sync_verbs(v);
    add_misc_verbs(v);
    return v;
  }();
  return all;
}

}  // namespace aio::scenario
