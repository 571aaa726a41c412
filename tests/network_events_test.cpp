// Event objects and WSAEventSelect/WSAEnumNetworkEvents: Windows' latched network events,
// re-enabled by recv/accept and, for FD_WRITE, by a send that would block.
#include <chrono>
#include <thread>
#include <vector>

#include "support/loopback.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using namespace ws2test;

// Waits for the event and returns what was recorded (0 on timeout).
LONG wait_and_enumerate(SOCKET s, WSAEVENT e, WSANETWORKEVENTS *out, DWORD ms = 2000) {
    *out = {};
    if (WSAWaitForMultipleEvents(1, &e, FALSE, ms, FALSE) != WSA_WAIT_EVENT_0) return 0;
    if (WSAEnumNetworkEvents(s, e, out) != 0) return -1;
    return out->lNetworkEvents;
}

TEST_F(WinsockTest, EventObjectsSetResetAndWait) {
    WSAEVENT a = WSACreateEvent(), b = WSACreateEvent();
    ASSERT_NE(a, WSA_INVALID_EVENT);
    WSAEVENT both[2] = {a, b};
    EXPECT_EQ(WSAWaitForMultipleEvents(2, both, FALSE, 50, FALSE), WSA_WAIT_TIMEOUT);
    ASSERT_TRUE(WSASetEvent(b));
    EXPECT_EQ(WSAWaitForMultipleEvents(2, both, FALSE, 0, FALSE), WSA_WAIT_EVENT_0 + 1);
    EXPECT_EQ(WSAWaitForMultipleEvents(2, both, FALSE, 0, FALSE), WSA_WAIT_EVENT_0 + 1) << "manual reset: stays set";
    EXPECT_EQ(WSAWaitForMultipleEvents(2, both, TRUE, 50, FALSE), WSA_WAIT_TIMEOUT) << "wait-all needs both";
    ASSERT_TRUE(WSASetEvent(a));
    EXPECT_EQ(WSAWaitForMultipleEvents(2, both, TRUE, 0, FALSE), WSA_WAIT_EVENT_0);
    EXPECT_EQ(WSAWaitForMultipleEvents(2, both, FALSE, 0, FALSE), WSA_WAIT_EVENT_0) << "the lowest index wins";
    ASSERT_TRUE(WSAResetEvent(a));
    ASSERT_TRUE(WSAResetEvent(b));
    EXPECT_EQ(WSAWaitForMultipleEvents(2, both, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    std::thread setter([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        WSASetEvent(a);
    });
    EXPECT_EQ(WSAWaitForMultipleEvents(2, both, FALSE, WSA_INFINITE, FALSE), WSA_WAIT_EVENT_0);
    setter.join();
    EXPECT_TRUE(WSACloseEvent(a));
    EXPECT_TRUE(WSACloseEvent(b));
}

TEST_F(WinsockTest, EventObjectErrors) {
    WSAEVENT bogus = reinterpret_cast<WSAEVENT>(0x1234);
    EXPECT_FALSE(WSASetEvent(bogus));
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
    EXPECT_FALSE(WSAResetEvent(bogus));
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
    EXPECT_FALSE(WSACloseEvent(bogus));
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
    WSAEVENT e = WSACreateEvent();
    EXPECT_TRUE(WSACloseEvent(e));
    EXPECT_FALSE(WSACloseEvent(e)) << "closed twice";
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), WSA_WAIT_FAILED);
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
    WSAEVENT many[WSA_MAXIMUM_WAIT_EVENTS + 1] = {};
    EXPECT_EQ(WSAWaitForMultipleEvents(0, many, FALSE, 0, FALSE), WSA_WAIT_FAILED);
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_PARAMETER);
    EXPECT_EQ(WSAWaitForMultipleEvents(WSA_MAXIMUM_WAIT_EVENTS + 1, many, FALSE, 0, FALSE), WSA_WAIT_FAILED);
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_PARAMETER);
}

TEST_F(WinsockTest, DatagramReadEventsAreLatchedUntilRecv) {
    SOCKET a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in lo = loopback4();
    bind(b, sa(&lo), sizeof lo);
    sockaddr_in to{};
    int len = sizeof to;
    getsockname(b, sa(&to), &len);
    WSAEVENT e = WSACreateEvent();
    ASSERT_EQ(WSAEventSelect(b, e, FD_READ | FD_WRITE), 0);
    WSANETWORKEVENTS ne;
    EXPECT_EQ(wait_and_enumerate(b, e, &ne), FD_WRITE) << "a writable socket records FD_WRITE at once";
    EXPECT_EQ(ne.iErrorCode[FD_WRITE_BIT], 0);
    sendto(a, "1", 1, 0, sa(&to), sizeof to);
    sendto(a, "2", 1, 0, sa(&to), sizeof to);
    EXPECT_EQ(wait_and_enumerate(b, e, &ne), FD_READ);
    EXPECT_EQ(wait_and_enumerate(b, e, &ne, 100), 0) << "not again before recv";
    char c;
    ASSERT_EQ(recv(b, &c, 1, 0), 1);
    EXPECT_EQ(wait_and_enumerate(b, e, &ne), FD_READ) << "recv re-enables it while data remains";
    ASSERT_EQ(recv(b, &c, 1, 0), 1);
    EXPECT_EQ(wait_and_enumerate(b, e, &ne, 100), 0) << "nothing left to read";
    u_long off = 0;
    EXPECT_EQ(ioctlsocket(b, FIONBIO, &off), SOCKET_ERROR) << "WSAEventSelect keeps the socket non-blocking";
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(recv(b, &c, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    ASSERT_EQ(WSAEventSelect(b, nullptr, 0), 0) << "cancelled";
    EXPECT_EQ(ioctlsocket(b, FIONBIO, &off), 0);
    WSACloseEvent(e);
    closesocket(a);
    closesocket(b);
}

TEST_F(WinsockTest, ConnectAcceptReadAndCloseEvents) {
    Listener l;
    WSAEVENT le = WSACreateEvent(), ce = WSACreateEvent();
    ASSERT_EQ(WSAEventSelect(l.s, le, FD_ACCEPT), 0);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(WSAEventSelect(c, ce, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 0);
    EXPECT_EQ(connect(c, sa(&l.address), sizeof l.address), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    WSANETWORKEVENTS ne;
    LONG got = wait_and_enumerate(c, ce, &ne);
    EXPECT_TRUE(got & FD_CONNECT);
    EXPECT_EQ(ne.iErrorCode[FD_CONNECT_BIT], 0);
    if (!(got & FD_WRITE)) got |= wait_and_enumerate(c, ce, &ne);
    EXPECT_TRUE(got & FD_WRITE);
    EXPECT_EQ(wait_and_enumerate(l.s, le, &ne), FD_ACCEPT);
    SOCKET a = accept(l.s, nullptr, nullptr);
    ASSERT_NE(a, INVALID_SOCKET);
    // The accepted socket shares the listener's registration (same event, same events).
    send(c, "hi", 2, 0);
    char buf[4];
    u_long off = 0;
    EXPECT_EQ(ioctlsocket(a, FIONBIO, &off), SOCKET_ERROR) << "accepted socket is event-selected too";
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    ASSERT_EQ(WSAEventSelect(a, ce, FD_READ | FD_CLOSE), 0);
    EXPECT_EQ(wait_and_enumerate(a, ce, &ne), FD_READ);
    EXPECT_EQ(recv(a, buf, sizeof buf, 0), 2);
    closesocket(c);
    EXPECT_EQ(wait_and_enumerate(a, ce, &ne), FD_CLOSE);
    EXPECT_EQ(ne.iErrorCode[FD_CLOSE_BIT], 0) << "graceful close";
    EXPECT_EQ(recv(a, buf, sizeof buf, 0), 0);
    closesocket(a);
    WSACloseEvent(le);
    WSACloseEvent(ce);
}

TEST_F(WinsockTest, RefusedConnectRecordsItsError) {
    sockaddr_in closed = unused_loopback_port();
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    WSAEVENT e = WSACreateEvent();
    ASSERT_EQ(WSAEventSelect(c, e, FD_CONNECT), 0);
    connect(c, sa(&closed), sizeof closed);
    WSANETWORKEVENTS ne;
    EXPECT_EQ(wait_and_enumerate(c, e, &ne), FD_CONNECT);
    EXPECT_EQ(ne.iErrorCode[FD_CONNECT_BIT], WSAECONNREFUSED);
    closesocket(c);
    WSACloseEvent(e);
}

TEST_F(WinsockTest, WriteEventReturnsOnlyAfterASendWouldBlock) {
    TcpPair pair;
    WSAEVENT e = WSACreateEvent();
    ASSERT_EQ(WSAEventSelect(pair.client, e, FD_WRITE), 0);
    WSANETWORKEVENTS ne;
    EXPECT_EQ(wait_and_enumerate(pair.client, e, &ne), FD_WRITE);
    send(pair.client, "x", 1, 0);
    EXPECT_EQ(wait_and_enumerate(pair.client, e, &ne, 100), 0) << "a send that did not block re-enables nothing";
    std::vector<char> chunk(65536, 'x');
    int n = 0;
    while ((n = send(pair.client, chunk.data(), static_cast<int>(chunk.size()), 0)) > 0) {
    }
    ASSERT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    std::vector<char> sink(1 << 20);
    u_long on = 1;
    ioctlsocket(pair.server, FIONBIO, &on);
    while (recv(pair.server, sink.data(), static_cast<int>(sink.size()), 0) > 0) {
    }
    EXPECT_EQ(wait_and_enumerate(pair.client, e, &ne), FD_WRITE) << "space again after WSAEWOULDBLOCK";
    WSACloseEvent(e);
}

TEST_F(WinsockTest, EventSelectErrors) {
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_EQ(WSAEventSelect(s, reinterpret_cast<WSAEVENT>(0x4321), FD_READ), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    WSAEVENT e = WSACreateEvent();
    EXPECT_EQ(WSAEventSelect(INVALID_SOCKET, e, FD_READ), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_EQ(WSAEnumNetworkEvents(s, e, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    WSANETWORKEVENTS ne{};
    ne.lNetworkEvents = 0x7fff;
    arm_last_error();
    EXPECT_EQ(WSAEnumNetworkEvents(s, nullptr, &ne), 0) << "no registration: nothing recorded";
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(ne.lNetworkEvents, 0);
    WSACloseEvent(e);
    closesocket(s);
}

}  // namespace
