// The whole public API of the aio engine.
#pragma once
#include "aio/clock.hpp"
#include "aio/coro.hpp"
#include "aio/errors.hpp"
#include "aio/event_loop.hpp"
#include "aio/future.hpp"
#include "aio/gather.hpp"
#include "aio/handle.hpp"
#include "aio/observer.hpp"
#include "aio/run.hpp"
#include "aio/sleep.hpp"
#include "aio/task.hpp"
