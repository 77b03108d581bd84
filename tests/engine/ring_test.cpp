// Tests for aio/detail/ring.hpp (the FIFO queue<T>'s store).
#include <doctest/doctest.h>

#include "aio/detail/ring.hpp"

using aio::detail::ring;

TEST_CASE("ring: FIFO order across growth and wrap-around") {
  ring<int> r;
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 37 * (round % 7 + 1); ++i) r.push_back(next_in++);
    for (int i = 0; i < 29 * (round % 5 + 1) && !r.empty(); ++i) CHECK(r.pop_front() == next_out++);
  }
  while (!r.empty()) CHECK(r.pop_front() == next_out++);
  CHECK(next_out == next_in);
}
