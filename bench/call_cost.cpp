// The user-space cost of one sendto+recvfrom exchange, ws2 against raw Linux, in instructions:
// a measure machine noise cannot move (the timing benchmarks can only be read as ratios).
// One thread, no blocking: each exchange sends one byte to a bound UDP socket and reads it back.
//
//   valgrind --tool=callgrind build/bench/ws2_call_cost ws2 1000   (and 2000)
//   valgrind --tool=callgrind build/bench/ws2_call_cost raw 1000   (and 2000)
//
// The difference of the two totals ("I refs") divided by 1000 is the cost of one exchange,
// start-up excluded.
#include <winsock2.h>
#include <ws2tcpip.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "call_cost_raw.h"

namespace {

bool ws2_udp_exchanges(long count) {
    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return false;
    SOCKET a = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), b = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    sockaddr_in lo{};
    lo.sin_family = AF_INET;
    lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = bind(a, reinterpret_cast<sockaddr *>(&lo), sizeof lo) == 0 &&
              bind(b, reinterpret_cast<sockaddr *>(&lo), sizeof lo) == 0;
    sockaddr_in to{};
    int len = sizeof to;
    ok = ok && getsockname(a, reinterpret_cast<sockaddr *>(&to), &len) == 0;
    char buffer[64] = "x";
    for (long i = 0; ok && i < count; ++i) {
        sockaddr_in from{};
        int from_len = sizeof from;
        ok = sendto(b, buffer, 1, 0, reinterpret_cast<sockaddr *>(&to), sizeof to) == 1 &&
             recvfrom(a, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr *>(&from), &from_len) == 1;
    }
    closesocket(a);
    closesocket(b);
    WSACleanup();
    return ok;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 3 || (std::strcmp(argv[1], "ws2") != 0 && std::strcmp(argv[1], "raw") != 0)) {
        std::fprintf(stderr, "usage: %s ws2|raw COUNT\n", argv[0]);
        return 2;
    }
    long count = std::strtol(argv[2], nullptr, 10);
    bool ok = std::strcmp(argv[1], "ws2") == 0 ? ws2_udp_exchanges(count) : ws2_bench::raw_udp_exchanges(count);
    if (!ok) std::fprintf(stderr, "an exchange failed\n");
    return ok ? 0 : 1;
}
