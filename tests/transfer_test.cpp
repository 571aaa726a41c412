// send/recv/sendto/recvfrom and the WSA variants (synchronous), with Windows' errors
// (windows-behaviour.md §3.14, §6.20).
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using namespace ws2test;

struct UdpPair {
    SOCKET a = INVALID_SOCKET, b = INVALID_SOCKET;
    sockaddr_in a_addr{}, b_addr{};
    UdpPair() {
        a = socket(AF_INET, SOCK_DGRAM, 0);
        b = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in lo = loopback4();
        bind(a, sa(&lo), sizeof lo);
        bind(b, sa(&lo), sizeof lo);
        int len = sizeof a_addr;
        getsockname(a, sa(&a_addr), &len);
        len = sizeof b_addr;
        getsockname(b, sa(&b_addr), &len);
    }
    ~UdpPair() {
        closesocket(a);
        closesocket(b);
    }
};

TEST_F(WinsockTest, UdpSendToAndRecvFrom) {
    UdpPair p;
    arm_last_error();
    ASSERT_EQ(sendto(p.a, "ping", 4, 0, sa(&p.b_addr), sizeof p.b_addr), 4);
    EXPECT_EQ(WSAGetLastError(), 0);
    char buf[8] = {};
    sockaddr_in from{};
    int len = sizeof from;
    ASSERT_EQ(recvfrom(p.b, buf, sizeof buf, 0, sa(&from), &len), 4);
    EXPECT_STREQ(buf, "ping");
    EXPECT_EQ(from.sin_port, p.a_addr.sin_port);
    EXPECT_EQ(len, static_cast<int>(sizeof from));
}

TEST_F(WinsockTest, ATooSmallBufferIsWsaemsgsizeWithTheStartOfTheDatagram) {
    UdpPair p;
    sendto(p.a, "abcdef", 6, 0, sa(&p.b_addr), sizeof p.b_addr);
    char buf[3] = {};
    EXPECT_EQ(recv(p.b, buf, sizeof buf, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEMSGSIZE);
    EXPECT_EQ(std::string(buf, 3), "abc");
}

TEST_F(WinsockTest, FirstSendToBindsAnUnboundSocket) {
    UdpPair p;
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in name{};
    int len = sizeof name;
    EXPECT_EQ(getsockname(u, sa(&name), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    char b;
    EXPECT_EQ(recv(u, &b, 1, 0), SOCKET_ERROR) << "receive on an unbound socket";
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    ASSERT_EQ(sendto(u, "x", 1, 0, sa(&p.b_addr), sizeof p.b_addr), 1);
    len = sizeof name;
    ASSERT_EQ(getsockname(u, sa(&name), &len), 0);
    EXPECT_NE(name.sin_port, 0);
    closesocket(u);
}

TEST_F(WinsockTest, SendErrorsOnDatagramSockets) {
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_EQ(send(u, "x", 1, 0), SOCKET_ERROR) << "no destination";
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    sockaddr_in bcast = loopback4(9);
    bcast.sin_addr.s_addr = INADDR_BROADCAST;
    EXPECT_EQ(sendto(u, "x", 1, 0, sa(&bcast), sizeof bcast), SOCKET_ERROR) << "broadcast needs SO_BROADCAST";
    EXPECT_EQ(WSAGetLastError(), WSAEACCES);
    sockaddr_in zero_port = loopback4(0);
    EXPECT_EQ(sendto(u, "x", 1, 0, sa(&zero_port), sizeof zero_port), 1) << "port 0 is accepted";
    sockaddr_in6 wrong = loopback6(9);
    EXPECT_EQ(sendto(u, "x", 1, 0, sa(&wrong), sizeof wrong), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    closesocket(u);
}

TEST_F(WinsockTest, WsaSendAndRecvArgumentErrors) {
    TcpPair pair;
    char data[4] = "abc";
    WSABUF b{3, data};
    EXPECT_EQ(WSASend(pair.client, &b, 1, nullptr, 0, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT) << "no byte count and no overlapped";
    DWORD n = 0, flags = 0;
    EXPECT_EQ(WSARecv(pair.server, &b, 0, &n, &flags, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL) << "zero buffers";
    EXPECT_EQ(WSASend(pair.client, static_cast<LPWSABUF>(inaccessible_page()), 1, &n, 0, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(recv(pair.server, data, -1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(recv(INVALID_SOCKET, data, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    SOCKET fresh = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(send(fresh, "x", 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    EXPECT_EQ(recv(fresh, data, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    closesocket(fresh);
}

TEST_F(WinsockTest, ScatterGatherAcrossManyBuffers) {
    TcpPair pair;
    std::vector<char> storage(40, 0);
    std::vector<WSABUF> out(20), in(20);
    std::string text = "0123456789abcdefghijklmnopqrstuvwxyzABCD";
    for (int i = 0; i < 20; ++i) {
        out[i] = {2, text.data() + 2 * i};
        in[i] = {2, storage.data() + 2 * i};
    }
    DWORD sent = 0, received = 0, flags = 0;
    ASSERT_EQ(WSASend(pair.client, out.data(), 20, &sent, 0, nullptr, nullptr), 0);
    EXPECT_EQ(sent, 40u);
    flags = MSG_WAITALL;
    ASSERT_EQ(WSARecv(pair.server, in.data(), 20, &received, &flags, nullptr, nullptr), 0);
    EXPECT_EQ(received, 40u);
    EXPECT_EQ(std::string(storage.begin(), storage.end()), text);
}

TEST_F(WinsockTest, NonBlockingReceiveWithoutDataWouldBlock) {
    TcpPair pair;
    u_long on = 1;
    ASSERT_EQ(ioctlsocket(pair.server, FIONBIO, &on), 0);
    char b;
    EXPECT_EQ(recv(pair.server, &b, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
}

TEST_F(WinsockTest, NonBlockingStreamSendIsNeverPartial) {
    TcpPair pair;
    u_long on = 1;
    ioctlsocket(pair.client, FIONBIO, &on);
    int small = 4096;
    setsockopt(pair.client, SOL_SOCKET, SO_SNDBUF, reinterpret_cast<char *>(&small), sizeof small);
    std::vector<char> big(1 << 20, 'x');
    std::thread drain([&] {
        std::vector<char> sink(1 << 16);
        long total = 0;
        while (total < static_cast<long>(big.size())) {
            int n = recv(pair.server, sink.data(), static_cast<int>(sink.size()), 0);
            if (n <= 0) break;
            total += n;
        }
    });
    int n = send(pair.client, big.data(), static_cast<int>(big.size()), 0);
    EXPECT_TRUE(n == static_cast<int>(big.size()) || (n == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK))
        << "sent " << n;
    if (n == SOCKET_ERROR) {  // nothing went: the receiver would wait forever
        shutdown(pair.client, SD_SEND);
    }
    drain.join();
}

TEST_F(WinsockTest, OutOfBandData) {
    TcpPair pair;
    u_long at_mark = 0;
    ASSERT_EQ(ioctlsocket(pair.server, SIOCATMARK, &at_mark), 0);
    EXPECT_EQ(at_mark, 1u) << "TRUE when no out-of-band data waits";
    ASSERT_EQ(send(pair.client, "u", 1, MSG_OOB), 1);
    fd_set except;
    FD_ZERO(&except);
    FD_SET(pair.server, &except);
    timeval t{2, 0};
    ASSERT_EQ(select(0, nullptr, nullptr, &except, &t), 1);
    ASSERT_EQ(ioctlsocket(pair.server, SIOCATMARK, &at_mark), 0);
    EXPECT_EQ(at_mark, 0u);
    char b = 0;
    EXPECT_EQ(recv(pair.server, &b, 1, MSG_OOB), 1);
    EXPECT_EQ(b, 'u');
}

TEST_F(WinsockTest, FionreadReportsPendingBytes) {
    TcpPair pair;
    send(pair.client, "hello", 5, 0);
    u_long n = 0;
    for (int i = 0; i < 100 && n < 5; ++i) {
        ASSERT_EQ(ioctlsocket(pair.server, FIONREAD, &n), 0);
        if (n < 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(n, 5u);
}

// On a datagram socket Windows reports all the data queued, not only the next datagram's
// (the receive itself still takes one datagram at a time).
TEST_F(WinsockTest, FionreadOnADatagramSocketCountsEveryQueuedDatagram) {
    UdpPair p;
    ASSERT_EQ(sendto(p.a, "hello", 5, 0, sa(&p.b_addr), sizeof p.b_addr), 5);
    ASSERT_EQ(sendto(p.a, "", 0, 0, sa(&p.b_addr), sizeof p.b_addr), 0);
    ASSERT_EQ(sendto(p.a, "worlds!", 7, 0, sa(&p.b_addr), sizeof p.b_addr), 7);
    u_long n = 0;
    for (int i = 0; i < 100 && n < 12; ++i) {
        ASSERT_EQ(ioctlsocket(p.b, FIONREAD, &n), 0);
        if (n < 12) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(n, 12u);
    char buf[16];
    EXPECT_EQ(recv(p.b, buf, sizeof buf, 0), 5) << "counting left the queue and the next receive alone";
    ASSERT_EQ(ioctlsocket(p.b, FIONREAD, &n), 0);
    EXPECT_EQ(n, 7u);
    EXPECT_EQ(recv(p.b, buf, sizeof buf, MSG_PEEK), 0) << "the empty datagram is next, and peeks still start at the head";
    EXPECT_EQ(recv(p.b, buf, sizeof buf, 0), 0);
    EXPECT_EQ(recv(p.b, buf, sizeof buf, 0), 7);
    ASSERT_EQ(ioctlsocket(p.b, FIONREAD, &n), 0);
    EXPECT_EQ(n, 0u);
}

TEST_F(WinsockTest, WsaIoctlErrors) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    u_long on = 1;
    EXPECT_EQ(WSAIoctl(s, FIONBIO, &on, sizeof on, nullptr, 0, nullptr, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT) << "no lpcbBytesReturned";
    DWORD returned = 99;
    for (DWORD code : {0xdeadbeefu, static_cast<DWORD>(FIOASYNC), 0x667eu, static_cast<DWORD>(SIO_FLUSH)}) {
        returned = 99;
        EXPECT_EQ(WSAIoctl(s, code, nullptr, 0, nullptr, 0, &returned, nullptr, nullptr), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAEOPNOTSUPP) << std::hex << code;
        EXPECT_EQ(returned, 0u);
    }
    EXPECT_EQ(WSAIoctl(s, FIONBIO, reinterpret_cast<void *>(1), sizeof on, nullptr, 0, &returned, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT) << "FIONBIO with a value instead of a pointer";
    SOCKET base = INVALID_SOCKET;
    arm_last_error();
    ASSERT_EQ(WSAIoctl(s, SIO_BASE_HANDLE, nullptr, 0, &base, sizeof base, &returned, nullptr, nullptr), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(base, s);
    GUID unknown = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
    void *fn = nullptr;
    EXPECT_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &unknown, sizeof unknown, &fn, sizeof fn,
                       &returned, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(ioctlsocket(INVALID_SOCKET, FIONBIO, &on), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    closesocket(s);
}

}  // namespace

namespace {

using namespace ws2test;

TEST_F(WinsockTest, PortUnreachableIsReportedAsConnReset) {
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in closed = unused_loopback_port(SOCK_DGRAM);
    ASSERT_EQ(sendto(u, "x", 1, 0, sa(&closed), sizeof closed), 1);
    DWORD ms = 500;
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char *>(&ms), sizeof ms);
    char b;
    sockaddr_in from{};
    int len = sizeof from;
    EXPECT_EQ(recvfrom(u, &b, 1, 0, sa(&from), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAECONNRESET);
    EXPECT_EQ(recvfrom(u, &b, 1, 0, sa(&from), &len), SOCKET_ERROR) << "reported once";
    EXPECT_EQ(WSAGetLastError(), WSAETIMEDOUT);
    closesocket(u);
}

TEST_F(WinsockTest, FionreadLeavesAPendingConnResetToTheNextReceive) {
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in closed = unused_loopback_port(SOCK_DGRAM);
    ASSERT_EQ(sendto(u, "x", 1, 0, sa(&closed), sizeof closed), 1);
    for (int i = 0; i < 100; ++i) {  // the ICMP report arrives asynchronously
        WSAPOLLFD p{u, POLLRDNORM, 0};
        if (WSAPoll(&p, 1, 10) == 1) break;
    }
    u_long n = 99;
    ASSERT_EQ(ioctlsocket(u, FIONREAD, &n), 0);
    EXPECT_EQ(n, 0u);
    DWORD ms = 500;
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char *>(&ms), sizeof ms);
    char b;
    EXPECT_EQ(recv(u, &b, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAECONNRESET);
    closesocket(u);
}

TEST_F(WinsockTest, SioUdpConnResetOffIgnoresPortUnreachable) {
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    BOOL report = FALSE;
    DWORD returned = 0;
    ASSERT_EQ(WSAIoctl(u, SIO_UDP_CONNRESET, &report, sizeof report, nullptr, 0, &returned, nullptr, nullptr), 0);
    sockaddr_in closed = unused_loopback_port(SOCK_DGRAM);
    ASSERT_EQ(sendto(u, "x", 1, 0, sa(&closed), sizeof closed), 1);
    DWORD ms = 300;
    setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char *>(&ms), sizeof ms);
    char b;
    EXPECT_EQ(recv(u, &b, 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAETIMEDOUT) << "the unreachable port is not reported";
    closesocket(u);
}

}  // namespace

namespace {

using namespace ws2test;

TEST_F(WinsockTest, AddressListQuery) {
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    DWORD needed = 0;
    char tiny[4];
    EXPECT_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, nullptr, 0, tiny, sizeof tiny, &needed, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    ASSERT_GE(needed, sizeof(SOCKET_ADDRESS_LIST));
    std::vector<char> buffer(needed);
    DWORD returned = 0;
    arm_last_error();
    ASSERT_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, nullptr, 0, buffer.data(), needed, &returned, nullptr, nullptr), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    auto *list = reinterpret_cast<SOCKET_ADDRESS_LIST *>(buffer.data());
    for (int i = 0; i < list->iAddressCount; ++i) {
        EXPECT_EQ(list->Address[i].iSockaddrLength, static_cast<int>(sizeof(sockaddr_in)));
        EXPECT_EQ(list->Address[i].lpSockaddr->sa_family, AF_INET);
        auto *in = reinterpret_cast<sockaddr_in *>(list->Address[i].lpSockaddr);
        EXPECT_NE(in->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    }
    closesocket(s);
}

}  // namespace
