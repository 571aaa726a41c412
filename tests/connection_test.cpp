// bind, listen, accept/WSAAccept, connect, shutdown, getsockname, getpeername: behaviour and
// every error with its exact code (windows-behaviour.md §3.14).
#include <chrono>
#include <thread>

#include <afunix.h>

#include <cstring>

#include "spi/socket_registry.h"

#include "support/loopback.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using namespace ws2test;

TEST_F(WinsockTest, TcpConnectAcceptAndExchange) {
    Listener l;
    ASSERT_NE(l.s, INVALID_SOCKET);
    EXPECT_NE(l.address.sin_port, 0);
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    arm_last_error();
    ASSERT_EQ(connect(c, sa(&l.address), sizeof l.address), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    sockaddr_in peer{};
    int len = sizeof peer;
    SOCKET a = accept(l.s, sa(&peer), &len);
    ASSERT_NE(a, INVALID_SOCKET);
    EXPECT_EQ(len, static_cast<int>(sizeof(sockaddr_in)));
    EXPECT_EQ(peer.sin_family, AF_INET);
    EXPECT_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    EXPECT_EQ(protocol_info(a).dwCatalogEntryId, 1004u) << "accepted on the listener's entry";
    EXPECT_EQ(send(c, "hello", 5, 0), 5);
    char buf[16] = {};
    EXPECT_EQ(recv(a, buf, sizeof buf, 0), 5);
    EXPECT_STREQ(buf, "hello");
    // getsockname/getpeername agree across the connection.
    sockaddr_in local{}, remote{};
    int l1 = sizeof local, l2 = sizeof remote;
    ASSERT_EQ(getsockname(c, sa(&local), &l1), 0);
    ASSERT_EQ(getpeername(a, sa(&remote), &l2), 0);
    EXPECT_EQ(local.sin_port, remote.sin_port);
    EXPECT_EQ(std::memcmp(local.sin_zero, "\0\0\0\0\0\0\0\0", 8), 0) << "sin_zero is zeroed";
    // Graceful close: the peer reads 0.
    EXPECT_EQ(shutdown(c, SD_SEND), 0);
    EXPECT_EQ(recv(a, buf, sizeof buf, 0), 0);
    closesocket(a);
    closesocket(c);
}

TEST_F(WinsockTest, Ipv6LoopbackWorks) {
    SOCKET l = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in6 any = loopback6();
    ASSERT_EQ(bind(l, sa(&any), sizeof any), 0);
    ASSERT_EQ(listen(l, 5), 0);
    sockaddr_in6 addr{};
    int len = sizeof addr;
    ASSERT_EQ(getsockname(l, sa(&addr), &len), 0);
    EXPECT_EQ(len, 28);
    EXPECT_EQ(addr.sin6_family, AF_INET6);
    SOCKET c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_EQ(connect(c, sa(&addr), sizeof addr), 0);
    SOCKET a = accept(l, nullptr, nullptr);
    ASSERT_NE(a, INVALID_SOCKET);
    EXPECT_EQ(send(a, "x", 1, 0), 1);
    char b;
    EXPECT_EQ(recv(c, &b, 1, 0), 1);
    for (SOCKET s : {a, c, l}) closesocket(s);
}

TEST_F(WinsockTest, BindErrors) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback4();
    EXPECT_EQ(bind(s, nullptr, sizeof a), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(bind(s, sa(&a), 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(bind(s, sa(&a), sizeof a - 1), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(bind(s, sa(inaccessible_page()), sizeof a), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    sockaddr_in bogus = a;
    bogus.sin_family = 0xdead;
    EXPECT_EQ(bind(s, sa(&bogus), sizeof bogus), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    sockaddr_in6 v6 = loopback6();
    EXPECT_EQ(bind(s, sa(&v6), sizeof v6), SOCKET_ERROR) << "family differs from the socket's";
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    sockaddr_in foreign = a;
    foreign.sin_addr.s_addr = htonl(0xC0000200);  // 192.0.2.0, not local
    EXPECT_EQ(bind(s, sa(&foreign), sizeof foreign), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEADDRNOTAVAIL);
    arm_last_error();
    ASSERT_EQ(bind(s, sa(&a), sizeof a), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(bind(s, sa(&a), sizeof a), SOCKET_ERROR) << "a second bind";
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    sockaddr_in taken{};
    int len = sizeof taken;
    getsockname(s, sa(&taken), &len);
    listen(s, 1);
    SOCKET other = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(bind(other, sa(&taken), sizeof taken), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEADDRINUSE);
    // The 24-byte sockaddr_in6 of old SDKs is too short.
    SOCKET s6 = socket(AF_INET6, SOCK_STREAM, 0);
    EXPECT_EQ(bind(s6, sa(&v6), 24), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    for (SOCKET x : {s, other, s6}) closesocket(x);
    EXPECT_EQ(bind(INVALID_SOCKET, sa(&a), sizeof a), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
}

TEST_F(WinsockTest, GetSockNameAndPeerNameErrors) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    std::memset(&a, 0x55, sizeof a);
    int len = sizeof a;
    EXPECT_EQ(getsockname(s, sa(&a), &len), SOCKET_ERROR) << "unbound";
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(a.sin_family, 0x5555) << "buffer unchanged";
    sockaddr_in lo = loopback4();
    bind(s, sa(&lo), sizeof lo);
    EXPECT_EQ(getsockname(s, nullptr, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    len = sizeof a - 1;
    EXPECT_EQ(getsockname(s, sa(&a), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, static_cast<int>(sizeof a - 1)) << "length unchanged";
    arm_last_error();
    len = sizeof a;
    EXPECT_EQ(getsockname(s, sa(&a), &len), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(getpeername(s, nullptr, nullptr), SOCKET_ERROR) << "not connected, even with NULLs";
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_EQ(getpeername(u, sa(&a), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    EXPECT_EQ(getpeername(INVALID_SOCKET, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    TcpPair pair;
    len = 0;
    EXPECT_EQ(getpeername(pair.client, sa(&a), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, 0);
    closesocket(s);
    closesocket(u);
}

TEST_F(WinsockTest, ListenErrors) {
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in lo = loopback4();
    bind(udp, sa(&lo), sizeof lo);
    EXPECT_EQ(listen(udp, 5), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(listen(tcp, 5), SOCKET_ERROR) << "unbound";
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    bind(tcp, sa(&lo), sizeof lo);
    EXPECT_EQ(listen(tcp, 5), 0);
    EXPECT_EQ(listen(tcp, SOMAXCONN_HINT(300)), 0) << "listening twice is fine";
    EXPECT_EQ(listen(0xdeadbeef, 5), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    closesocket(udp);
    closesocket(tcp);
}

TEST_F(WinsockTest, ConnectErrors) {
    Listener l;
    EXPECT_EQ(connect(l.s, sa(&l.address), sizeof l.address), SOCKET_ERROR) << "on a listener";
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    TcpPair pair;
    EXPECT_EQ(connect(pair.client, sa(&l.address), sizeof l.address), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEISCONN);
    // A port nobody listens on.
    sockaddr_in closed = unused_loopback_port();
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(connect(c, sa(&closed), sizeof closed), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAECONNREFUSED);
    closesocket(c);
    c = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = l.address.sin_port;
    EXPECT_EQ(connect(c, sa(&any), sizeof any), SOCKET_ERROR) << "to INADDR_ANY";
    EXPECT_EQ(WSAGetLastError(), WSAEADDRNOTAVAIL);
    sockaddr_in6 v6 = loopback6(80);
    EXPECT_EQ(connect(c, sa(&v6), sizeof v6), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    EXPECT_EQ(connect(c, nullptr, 16), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(c);
}

TEST_F(WinsockTest, NonBlockingConnectReportsWouldBlockThenAlready) {
    Listener l;
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    u_long on = 1;
    ASSERT_EQ(ioctlsocket(c, FIONBIO, &on), 0);
    int rc = connect(c, sa(&l.address), sizeof l.address);
    if (rc == SOCKET_ERROR) {
        EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
        int again = connect(c, sa(&l.address), sizeof l.address);
        EXPECT_EQ(again, SOCKET_ERROR);
        EXPECT_TRUE(WSAGetLastError() == WSAEALREADY || WSAGetLastError() == WSAEISCONN);
    }
    fd_set w;
    FD_ZERO(&w);
    FD_SET(c, &w);
    timeval t{5, 0};
    EXPECT_EQ(select(0, nullptr, &w, nullptr, &t), 1);
    EXPECT_TRUE(FD_ISSET(c, &w));
    SOCKET a = accept(l.s, nullptr, nullptr);
    EXPECT_NE(a, INVALID_SOCKET);
    closesocket(a);
    closesocket(c);
}

TEST_F(WinsockTest, ShutdownErrors) {
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(shutdown(tcp, SD_BOTH), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    Listener l;
    EXPECT_EQ(shutdown(l.s, SD_RECEIVE), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    TcpPair pair;
    EXPECT_EQ(shutdown(pair.client, 7), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(shutdown(pair.client, SD_SEND), 0);
    EXPECT_EQ(shutdown(pair.client, SD_SEND), 0) << "repeating SD_SEND is fine";
    EXPECT_EQ(send(pair.client, "x", 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAESHUTDOWN);
    EXPECT_EQ(shutdown(pair.server, SD_RECEIVE), 0);
    char b;
    EXPECT_EQ(recv(pair.server, &b, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAESHUTDOWN);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_EQ(shutdown(udp, SD_RECEIVE), 0) << "allowed on an unconnected datagram socket";
    closesocket(udp);
    closesocket(tcp);
}

TEST_F(WinsockTest, SendAndRecvDisconnect) {
    TcpPair pair;
    char data[2] = "x";
    WSABUF with_data{1, data};
    EXPECT_EQ(WSASendDisconnect(pair.client, &with_data), SOCKET_ERROR) << "TCP has no disconnect data";
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    arm_last_error();
    ASSERT_EQ(WSASendDisconnect(pair.client, nullptr), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    char b;
    EXPECT_EQ(recv(pair.server, &b, 1, 0), 0) << "the peer sees the graceful close";
    ASSERT_EQ(WSARecvDisconnect(pair.server, nullptr), 0);
    EXPECT_EQ(recv(pair.server, &b, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAESHUTDOWN);
    SOCKET fresh = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(WSASendDisconnect(fresh, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    EXPECT_EQ(WSARecvDisconnect(INVALID_SOCKET, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    closesocket(fresh);
}

TEST_F(WinsockTest, AcceptErrors) {
    Listener l;
    sockaddr_in a{};
    int len = 0;
    EXPECT_EQ(accept(l.s, sa(&a), &len), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, 0);
    SOCKET notlistening = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(accept(notlistening, nullptr, nullptr), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    u_long on = 1;
    ioctlsocket(l.s, FIONBIO, &on);
    EXPECT_EQ(accept(l.s, nullptr, nullptr), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    EXPECT_EQ(accept(INVALID_SOCKET, nullptr, nullptr), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    closesocket(notlistening);
}

int CALLBACK verdict_from_data(LPWSABUF caller, LPWSABUF, LPQOS, LPQOS, LPWSABUF callee, LPWSABUF,
                               GROUP *g, DWORD_PTR data) {
    // Caller and callee ids are the peer and local addresses.
    if (caller == nullptr || caller->len != sizeof(sockaddr_in) || callee == nullptr || g == nullptr)
        return CF_REJECT;
    return static_cast<int>(data);
}

TEST_F(WinsockTest, WSAAcceptConditionFunction) {
    Listener l;
    // CF_REJECT: the connection is refused.
    SOCKET c1 = socket(AF_INET, SOCK_STREAM, 0);
    connect(c1, sa(&l.address), sizeof l.address);
    EXPECT_EQ(WSAAccept(l.s, nullptr, nullptr, verdict_from_data, CF_REJECT), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAECONNREFUSED);
    // CF_DEFER: WSATRY_AGAIN, and the connection is offered to the next accept.
    SOCKET c2 = socket(AF_INET, SOCK_STREAM, 0);
    connect(c2, sa(&l.address), sizeof l.address);
    EXPECT_EQ(WSAAccept(l.s, nullptr, nullptr, verdict_from_data, CF_DEFER), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSATRY_AGAIN);
    sockaddr_in peer{};
    int len = sizeof peer;
    SOCKET a = WSAAccept(l.s, sa(&peer), &len, verdict_from_data, CF_ACCEPT);
    ASSERT_NE(a, INVALID_SOCKET);
    sockaddr_in c2_local{};
    int l2 = sizeof c2_local;
    getsockname(c2, sa(&c2_local), &l2);
    EXPECT_EQ(peer.sin_port, c2_local.sin_port) << "the deferred connection came back";
    for (SOCKET s : {a, c1, c2}) closesocket(s);
}

TEST_F(WinsockTest, AcceptedSocketInheritsTheOverlappedAttribute) {
    SOCKET l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, 0);  // not overlapped
    sockaddr_in lo = loopback4();
    bind(l, sa(&lo), sizeof lo);
    listen(l, 1);
    sockaddr_in addr{};
    int len = sizeof addr;
    getsockname(l, sa(&addr), &len);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, sa(&addr), sizeof addr);
    SOCKET a = accept(l, nullptr, nullptr);
    ws2::spi::SocketRecord r{};
    ASSERT_TRUE(ws2::spi::find_socket(a, &r));
    EXPECT_FALSE(r.flags & ws2::spi::SocketRecord::kOverlapped);
    for (SOCKET s : {a, c, l}) closesocket(s);
}

TEST_F(WinsockTest, ClosingWakesABlockedAcceptAndRecv) {
    Listener l;
    std::thread accepter([&] {
        EXPECT_EQ(accept(l.s, nullptr, nullptr), INVALID_SOCKET);
        EXPECT_NE(WSAGetLastError(), 0);
    });
    TcpPair pair;
    std::thread receiver([&] {
        char b;
        EXPECT_EQ(recv(pair.server, &b, 1, 0), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAEINTR);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(closesocket(l.s), 0);
    l.s = INVALID_SOCKET;
    EXPECT_EQ(closesocket(pair.server), 0);
    pair.server = INVALID_SOCKET;
    accepter.join();
    receiver.join();
}

}  // namespace

namespace {

using namespace ws2test;

TEST_F(WinsockTest, AfUnixStreamWithWindowsSockaddrUn) {
    char path[] = "/tmp/ws2-unix-XXXXXX";
    int fd = mkstemp_path(path);
    ASSERT_GE(fd, 0);
    SOCKADDR_UN addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    SOCKET l = socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_EQ(bind(l, sa(&addr), sizeof addr), 0) << WSAGetLastError();
    ASSERT_EQ(listen(l, 1), 0);
    SOCKET c = socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_EQ(connect(c, sa(&addr), sizeof addr), 0) << WSAGetLastError();
    SOCKET a = accept(l, nullptr, nullptr);
    ASSERT_NE(a, INVALID_SOCKET);
    EXPECT_EQ(send(c, "unix", 4, 0), 4);
    char buf[8] = {};
    EXPECT_EQ(recv(a, buf, sizeof buf, 0), 4);
    EXPECT_STREQ(buf, "unix");
    SOCKADDR_UN name{};
    int len = sizeof name;
    ASSERT_EQ(getsockname(l, sa(&name), &len), 0);
    EXPECT_EQ(name.sun_family, AF_UNIX);
    EXPECT_STREQ(name.sun_path, path);
    for (SOCKET s : {a, c, l}) closesocket(s);
    remove_path(path);
}

TEST(Cleanup, LastCleanupWithABlockedCallNeitherHangsNorCrashes) {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in lo = loopback4();
    bind(u, sa(&lo), sizeof lo);
    std::thread blocked([&] {
        char b;
        EXPECT_EQ(recv(u, &b, 1, 0), SOCKET_ERROR);
        int e = WSAGetLastError();
        EXPECT_TRUE(e == WSAEINTR || e == WSAENOTSOCK || e == WSANOTINITIALISED) << e;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(WSACleanup(), 0);
    blocked.join();
    EXPECT_FALSE(fd_is_open(static_cast<int>(u)));
}

}  // namespace
