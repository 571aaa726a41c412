// Completion port cost: ws2's PostQueuedCompletionStatus -> GetQueuedCompletionStatus path
// against raw Linux queues in the same run.
//
//   BM_ws2_port_round_trip     one thread: PostQueuedCompletionStatus + GetQueuedCompletionStatus(0)
//   BM_raw_eventfd_round_trip  one thread: write + read of an eventfd (a packet count)
//   BM_raw_condvar_round_trip  one thread: push + pop of a mutex + condvar queue
//   BM_ws2_port_ping_pong      two threads, two ports: post to one, block on the other
//   BM_raw_eventfd_ping_pong   two threads, two eventfds, blocking reads
//   BM_raw_condvar_ping_pong   two threads, two mutex + condvar queues
// The summary prints ws2 real time per iteration over each raw baseline's (median when
// --benchmark_repetitions is used). As for the data path, `taskset -c 1` keeps the ping-pong
// threads on one CPU and makes the two-thread figures stable on a small VM.
#include <benchmark/benchmark.h>

#include "comparison_main.h"
#include "raw_linux_queue.h"

#include <windows.h>
#include <winsock2.h>

#include <cstdio>
#include <thread>

namespace {

int g_wsa_startup_result = -1;

void ws2_port_round_trip(benchmark::State &state) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  if (port == nullptr) {
    state.SkipWithError("CreateIoCompletionPort failed");
    return;
  }
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED ov;
  for (auto _ : state) {
    PostQueuedCompletionStatus(port, 1, 2, nullptr);
    benchmark::DoNotOptimize(GetQueuedCompletionStatus(port, &bytes, &key, &ov, 0));
  }
  CloseHandle(port);
}

void ws2_port_ping_pong(benchmark::State &state) {
  HANDLE ping = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  HANDLE pong = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  if (ping == nullptr || pong == nullptr) {
    state.SkipWithError("CreateIoCompletionPort failed");
    return;
  }
  std::thread partner([&] {
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    while (GetQueuedCompletionStatus(ping, &bytes, &key, &ov, INFINITE) && key != 0)
      PostQueuedCompletionStatus(pong, bytes, key, ov);
  });
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED ov;
  for (auto _ : state) {
    PostQueuedCompletionStatus(ping, 1, 1, nullptr);
    GetQueuedCompletionStatus(pong, &bytes, &key, &ov, INFINITE);
  }
  PostQueuedCompletionStatus(ping, 0, 0, nullptr);  // key 0: stop
  partner.join();
  CloseHandle(ping);
  CloseHandle(pong);
}

struct Comparison {
  const char *ws2_name, *raw_name;
};
constexpr Comparison kComparisons[] = {
    {"BM_ws2_port_round_trip", "BM_raw_eventfd_round_trip"},
    {"BM_ws2_port_round_trip", "BM_raw_condvar_round_trip"},
    {"BM_ws2_port_ping_pong", "BM_raw_eventfd_ping_pong"},
    {"BM_ws2_port_ping_pong", "BM_raw_condvar_ping_pong"},
};

void print_summary(const ws2_bench::RecordingReporter &reporter) {
  std::printf("\nSummary (ws2 / raw real time per iteration; median when repetitions are used)\n");
  for (const Comparison &c : kComparisons) {
    std::string why_ws2, why_raw;
    const double t_ws2 = reporter.time_ns(c.ws2_name, &why_ws2);
    const double t_raw = reporter.time_ns(c.raw_name, &why_raw);
    if (t_ws2 < 0.0 || t_raw <= 0.0) {
      std::printf("  %-24s / %-26s n/a (%s)\n", c.ws2_name, c.raw_name,
                  t_ws2 < 0.0 ? why_ws2.c_str() : why_raw.c_str());
      continue;
    }
    std::printf("  %-24s / %-26s %8.1f ns / %8.1f ns = %.2fx\n", c.ws2_name, c.raw_name, t_ws2,
                t_raw, t_ws2 / t_raw);
  }
}

}  // namespace

int main(int argc, char **argv) {
  benchmark::RegisterBenchmark("BM_ws2_port_round_trip", ws2_port_round_trip)->UseRealTime();
  benchmark::RegisterBenchmark("BM_raw_eventfd_round_trip", raw_linux_queue::eventfd_round_trip)->UseRealTime();
  benchmark::RegisterBenchmark("BM_raw_condvar_round_trip", raw_linux_queue::condvar_round_trip)->UseRealTime();
  benchmark::RegisterBenchmark("BM_ws2_port_ping_pong", ws2_port_ping_pong)->UseRealTime();
  benchmark::RegisterBenchmark("BM_raw_eventfd_ping_pong", raw_linux_queue::eventfd_ping_pong)->UseRealTime();
  benchmark::RegisterBenchmark("BM_raw_condvar_ping_pong", raw_linux_queue::condvar_ping_pong)->UseRealTime();
  return ws2_bench::run_comparison(argc, argv, &g_wsa_startup_result, print_summary);
}
