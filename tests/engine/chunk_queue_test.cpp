// Tests for aio/detail/chunk_queue.hpp (the event loop's ready queue).
#include <doctest/doctest.h>

#include "aio/aio.hpp"
#include "aio/detail/chunk_queue.hpp"

using aio::detail::chunk_queue;

TEST_CASE("chunk_queue: FIFO order across block boundaries, in bursts and trickles") {
  chunk_queue<int, 8> q;
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 60; ++round) {
    for (int i = 0; i < 5 * (round % 7 + 1); ++i) q.push_back(next_in++);
    for (int i = 0; i < 4 * (round % 5 + 1) && !q.empty(); ++i) CHECK(q.pop_front() == next_out++);
    CHECK(q.size() == static_cast<std::size_t>(next_in - next_out));
  }
  while (!q.empty()) CHECK(q.pop_front() == next_out++);
  CHECK(next_out == next_in);
}

TEST_CASE("chunk_queue: memory follows the contents, not the high-water mark") {
  chunk_queue<int, 8> q;
  CHECK(q.blocks() == 0);
  for (int i = 0; i < 800; ++i) q.push_back(i);
  CHECK(q.blocks() == 100);
  for (int i = 0; i < 796; ++i) CHECK(q.pop_front() == i);
  CHECK(q.blocks() == 2);  // the block holding the last 4 items, and one spare
  for (int i = 796; i < 800; ++i) CHECK(q.pop_front() == i);
  CHECK(q.empty());
  CHECK(q.blocks() == 1);  // only the spare
  // A queue going back and forth across a block boundary reuses the spare.
  for (int k = 0; k < 100; ++k) {
    for (int i = 0; i < 8; ++i) q.push_back(i);
    for (int i = 0; i < 8; ++i) CHECK(q.pop_front() == i);
  }
  CHECK(q.blocks() == 1);
}

TEST_CASE("event loop: a burst of ready callbacks leaves no ready-queue memory behind once it has run") {
  aio::event_loop loop;
  int ran = 0;
  for (int i = 0; i < 50000; ++i) loop.call_soon([&] { ++ran; });
  loop.call_soon([&] { loop.call_soon([&] { ++ran; }); });  // one queued by the pass itself
  loop.run_once();
  CHECK(ran == 50000);
  CHECK(loop.ready_count() == 1);
  CHECK(loop.ready_blocks() <= 2);  // the block holding that one callback, and a spare
  loop.run_once();
  CHECK(ran == 50001);
}
