// What a layered provider costs: the shipped pass-through layer in a one-layer chain over the
// base provider, against the base provider alone, in the same run.
//
//   BM_{base,layer}_create/{TCP,UDP}      WSASocketW(the base entry | the chain entry) + closesocket
//   BM_{base,layer}_udp_ping_pong/1B      UDP round trip over 127.0.0.1, both ends base | layered
//   BM_{base,layer}_tcp_ping_pong/1B      TCP round trip (TCP_NODELAY), both ends base | layered
//
// Targets (issue 3): creation through the chain <= 1.5x the base's; a round trip through the
// layer <= 1.10x. The program installs the layer and its chains into a temporary catalog file
// ($WS2_CATALOG) before WSAStartup, exactly as ws2ctl would, and removes it at the end.
#include <benchmark/benchmark.h>

#include "comparison_main.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <string>
#include <vector>

#include "data_path_loops.h"

#include <winsock2.h>
#include <ws2spi.h>
#include <ws2tcpip.h>

namespace {

int g_wsa_startup_result = -1;
WSAPROTOCOL_INFOW g_base[2], g_chain[2];  // [0] TCP/IPv4, [1] UDP/IPv4

std::string wsa_message(const char *what) {
  return std::string(what) + " failed, WSAGetLastError() = " + std::to_string(WSAGetLastError());
}

std::vector<WSAPROTOCOL_INFOW> catalog() {
  DWORD length = 0;
  int err = 0;
  WSCEnumProtocols(nullptr, nullptr, &length, &err);
  std::vector<WSAPROTOCOL_INFOW> all(length / sizeof(WSAPROTOCOL_INFOW));
  int n = WSCEnumProtocols(nullptr, all.data(), &length, &err);
  all.resize(n < 0 ? 0 : n);
  return all;
}

bool find(DWORD id, WSAPROTOCOL_INFOW *out) {
  for (const WSAPROTOCOL_INFOW &e : catalog())
    if (e.dwCatalogEntryId == id) return *out = e, true;
  return false;
}

// The pass-through layer (its shipped ProviderId) and one chain each over TCP/IP and UDP/IP.
bool install_layer(std::string *error) {
  GUID layer_id = {0x5F2A9C1E, 0x3B7D, 0x4E8A, {0x9C, 0x61, 0x7D, 0x2E, 0x4B, 0x0A, 0x1F, 0x93}};
  GUID chain_id = {0x5F2A9C1E, 0x3B7D, 0x4E8A, {0x9C, 0x61, 0x7D, 0x2E, 0x4B, 0x0A, 0x1F, 0x94}};
  std::string narrow = WS2_PASSTHROUGH_PATH;
  std::wstring path(narrow.begin(), narrow.end());
  int err = 0;
  if (!find(1004, &g_base[0]) || !find(1005, &g_base[1])) return *error = "no base entries", false;
  WSAPROTOCOL_INFOW layer = g_base[0];
  layer.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
  std::wcscpy(layer.szProtocol, L"ws2 pass-through layer");
  if (WSCInstallProvider(&layer_id, path.c_str(), &layer, 1, &err) != 0)
    return *error = "installing the layer: " + std::to_string(err), false;
  DWORD layer_entry = 0;
  for (const WSAPROTOCOL_INFOW &e : catalog())
    if (e.ProtocolChain.ChainLen == LAYERED_PROTOCOL) layer_entry = e.dwCatalogEntryId;
  WSAPROTOCOL_INFOW chains[2] = {g_base[0], g_base[1]};
  for (WSAPROTOCOL_INFOW &c : chains) {
    DWORD base = c.dwCatalogEntryId;
    c.ProtocolChain.ChainLen = 2;
    c.ProtocolChain.ChainEntries[0] = layer_entry;
    c.ProtocolChain.ChainEntries[1] = base;
    std::wcscpy(c.szProtocol, L"pass-through over base");
  }
  if (WSCInstallProvider(&chain_id, path.c_str(), chains, 2, &err) != 0)
    return *error = "installing the chains: " + std::to_string(err), false;
  for (const WSAPROTOCOL_INFOW &e : catalog())
    if (e.ProtocolChain.ChainLen == 2)
      g_chain[e.ProtocolChain.ChainEntries[1] == g_base[0].dwCatalogEntryId ? 0 : 1] = e;
  return true;
}

template <bool Layered>
SOCKET make_socket(int type) {
  WSAPROTOCOL_INFOW info = (Layered ? g_chain : g_base)[type == SOCK_STREAM ? 0 : 1];
  return WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                    WSA_FLAG_OVERLAPPED);
}

template <bool Layered>
SOCKET bound_loopback_socket(int type, SOCKADDR_IN *bound, std::string *error) {
  SOCKET s = make_socket<Layered>(type);
  if (s == INVALID_SOCKET) return *error = wsa_message("WSASocketW()"), INVALID_SOCKET;
  SOCKADDR_IN a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof *bound;
  if (bind(s, reinterpret_cast<const sockaddr *>(&a), sizeof a) == 0 &&
      getsockname(s, reinterpret_cast<sockaddr *>(bound), &len) == 0)
    return s;
  *error = wsa_message("bind()/getsockname()");
  closesocket(s);
  return INVALID_SOCKET;
}

// The data-path loops' Api (data_path_loops.h), every socket made through the chain or not.
template <bool Layered>
struct ChainApi {
  using Socket = SOCKET;
  using Address = SOCKADDR_IN;

  static bool udp_pair(SOCKET *client, SOCKET *server, SOCKADDR_IN *server_address, std::string *error) {
    SOCKADDR_IN ignored{};
    if ((*server = bound_loopback_socket<Layered>(SOCK_DGRAM, server_address, error)) == INVALID_SOCKET)
      return false;
    if ((*client = bound_loopback_socket<Layered>(SOCK_DGRAM, &ignored, error)) == INVALID_SOCKET) {
      closesocket(*server);
      return false;
    }
    return true;
  }
  static bool tcp_pair(SOCKET *client, SOCKET *server, std::string *error) {
    SOCKADDR_IN address{};
    SOCKET listener = bound_loopback_socket<Layered>(SOCK_STREAM, &address, error);
    if (listener == INVALID_SOCKET) return false;
    const BOOL one = TRUE;
    bool ok = listen(listener, 1) == 0 && (*client = make_socket<Layered>(SOCK_STREAM)) != INVALID_SOCKET &&
              connect(*client, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0 &&
              (*server = accept(listener, nullptr, nullptr)) != INVALID_SOCKET &&
              setsockopt(*client, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one) == 0 &&
              setsockopt(*server, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one) == 0;
    if (!ok) *error = wsa_message("TCP pair");
    closesocket(listener);
    return ok;
  }
  static long send_to(SOCKET s, const char *b, int n, const SOCKADDR_IN &to) {
    return sendto(s, b, n, 0, reinterpret_cast<const sockaddr *>(&to), sizeof to);
  }
  static long recv_from(SOCKET s, char *b, int n, SOCKADDR_IN *from) {
    int len = sizeof *from;
    return recvfrom(s, b, n, 0, reinterpret_cast<sockaddr *>(from), &len);
  }
  static long send(SOCKET s, const char *b, int n) { return ::send(s, b, n, 0); }
  static long recv(SOCKET s, char *b, int n) { return ::recv(s, b, n, 0); }
  static void shutdown_send(SOCKET s) { shutdown(s, SD_SEND); }
  static void shutdown_both(SOCKET s) { shutdown(s, SD_BOTH); }
  static void close(SOCKET s) { closesocket(s); }
  static std::string last_error(const char *what) { return wsa_message(what); }
};

bool ready(benchmark::State &state) {
  if (g_wsa_startup_result == 0 && g_chain[0].dwCatalogEntryId != 0) return true;
  state.SkipWithError("WSAStartup or the layer installation failed");
  return false;
}

template <bool Layered, int Type>
void BM_create(benchmark::State &state) {
  if (!ready(state)) return;
  for (auto _ : state) {
    SOCKET s = make_socket<Layered>(Type);
    if (s == INVALID_SOCKET || closesocket(s) != 0) {
      state.SkipWithError(wsa_message("create/close").c_str());
      break;
    }
  }
}
template <bool Layered>
void BM_udp(benchmark::State &state) {
  if (ready(state)) ws2_bench::data_path::udp_ping_pong<ChainApi<Layered>>(state, 1);
}
template <bool Layered>
void BM_tcp(benchmark::State &state) {
  if (ready(state)) ws2_bench::data_path::tcp_ping_pong<ChainApi<Layered>>(state, 1);
}

struct Comparison {
  const char *label;
  const char *layer_name;
  void (*layer_fn)(benchmark::State &);
  const char *base_name;
  void (*base_fn)(benchmark::State &);
  double target;
};

const Comparison kComparisons[] = {
    {"create+close TCP", "BM_layer_create/TCP", BM_create<true, SOCK_STREAM>, "BM_base_create/TCP",
     BM_create<false, SOCK_STREAM>, 1.5},
    {"create+close UDP", "BM_layer_create/UDP", BM_create<true, SOCK_DGRAM>, "BM_base_create/UDP",
     BM_create<false, SOCK_DGRAM>, 1.5},
    {"UDP ping-pong 1B", "BM_layer_udp_ping_pong/1B", BM_udp<true>, "BM_base_udp_ping_pong/1B",
     BM_udp<false>, 1.10},
    {"TCP ping-pong 1B", "BM_layer_tcp_ping_pong/1B", BM_tcp<true>, "BM_base_tcp_ping_pong/1B",
     BM_tcp<false>, 1.10},
};

int print_summary(const ws2_bench::RecordingReporter &reporter) {
  std::printf("\nSummary: pass-through layer against the base provider (median real time)\n");
  int above = 0;
  for (const Comparison &c : kComparisons) {
    std::string why_layer, why_base;
    const double t_layer = reporter.time_ns(c.layer_name, &why_layer);
    const double t_base = reporter.time_ns(c.base_name, &why_base);
    std::printf("ratio %-18s ", c.label);
    if (t_layer < 0.0 || t_base <= 0.0) {
      std::printf("n/a (%s)\n", t_layer < 0.0 ? why_layer.c_str() : why_base.c_str());
      continue;
    }
    const double ratio = t_layer / t_base;
    above += ratio > c.target;
    std::printf("%.2fx (%.1f ns vs %.1f ns; target <= %.2fx: %s)\n", ratio, t_layer, t_base,
                c.target, ratio <= c.target ? "ok" : "ABOVE TARGET");
  }
  return above;
}

}  // namespace

int main(int argc, char **argv) {
  char dir[] = "/tmp/ws2-layer-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 1;
  std::string file = std::string(dir) + "/catalog.json";
  setenv("WS2_CATALOG", file.c_str(), 1);
  std::string error;
  if (!install_layer(&error)) std::fprintf(stderr, "layer installation failed: %s\n", error.c_str());
  for (const Comparison &c : kComparisons) {
    benchmark::RegisterBenchmark(c.base_name, c.base_fn)->UseRealTime();
    benchmark::RegisterBenchmark(c.layer_name, c.layer_fn)->UseRealTime();
  }
  int rc = ws2_bench::run_comparison(argc, argv, &g_wsa_startup_result, print_summary);
  std::remove(file.c_str());
  std::remove((file + ".lock").c_str());
  rmdir(dir);
  return rc;
}
