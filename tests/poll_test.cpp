// WSAPoll with Windows' POLL* values and rules (windows-behaviour.md §3.11).
#include <chrono>
#include <thread>

#include "support/loopback.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using namespace ws2test;

TEST_F(WinsockTest, WsaPollArgumentErrors) {
    EXPECT_EQ(WSAPoll(nullptr, 0, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(WSAPoll(nullptr, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSAPoll(static_cast<LPWSAPOLLFD>(inaccessible_page()), 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    for (SHORT bad : {SHORT{POLLERR}, SHORT{POLLHUP}, SHORT{POLLNVAL}, SHORT{0x8}, SHORT{POLLWRBAND}, SHORT{0x40},
                      SHORT{0x80}, SHORT{POLLPRI}, SHORT{0x800}, SHORT{0x1000}, SHORT{0x2000}, SHORT{0x4000}}) {
        WSAPOLLFD p{s, bad, 0};
        EXPECT_EQ(WSAPoll(&p, 1, 0), SOCKET_ERROR) << std::hex << bad;
        EXPECT_EQ(WSAGetLastError(), WSAEINVAL) << std::hex << bad;
    }
    closesocket(s);
}

TEST_F(WinsockTest, WsaPollInvalidEntries) {
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    WSAPOLLFD p[2] = {{INVALID_SOCKET, POLLRDNORM, 0}, {s, POLLRDNORM, 0}};
    arm_last_error();
    EXPECT_EQ(WSAPoll(p, 2, 0), 0) << "valid entries counted only";
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(p[0].revents, POLLNVAL);
    EXPECT_EQ(p[1].revents, 0);
    WSAPOLLFD none[2] = {{INVALID_SOCKET, POLLRDNORM, 0}, {SOCKET{0xdead}, POLLWRNORM, 0}};
    EXPECT_EQ(WSAPoll(none, 2, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_EQ(none[0].revents, POLLNVAL);
    EXPECT_EQ(none[1].revents, POLLNVAL);
    closesocket(s);
}

TEST_F(WinsockTest, WsaPollReadiness) {
    Listener l;
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, sa(&l.address), sizeof l.address);
    WSAPOLLFD p{l.s, POLLRDNORM, 0};
    ASSERT_EQ(WSAPoll(&p, 1, 2000), 1);
    EXPECT_EQ(p.revents, POLLRDNORM) << "a pending connection";
    SOCKET a = accept(l.s, nullptr, nullptr);
    WSAPOLLFD idle{a, POLLRDNORM | POLLWRNORM, 0};
    ASSERT_EQ(WSAPoll(&idle, 1, 0), 1);
    EXPECT_EQ(idle.revents, POLLWRNORM) << "connected and idle: writable only";
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    WSAPOLLFD fresh{u, POLLOUT, 0};
    ASSERT_EQ(WSAPoll(&fresh, 1, 0), 1);
    EXPECT_EQ(fresh.revents, POLLWRNORM);
    // An abortive close by the peer: error and hang-up.
    LINGER abort{1, 0};
    setsockopt(c, SOL_SOCKET, SO_LINGER, reinterpret_cast<char *>(&abort), sizeof abort);
    closesocket(c);
    WSAPOLLFD reset{a, POLLWRNORM, 0};
    ASSERT_EQ(WSAPoll(&reset, 1, 2000), 1);
    EXPECT_EQ(reset.revents & (POLLHUP | POLLERR), POLLHUP | POLLERR);
    closesocket(a);
    closesocket(u);
}

TEST_F(WinsockTest, WsaPollReportsASocketClosedDuringTheWait) {
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in lo = loopback4();
    bind(u, sa(&lo), sizeof lo);
    std::thread closer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        closesocket(u);
    });
    WSAPOLLFD p{u, POLLRDNORM, 0};
    EXPECT_EQ(WSAPoll(&p, 1, 5000), 1);
    EXPECT_EQ(p.revents, POLLNVAL);
    closer.join();
}

}  // namespace
