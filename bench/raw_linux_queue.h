// Raw Linux baselines for the completion port benchmark: an eventfd used as a counter of
// packets, and a mutex + condition variable queue, each with a one-thread round trip and a
// two-thread ping-pong.
#pragma once
#include <benchmark/benchmark.h>

namespace raw_linux_queue {

void eventfd_round_trip(benchmark::State &state);
void condvar_round_trip(benchmark::State &state);
void eventfd_ping_pong(benchmark::State &state);
void condvar_ping_pong(benchmark::State &state);

}  // namespace raw_linux_queue
