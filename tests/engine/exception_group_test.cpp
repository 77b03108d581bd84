// Tests for aio/exception_group.hpp: the group itself, and what a task_group puts in it
// (ported from test_taskgroups; expected values checked against CPython 3.11.7).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/exception_group.hpp"
#include "aio/task_group.hpp"
#include "aio/timeout.hpp"

using namespace aio;

namespace {
struct zero_division : std::runtime_error {
  zero_division() : std::runtime_error("division by zero") {}
};
struct my_exc : std::runtime_error {
  my_exc() : std::runtime_error("MyExc") {}
};
struct value_error : std::runtime_error {
  explicit value_error(double t) : std::runtime_error("ValueError " + std::to_string(t)) {}
};

/// get_error_types, as an ordered list (CPython's list order: completion order, body last).
std::vector<std::string> error_types(const exception_group& eg) {
  std::vector<std::string> r;
  for (auto& e : eg.exceptions()) {
    try {
      std::rethrow_exception(e);
    } catch (const zero_division&) {
      r.push_back("ZeroDivisionError");
    } catch (const my_exc&) {
      r.push_back("MyExc");
    } catch (const value_error&) {
      r.push_back("ValueError");
    } catch (const exception_group&) {
      r.push_back("ExceptionGroup");
    } catch (...) {
      r.push_back("?");
    }
  }
  return r;
}
coro<void> crash_after(double s) {
  co_await aio::sleep(s);
  throw zero_division();
}
coro<void> crash_in_cleanup(double s) {  // `try: await sleep(s) finally: 1 / 0`
  try {
    co_await aio::sleep(s);
  } catch (...) {
  }
  throw zero_division();
}
template <class T>
coro<std::vector<std::string>> group_errors(task<T> t) {
  try {
    co_await t;
  } catch (const exception_group& eg) {
    co_return error_types(eg);
  }
  co_return std::vector<std::string>{};
}
}  // namespace

TEST_CASE("exception_group: message, members in order, what() lists them, contains<E>() searches nested groups") {
  std::vector<std::exception_ptr> inner{std::make_exception_ptr(value_error(1))};
  std::vector<std::exception_ptr> members{std::make_exception_ptr(zero_division()), std::make_exception_ptr(my_exc()),
                                          std::make_exception_ptr(exception_group("inner", inner))};
  exception_group eg("unhandled errors in a TaskGroup", members);
  CHECK(eg.message() == "unhandled errors in a TaskGroup");
  CHECK(eg.exceptions() == members);
  CHECK(std::string(eg.what()) ==
        "unhandled errors in a TaskGroup (3 sub-exceptions): division by zero; MyExc; inner (1 sub-exception): ValueError 1.000000");
  CHECK(eg.contains<zero_division>());
  CHECK(eg.contains<value_error>());  // found in the nested group
  CHECK_FALSE(eg.contains<std::logic_error>());
  const std::exception& as_std = eg;  // an ExceptionGroup is an Exception: catchable as std::exception
  CHECK(std::string(as_std.what()).rfind("unhandled errors", 0) == 0);
}

TEST_CASE("is_cancelled_error / describe_exception / cause_of") {
  CHECK(is_cancelled_error(std::make_exception_ptr(cancelled_error("m"))));
  CHECK_FALSE(is_cancelled_error(std::make_exception_ptr(std::runtime_error("x"))));
  CHECK_FALSE(is_cancelled_error(nullptr));
  CHECK(describe_exception(std::make_exception_ptr(cancelled_error("m"))) == "CancelledError: m");
  CHECK(describe_exception(std::make_exception_ptr(42)) == "unknown exception");
  try {
    detail::raise_timeout_from(std::make_exception_ptr(cancelled_error("why")));
  } catch (const timeout_error& e) {
    auto c = cause_of(e);
    REQUIRE(c);
    CHECK(describe_exception(c) == "CancelledError: why");
  }
  CHECK_FALSE(cause_of(std::runtime_error("plain")));
}

TEST_CASE("test_taskgroup_11 / _13 / _14 (test_taskgroups): nested groups nest their exception groups") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto runner11 = []() -> coro<void> {
      co_await with_task_group([](task_group&) -> coro<void> {
        co_await with_task_group([](task_group& g2) -> coro<void> {
          for (int i = 0; i < 5; ++i) g2.create_task(crash_in_cleanup(10));
          co_await aio::sleep(10);
        });
      });
    };
    auto r = create_task(runner11());
    co_await aio::sleep(0.1);
    r.cancel();
    try {
      co_await r;
      CHECK(false);
    } catch (const exception_group& eg) {
      CHECK(error_types(eg) == std::vector<std::string>{"ExceptionGroup"});
      CHECK(eg.contains<zero_division>());
      CHECK(std::string(eg.what()).find("division by zero") != std::string::npos);
    }
    auto runner = [](double outer_crash, double inner_crash) -> coro<void> {
      co_await with_task_group([=](task_group& g1) -> coro<void> {
        g1.create_task([](double t) -> coro<void> {
          co_await aio::sleep(t);
          throw value_error(t);
        }(outer_crash));
        co_await with_task_group([=](task_group& g2) -> coro<void> {
          g2.create_task([](double t) -> coro<void> {
            co_await aio::sleep(t);
            throw value_error(t);
          }(inner_crash));
          co_return;
        });
      });
    };
    auto types13 = co_await group_errors(create_task(runner(0.1, 10)));
    CHECK(types13 == std::vector<std::string>{"ValueError"});
    auto types14 = co_await group_errors(create_task(runner(10, 0.1)));
    CHECK(types14 == std::vector<std::string>{"ExceptionGroup"});
  };
  run(loop, body());
}

TEST_CASE("test_taskgroup_19 (test_taskgroups): children's errors first, the body's last") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto runner = []() -> coro<void> {
      co_await with_task_group([](task_group& g) -> coro<void> {
        g.create_task(crash_after(0.1));
        try {  // nested(): `try: await sleep(10) finally: raise MyExc`
          co_await aio::sleep(10);
        } catch (...) {
        }
        throw my_exc();
      });
    };
    auto types = co_await group_errors(create_task(runner()));
    CHECK(types == std::vector<std::string>{"ZeroDivisionError", "MyExc"});  // CPython's order
  };
  run(loop, body());
}

TEST_CASE("test_taskgroup_context_manager_exit_raises (test_taskgroups): cancelling() is 0 after the group") {
  event_loop loop;
  auto body = []() -> coro<void> {
    auto main_ = []() -> coro<std::size_t> {
      try {
        co_await with_task_group([](task_group& tg) -> coro<void> {
          tg.create_task([]() -> coro<void> {
            throw my_exc();
            co_return;
          }());
          try {  // `async with database():` whose exit raises
            co_await aio::sleep(1);
          } catch (...) {
          }
          throw my_exc();
        });
      } catch (const exception_group& eg) {
        CHECK(current_task()->cancelling() == 0);
        co_return eg.exceptions().size();
      }
      co_return 0;
    };
    std::size_t n = co_await create_task(main_());
    CHECK(n == 2);
  };
  run(loop, body());
}
