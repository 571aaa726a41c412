// Loopback helpers for the data-path suites (127.0.0.1 and ::1 only).
#pragma once
#include <winsock2.h>
#include <ws2tcpip.h>

#include <cstring>

namespace ws2test {

inline sockaddr_in loopback4(u_short port = 0) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

inline sockaddr_in6 loopback6(u_short port = 0) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr.s6_addr[15] = 1;
    return a;
}

inline sockaddr *sa(void *p) { return static_cast<sockaddr *>(p); }

// A 127.0.0.1 address whose port nobody uses (bound once, then released): a connect is refused,
// a datagram meets ICMP port unreachable.
inline sockaddr_in unused_loopback_port(int type = SOCK_STREAM) {
    SOCKET probe = socket(AF_INET, type, 0);
    sockaddr_in lo = loopback4();
    bind(probe, sa(&lo), sizeof lo);
    sockaddr_in addr{};
    int len = sizeof addr;
    getsockname(probe, sa(&addr), &len);
    closesocket(probe);
    return addr;
}

// A listening TCP socket on 127.0.0.1 and its address.
struct Listener {
    SOCKET s = INVALID_SOCKET;
    sockaddr_in address{};
    Listener() {
        s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        sockaddr_in any = loopback4();
        bind(s, sa(&any), sizeof any);
        listen(s, SOMAXCONN);
        int len = sizeof address;
        getsockname(s, sa(&address), &len);
    }
    ~Listener() {
        if (s != INVALID_SOCKET) closesocket(s);
    }
};

// A connected TCP pair over loopback.
struct TcpPair {
    SOCKET client = INVALID_SOCKET, server = INVALID_SOCKET;
    TcpPair() {
        Listener l;
        client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        connect(client, sa(&l.address), sizeof l.address);
        server = accept(l.s, nullptr, nullptr);
    }
    ~TcpPair() {
        if (client != INVALID_SOCKET) closesocket(client);
        if (server != INVALID_SOCKET) closesocket(server);
    }
};

}  // namespace ws2test
