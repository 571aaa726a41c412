// Socket creation cost: ws2 (Winsock on Linux) against the raw Linux socket API.
//
// Each benchmark creates one IPv4 socket and closes it again per iteration:
//   BM_raw_socket_close/{TCP,UDP}            Linux socket(AF_INET, type, 0) + close()
//   BM_ws2_socket_closesocket/{TCP,UDP}      Winsock socket(AF_INET, type, proto) + closesocket()
//   BM_ws2_WSASocketW_closesocket/{TCP,UDP}  WSASocketW(..., NULL, 0, WSA_FLAG_OVERLAPPED)
//                                            + closesocket()
// After the run a summary prints, for every ws2 benchmark, its real time per iteration divided by
// that of the raw benchmark of the same socket type (target: within 1.10x). With
// repetitions (default_arguments.h) the median aggregate is compared.
//
// The raw Linux benchmarks live in raw_linux_socket.cpp: <sys/socket.h> and <winsock2.h> must
// not meet in one translation unit.
#include <benchmark/benchmark.h>

#include "comparison_main.h"

#include <winsock2.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "raw_linux_socket.h"

namespace {

// Result of WSAStartup in main(); the ws2 benchmarks refuse to run without it.
int g_wsa_startup_result = -1;

bool wsa_ready(benchmark::State &state) {
  if (g_wsa_startup_result == 0) return true;
  const std::string msg = "WSAStartup(2.2) failed: " + std::to_string(g_wsa_startup_result);
  state.SkipWithError(msg.c_str());
  return false;
}

void skip_with_wsa_error(benchmark::State &state, const char *what) {
  const std::string msg = std::string(what) + " failed, WSAGetLastError() = " +
                          std::to_string(WSAGetLastError());
  state.SkipWithError(msg.c_str());
}

void ws2_socket_closesocket(benchmark::State &state, int type, int protocol) {
  if (!wsa_ready(state)) return;
  for (auto _ : state) {
    SOCKET s = socket(AF_INET, type, protocol);
    if (s == INVALID_SOCKET) {
      skip_with_wsa_error(state, "socket()");
      break;
    }
    if (closesocket(s) != 0) {
      skip_with_wsa_error(state, "closesocket()");
      break;
    }
  }
}

void ws2_wsasocketw_closesocket(benchmark::State &state, int type, int protocol) {
  if (!wsa_ready(state)) return;
  for (auto _ : state) {
    SOCKET s = WSASocketW(AF_INET, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) {
      skip_with_wsa_error(state, "WSASocketW()");
      break;
    }
    if (closesocket(s) != 0) {
      skip_with_wsa_error(state, "closesocket()");
      break;
    }
  }
}

void BM_ws2_socket_closesocket_tcp(benchmark::State &state) {
  ws2_socket_closesocket(state, SOCK_STREAM, IPPROTO_TCP);
}
void BM_ws2_socket_closesocket_udp(benchmark::State &state) {
  ws2_socket_closesocket(state, SOCK_DGRAM, IPPROTO_UDP);
}
void BM_ws2_WSASocketW_closesocket_tcp(benchmark::State &state) {
  ws2_wsasocketw_closesocket(state, SOCK_STREAM, IPPROTO_TCP);
}
void BM_ws2_WSASocketW_closesocket_udp(benchmark::State &state) {
  ws2_wsasocketw_closesocket(state, SOCK_DGRAM, IPPROTO_UDP);
}

// The benchmarks, and for each ws2 one the raw Linux benchmark it is compared with.
struct BenchDef {
  const char *name;
  void (*fn)(benchmark::State &);
  const char *label;     // for the summary line
  const char *baseline;  // raw benchmark to compare with; nullptr for the baselines themselves
  const char *kind;      // "TCP" or "UDP"
};

const BenchDef kBenches[] = {
    {"BM_raw_socket_close/TCP", ws2_bench::BM_raw_socket_close_tcp, "socket+close", nullptr,
     "TCP"},
    {"BM_ws2_socket_closesocket/TCP", BM_ws2_socket_closesocket_tcp, "socket+closesocket",
     "BM_raw_socket_close/TCP", "TCP"},
    {"BM_ws2_WSASocketW_closesocket/TCP", BM_ws2_WSASocketW_closesocket_tcp,
     "WSASocketW+closesocket", "BM_raw_socket_close/TCP", "TCP"},
    {"BM_raw_socket_close/UDP", ws2_bench::BM_raw_socket_close_udp, "socket+close", nullptr,
     "UDP"},
    {"BM_ws2_socket_closesocket/UDP", BM_ws2_socket_closesocket_udp, "socket+closesocket",
     "BM_raw_socket_close/UDP", "UDP"},
    {"BM_ws2_WSASocketW_closesocket/UDP", BM_ws2_WSASocketW_closesocket_udp,
     "WSASocketW+closesocket", "BM_raw_socket_close/UDP", "UDP"},
};

using ws2_bench::RecordingReporter;

constexpr double kTargetRatio = 1.10;

// Returns the number of ratios above the target.
int print_summary(const RecordingReporter &reporter) {
  std::printf("\nSummary (real time per iteration; median when repetitions are used)\n");
  for (const BenchDef &b : kBenches) {
    std::string why;
    const double t = reporter.time_ns(b.name, &why);
    if (t < 0.0)
      std::printf("  %-36s %s\n", b.name, why.c_str());
    else
      std::printf("  %-36s %10.1f ns\n", b.name, t);
  }
  std::printf("\n");
  int above = 0;
  for (const BenchDef &b : kBenches) {
    if (!b.baseline) continue;
    const BenchDef *base = nullptr;
    for (const BenchDef &c : kBenches)
      if (std::string(c.name) == b.baseline) base = &c;
    std::string why_ws2, why_raw;
    const double t_ws2 = reporter.time_ns(b.name, &why_ws2);
    const double t_raw = reporter.time_ns(b.baseline, &why_raw);
    std::printf("ratio %s / %s (%s): ", b.label, base ? base->label : b.baseline, b.kind);
    if (t_ws2 < 0.0 || t_raw <= 0.0) {
      std::printf("n/a (%s)\n", t_ws2 < 0.0 ? why_ws2.c_str() : why_raw.c_str());
      continue;
    }
    const double ratio = t_ws2 / t_raw;
    const bool ok = ratio <= kTargetRatio;
    if (!ok) ++above;
    std::printf("%.2fx  (%+.1f ns; target <= %.2fx: %s)\n", ratio, t_ws2 - t_raw, kTargetRatio,
                ok ? "ok" : "ABOVE TARGET");
  }
  return above;
}

}  // namespace

int main(int argc, char **argv) {
  for (const BenchDef &b : kBenches) benchmark::RegisterBenchmark(b.name, b.fn);

  return ws2_bench::run_comparison(argc, argv, &g_wsa_startup_result, print_summary);
}
