// The raw Linux half of call_cost.cpp: the same UDP exchange with the Linux socket API.
// Kept apart because <sys/socket.h> and <winsock2.h> cannot share a translation unit.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "call_cost_raw.h"

namespace ws2_bench {

bool raw_udp_exchanges(long count) {
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in lo{};
    lo.sin_family = AF_INET;
    lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = bind(a, reinterpret_cast<sockaddr *>(&lo), sizeof lo) == 0 &&
              bind(b, reinterpret_cast<sockaddr *>(&lo), sizeof lo) == 0;
    sockaddr_in to{};
    socklen_t len = sizeof to;
    ok = ok && getsockname(a, reinterpret_cast<sockaddr *>(&to), &len) == 0;
    char buffer[64] = "x";
    for (long i = 0; ok && i < count; ++i) {
        sockaddr_in from{};
        socklen_t from_len = sizeof from;
        ok = sendto(b, buffer, 1, 0, reinterpret_cast<sockaddr *>(&to), sizeof to) == 1 &&
             recvfrom(a, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr *>(&from), &from_len) == 1;
    }
    close(a);
    close(b);
    return ok;
}

}  // namespace ws2_bench
