// Data-path cost: ws2 (Winsock on Linux) against the raw Linux socket API, over 127.0.0.1.
//
//   BM_{ws2,raw}_udp_ping_pong/1B, /64B   sendto + recvfrom round trip through an echo thread
//                                         (recvfrom + sendto back to the source); one round trip
//                                         per iteration
//   BM_{ws2,raw}_tcp_ping_pong/1B         send + recv round trip of 1 byte through an echo thread
//                                         (recv + send), TCP_NODELAY on both ends
//   BM_{ws2,raw}_tcp_stream/64KiB         one 64 KiB send() per iteration; a receiver thread
//                                         drains with recv() into a 64 KiB buffer (bytes/second)
// All sockets are blocking. Both sides run the same loops and thread structure, written once in
// data_path_loops.h; only the socket layer differs. After the run a summary prints, for every
// benchmark, ws2 real time per iteration divided by raw real time (median over repetitions when
// --benchmark_repetitions is used; target: within 1.05x).
//
// TCP_NODELAY on the ws2 sockets is set with Winsock setsockopt(IPPROTO_TCP, TCP_NODELAY). If ws2
// refuses it, it is set on the Linux descriptor instead (a ws2 SOCKET is its descriptor number);
// the benchmark label and the summary say which way it was done.
//
// The raw Linux side lives in raw_linux_data_path.cpp: <sys/socket.h> and <winsock2.h> must not
// meet in one translation unit.
//
// Noise: on a small VM a ping-pong round trip is dominated by the cross-CPU wake-up. Whether
// the peer vCPU is idle (halted) or busy moves it between about 13 us and 80 us, from run to
// run, so unpinned ratios can swing either way. `taskset -c 1 ws2_bench_data_path ...` keeps
// both threads on one CPU (each wake-up is a local context switch) and gives stable ratios.
#include <benchmark/benchmark.h>

#include "comparison_main.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "data_path_loops.h"
#include "raw_linux_data_path.h"

#include <winsock2.h>
#include <ws2tcpip.h>

#include <unistd.h>

namespace {

// Result of WSAStartup in main(); the ws2 benchmarks refuse to run without it.
int g_wsa_startup_result = -1;

// How TCP_NODELAY was last set on ws2 sockets, for the label and the summary.
std::string g_nodelay_method = "not set (no ws2 TCP benchmark ran)";

std::string wsa_message(const char *what) {
  return std::string(what) + " failed, WSAGetLastError() = " + std::to_string(WSAGetLastError());
}

// A socket of `type` bound to 127.0.0.1:0; its address in *bound. INVALID_SOCKET (with *error)
// on failure.
SOCKET bound_loopback_socket(int type, int protocol, SOCKADDR_IN *bound, std::string *error) {
  SOCKET s = socket(AF_INET, type, protocol);
  if (s == INVALID_SOCKET) {
    *error = wsa_message("socket()");
    return INVALID_SOCKET;
  }
  SOCKADDR_IN a{};
  a.sin_family = AF_INET;
  a.sin_port = 0;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof *bound;
  if (bind(s, reinterpret_cast<const sockaddr *>(&a), sizeof a) == SOCKET_ERROR) {
    *error = wsa_message("bind()");
  } else if (getsockname(s, reinterpret_cast<sockaddr *>(bound), &len) == SOCKET_ERROR) {
    *error = wsa_message("getsockname()");
  } else {
    return s;
  }
  closesocket(s);
  return INVALID_SOCKET;
}

// TCP_NODELAY through Winsock; if ws2 refuses, on the Linux descriptor behind the SOCKET.
bool set_nodelay(SOCKET s, std::string *error) {
  const BOOL one = TRUE;
  if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one),
                 sizeof one) == 0) {
    g_nodelay_method = "Winsock setsockopt(IPPROTO_TCP, TCP_NODELAY)";
    return true;
  }
  const int wsa_error = WSAGetLastError();
  if (!ws2_bench::raw_set_tcp_nodelay(static_cast<int>(s), error)) return false;
  g_nodelay_method = "Linux setsockopt on the descriptor (ws2 setsockopt(IPPROTO_TCP, "
                     "TCP_NODELAY) failed, WSAGetLastError() = " +
                     std::to_string(wsa_error) + ")";
  return true;
}

struct Ws2Api {
  using Socket = SOCKET;
  using Address = SOCKADDR_IN;

  static bool udp_pair(SOCKET *client, SOCKET *server, SOCKADDR_IN *server_address,
                       std::string *error) {
    SOCKADDR_IN client_address{};
    *server = bound_loopback_socket(SOCK_DGRAM, IPPROTO_UDP, server_address, error);
    if (*server == INVALID_SOCKET) return false;
    *client = bound_loopback_socket(SOCK_DGRAM, IPPROTO_UDP, &client_address, error);
    if (*client == INVALID_SOCKET) {
      closesocket(*server);
      return false;
    }
    return true;
  }

  static bool tcp_pair(SOCKET *client, SOCKET *server, std::string *error) {
    SOCKADDR_IN listen_address{};
    SOCKET listener = bound_loopback_socket(SOCK_STREAM, IPPROTO_TCP, &listen_address, error);
    if (listener == INVALID_SOCKET) return false;
    *client = *server = INVALID_SOCKET;
    if (listen(listener, 1) == SOCKET_ERROR) {
      *error = wsa_message("listen()");
    } else if ((*client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET) {
      *error = wsa_message("socket()");
    } else if (connect(*client, reinterpret_cast<const sockaddr *>(&listen_address),
                       sizeof listen_address) == SOCKET_ERROR) {
      *error = wsa_message("connect()");
    } else if ((*server = accept(listener, nullptr, nullptr)) == INVALID_SOCKET) {
      *error = wsa_message("accept()");
    } else if (set_nodelay(*client, error) && set_nodelay(*server, error)) {
      closesocket(listener);
      return true;
    }
    if (*client != INVALID_SOCKET) closesocket(*client);
    if (*server != INVALID_SOCKET) closesocket(*server);
    closesocket(listener);
    return false;
  }

  static long send_to(SOCKET s, const char *buffer, int length, const SOCKADDR_IN &to) {
    return sendto(s, buffer, length, 0, reinterpret_cast<const sockaddr *>(&to), sizeof to);
  }
  static long recv_from(SOCKET s, char *buffer, int length, SOCKADDR_IN *from) {
    int from_length = sizeof *from;
    return recvfrom(s, buffer, length, 0, reinterpret_cast<sockaddr *>(from), &from_length);
  }
  static long send(SOCKET s, const char *buffer, int length) { return ::send(s, buffer, length, 0); }
  static long recv(SOCKET s, char *buffer, int length) { return ::recv(s, buffer, length, 0); }
  static void shutdown_send(SOCKET s) { shutdown(s, SD_SEND); }
  static void shutdown_both(SOCKET s) { shutdown(s, SD_BOTH); }
  static void close(SOCKET s) { closesocket(s); }
  static std::string last_error(const char *what) { return wsa_message(what); }
};

bool wsa_ready(benchmark::State &state) {
  if (g_wsa_startup_result == 0) return true;
  const std::string msg = "WSAStartup(2.2) failed: " + std::to_string(g_wsa_startup_result);
  state.SkipWithError(msg.c_str());
  return false;
}

void BM_ws2_udp_ping_pong_1(benchmark::State &state) {
  if (wsa_ready(state)) ws2_bench::data_path::udp_ping_pong<Ws2Api>(state, 1);
}
void BM_ws2_udp_ping_pong_64(benchmark::State &state) {
  if (wsa_ready(state)) ws2_bench::data_path::udp_ping_pong<Ws2Api>(state, 64);
}
void BM_ws2_tcp_ping_pong_1(benchmark::State &state) {
  if (!wsa_ready(state)) return;
  ws2_bench::data_path::tcp_ping_pong<Ws2Api>(state, 1);
  state.SetLabel("TCP_NODELAY via " + g_nodelay_method.substr(0, g_nodelay_method.find(' ')));
}
void BM_ws2_tcp_stream_64k(benchmark::State &state) {
  if (wsa_ready(state)) ws2_bench::data_path::tcp_stream<Ws2Api>(state);
}

// Each comparison: the ws2 benchmark and the raw Linux benchmark doing the same loop.
struct Comparison {
  const char *label;  // for the summary line
  const char *ws2_name;
  void (*ws2_fn)(benchmark::State &);
  const char *raw_name;
  void (*raw_fn)(benchmark::State &);
  double bytes_per_iteration;  // > 0: also print throughput
};

const Comparison kComparisons[] = {
    {"UDP ping-pong 1B", "BM_ws2_udp_ping_pong/1B", BM_ws2_udp_ping_pong_1,
     "BM_raw_udp_ping_pong/1B", ws2_bench::BM_raw_udp_ping_pong_1, 0},
    {"UDP ping-pong 64B", "BM_ws2_udp_ping_pong/64B", BM_ws2_udp_ping_pong_64,
     "BM_raw_udp_ping_pong/64B", ws2_bench::BM_raw_udp_ping_pong_64, 0},
    {"TCP ping-pong 1B (TCP_NODELAY)", "BM_ws2_tcp_ping_pong/1B", BM_ws2_tcp_ping_pong_1,
     "BM_raw_tcp_ping_pong/1B", ws2_bench::BM_raw_tcp_ping_pong_1, 0},
    {"TCP stream 64KiB send/recv", "BM_ws2_tcp_stream/64KiB", BM_ws2_tcp_stream_64k,
     "BM_raw_tcp_stream/64KiB", ws2_bench::BM_raw_tcp_stream_64k,
     ws2_bench::data_path::kStreamChunk},
};

using ws2_bench::RecordingReporter;

constexpr double kTargetRatio = 1.05;

void print_time(const RecordingReporter &reporter, const char *name, double bytes) {
  std::string why;
  const double t = reporter.time_ns(name, &why);
  if (t < 0.0) {
    std::printf("  %-28s %s\n", name, why.c_str());
  } else if (bytes > 0) {
    std::printf("  %-28s %10.1f ns  (%.0f MiB/s)\n", name, t, bytes / t * 1e9 / (1024 * 1024));
  } else {
    std::printf("  %-28s %10.1f ns\n", name, t);
  }
}

// Returns the number of ratios above the target.
int print_summary(const RecordingReporter &reporter) {
  std::printf("\nSummary (real time per iteration; median when repetitions are used)\n");
  for (const Comparison &c : kComparisons) {
    print_time(reporter, c.raw_name, c.bytes_per_iteration);
    print_time(reporter, c.ws2_name, c.bytes_per_iteration);
  }
  std::printf("  ws2 TCP_NODELAY: %s\n\n", g_nodelay_method.c_str());
  int above = 0;
  for (const Comparison &c : kComparisons) {
    std::string why_ws2, why_raw;
    const double t_ws2 = reporter.time_ns(c.ws2_name, &why_ws2);
    const double t_raw = reporter.time_ns(c.raw_name, &why_raw);
    std::printf("ratio %s: ", c.label);
    if (t_ws2 < 0.0 || t_raw <= 0.0) {
      std::printf("n/a (%s)\n", t_ws2 < 0.0 ? why_ws2.c_str() : why_raw.c_str());
      continue;
    }
    const double ratio = t_ws2 / t_raw;
    const bool ok = ratio <= kTargetRatio;
    if (!ok) ++above;
    std::printf("%.2fx (target <= %.2fx: %s; %+.1f ns)\n", ratio, kTargetRatio,
                ok ? "ok" : "ABOVE TARGET", t_ws2 - t_raw);
  }
  return above;
}

}  // namespace

int main(int argc, char **argv) {
  for (const Comparison &c : kComparisons) {
    benchmark::RegisterBenchmark(c.raw_name, c.raw_fn)->UseRealTime();
    benchmark::RegisterBenchmark(c.ws2_name, c.ws2_fn)->UseRealTime();
  }

  return ws2_bench::run_comparison(argc, argv, &g_wsa_startup_result, print_summary);
}
