// select with Windows' fd_set and semantics (windows-behaviour.md §3.10).
#include <chrono>
#include <thread>
#include <vector>

#include "support/loopback.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using namespace ws2test;

TEST_F(WinsockTest, SelectArgumentErrors) {
    timeval zero{0, 0};
    EXPECT_EQ(select(0, nullptr, nullptr, nullptr, &zero), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    fd_set r, w, e;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    EXPECT_EQ(select(0, &r, &w, &e, &zero), SOCKET_ERROR) << "all sets empty";
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    FD_SET(s, &r);
    FD_SET(INVALID_SOCKET, &r);
    EXPECT_EQ(select(0, &r, nullptr, nullptr, &zero), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_EQ(r.fd_count, 2u) << "sets unchanged";
    SOCKET closed = socket(AF_INET, SOCK_DGRAM, 0);
    closesocket(closed);
    FD_ZERO(&w);
    FD_SET(s, &w);
    FD_SET(closed, &w);
    EXPECT_EQ(select(0, nullptr, &w, nullptr, &zero), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_EQ(w.fd_count, 2u);
    EXPECT_EQ(select(0, static_cast<fd_set *>(inaccessible_page()), nullptr, nullptr, &zero), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

TEST_F(WinsockTest, FreshSocketsAndTheTimeout) {
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, 0), udp = socket(AF_INET, SOCK_DGRAM, 0);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(tcp, &r);
    FD_SET(tcp, &w);
    timeval t{0, 100000};
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(select(0, &r, &w, nullptr, &t), 0) << "a never-connected TCP socket is neither readable nor writable";
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(90));
    EXPECT_EQ(t.tv_sec, 0);
    EXPECT_EQ(t.tv_usec, 100000) << "the timeval is not modified";
    FD_ZERO(&w);
    FD_SET(udp, &w);
    timeval zero{0, 0};
    EXPECT_EQ(select(0, nullptr, &w, nullptr, &zero), 1) << "an unbound UDP socket is writable";
    closesocket(tcp);
    closesocket(udp);
}

TEST_F(WinsockTest, ListenerReadableWithPendingConnectionAndPeerClose) {
    Listener l;
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, sa(&l.address), sizeof l.address);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(l.s, &r);
    timeval t{2, 0};
    ASSERT_EQ(select(0, &r, nullptr, nullptr, &t), 1);
    SOCKET a = accept(l.s, nullptr, nullptr);
    closesocket(c);
    FD_ZERO(&r);
    FD_SET(a, &r);
    ASSERT_EQ(select(0, &r, nullptr, nullptr, &t), 1) << "peer close makes it readable";
    char b;
    EXPECT_EQ(recv(a, &b, 1, 0), 0);
    closesocket(a);
}

TEST_F(WinsockTest, FailedNonBlockingConnectShowsInTheExceptSet) {
    sockaddr_in closed = unused_loopback_port();
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    u_long on = 1;
    ioctlsocket(c, FIONBIO, &on);
    connect(c, sa(&closed), sizeof closed);
    fd_set w, e;
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(c, &w);
    FD_SET(c, &e);
    timeval t{2, 0};
    ASSERT_EQ(select(0, nullptr, &w, &e, &t), 1);
    EXPECT_TRUE(FD_ISSET(c, &e));
    EXPECT_FALSE(FD_ISSET(c, &w));
    for (int i = 0; i < 2; ++i) {  // stays readable
        int error = 0;
        int len = sizeof error;
        ASSERT_EQ(getsockopt(c, SOL_SOCKET, SO_ERROR, reinterpret_cast<char *>(&error), &len), 0);
        EXPECT_EQ(error, WSAECONNREFUSED);
    }
    closesocket(c);
}

TEST_F(WinsockTest, DuplicatesAliasesAndLargeSets) {
    TcpPair pair;
    send(pair.client, "x", 1, 0);
    fd_set set;
    FD_ZERO(&set);
    set.fd_array[0] = pair.server;
    set.fd_array[1] = pair.server;  // listed twice, bypassing FD_SET's check
    set.fd_count = 2;
    timeval t{2, 0};
    ASSERT_EQ(select(0, &set, nullptr, nullptr, &t), 1);
    EXPECT_EQ(set.fd_count, 1u) << "reported once";
    // The same fd_set as read and write set.
    FD_ZERO(&set);
    FD_SET(pair.server, &set);
    ASSERT_EQ(select(0, &set, &set, nullptr, &t), 2) << "readable and writable: two memberships";
    EXPECT_EQ(set.fd_count, 1u);
    EXPECT_TRUE(FD_ISSET(pair.server, &set));
    // More than 64 sockets, in a set the application sized itself.
    constexpr u_int kCount = 200;
    struct BigSet {
        u_int fd_count;
        SOCKET fd_array[kCount];
    } big{};
    std::vector<SOCKET> sockets;
    for (u_int i = 0; i < kCount; ++i) {
        sockets.push_back(socket(AF_INET, SOCK_DGRAM, 0));
        big.fd_array[big.fd_count++] = sockets.back();
    }
    EXPECT_EQ(select(0, nullptr, reinterpret_cast<fd_set *>(&big), nullptr, &t), static_cast<int>(kCount));
    for (u_int i = 0; i < kCount; ++i) EXPECT_EQ(big.fd_array[i], sockets[i]) << "order preserved";
    for (SOCKET s : sockets) closesocket(s);
}

TEST_F(WinsockTest, ClosingInAnotherThreadWakesSelectAsReadable) {
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in lo = loopback4();
    bind(u, sa(&lo), sizeof lo);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(u, &r);
    std::thread closer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        closesocket(u);
    });
    timeval t{5, 0};
    EXPECT_EQ(select(0, &r, nullptr, nullptr, &t), 1);
    EXPECT_TRUE(FD_ISSET(u, &r));
    closer.join();
}

TEST_F(WinsockTest, FdMacros) {
    fd_set set;
    FD_ZERO(&set);
    for (SOCKET s = 1; s <= 70; ++s) FD_SET(s, &set);
    EXPECT_EQ(set.fd_count, static_cast<u_int>(FD_SETSIZE)) << "adds beyond FD_SETSIZE are ignored";
    FD_SET(SOCKET{3}, &set);
    EXPECT_EQ(set.fd_count, 64u) << "no duplicates";
    FD_CLR(SOCKET{2}, &set);
    EXPECT_EQ(set.fd_count, 63u);
    EXPECT_EQ(set.fd_array[1], SOCKET{3}) << "the tail shifts down";
    EXPECT_TRUE(FD_ISSET(SOCKET{3}, &set));
    EXPECT_FALSE(FD_ISSET(SOCKET{2}, &set));
}

}  // namespace
