// Socket options with Windows semantics (windows-behaviour.md §3.2, §3.4, §3.13, §3.14):
// length rules per option, values read back as set, and type restrictions.
#include <mswsock.h>
#include <ws2tcpip.h>

#include "support/loopback.h"
#include "support/winsock_test.h"

namespace {

using namespace ws2test;

char *as_chars(void *p) { return static_cast<char *>(p); }

struct ShortLengthCase {
    const char *name;
    int type, level, option;
    // What a get with optlen 1, 2, 4 leaves in a 0xdeadbeef buffer and reports as the size,
    // after the option was set to 1 (0 when the get must fail with WSAEFAULT).
    DWORD buffer1, buffer2, buffer4;
    int size1, size2, size4;
};

void PrintTo(const ShortLengthCase &c, std::ostream *os) { *os << c.name; }

class ShortLengths : public WinsockTest, public ::testing::WithParamInterface<ShortLengthCase> {};

TEST_P(ShortLengths, FollowWindows) {
    const ShortLengthCase &c = GetParam();
    SOCKET s = socket(AF_INET, c.type, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    int one = 1;
    ASSERT_EQ(setsockopt(s, c.level, c.option, as_chars(&one), sizeof one), 0) << WSAGetLastError();
    struct {
        int len;
        DWORD buffer;
        int size;
    } rows[] = {{1, c.buffer1, c.size1}, {2, c.buffer2, c.size2}, {4, c.buffer4, c.size4}};
    for (auto &row : rows) {
        DWORD value = 0xdeadbeef;
        int len = row.len;
        int rc = getsockopt(s, c.level, c.option, as_chars(&value), &len);
        if (row.size == 0) {
            EXPECT_EQ(rc, SOCKET_ERROR) << "optlen " << row.len;
            EXPECT_EQ(WSAGetLastError(), WSAEFAULT) << "optlen " << row.len;
        } else {
            EXPECT_EQ(rc, 0) << "optlen " << row.len;
            EXPECT_EQ(len, row.size) << "optlen " << row.len;
        }
        EXPECT_EQ(value, row.buffer) << "optlen " << row.len << std::hex << " got 0x" << value;
    }
    closesocket(s);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ShortLengths,
    ::testing::Values(
        ShortLengthCase{"SO_BROADCAST", SOCK_DGRAM, SOL_SOCKET, SO_BROADCAST, 0xdeadbe01, 0xdead0001, 1, 1, 1, 4},
        ShortLengthCase{"SO_OOBINLINE", SOCK_STREAM, SOL_SOCKET, SO_OOBINLINE, 0xdeadbe01, 0xdead0001, 1, 1, 1, 4},
        ShortLengthCase{"SO_REUSEADDR", SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, 0xdeadbe01, 0xdead0001, 1, 1, 1, 4},
        ShortLengthCase{"SO_EXCLUSIVEADDRUSE", SOCK_STREAM, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 0xdeadbe01, 0xdead0001, 1, 1, 1, 4},
        ShortLengthCase{"SO_KEEPALIVE", SOCK_STREAM, SOL_SOCKET, SO_KEEPALIVE, 0xdeadbe01, 0xdeadbe01, 0xdeadbe01, 1, 1, 1},
        ShortLengthCase{"TCP_NODELAY", SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, 0xdeadbe01, 0xdeadbe01, 0xdeadbe01, 1, 1, 1},
        ShortLengthCase{"SO_RCVBUF", SOCK_STREAM, SOL_SOCKET, SO_RCVBUF, 0xdeadbe00, 0xdead0000, 1, 0, 0, 4},
        ShortLengthCase{"SO_SNDBUF", SOCK_STREAM, SOL_SOCKET, SO_SNDBUF, 0xdeadbe00, 0xdead0000, 1, 0, 0, 4},
        ShortLengthCase{"SO_RCVTIMEO", SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO, 0xdeadbeef, 0xdeadbeef, 1, 0, 0, 4},
        ShortLengthCase{"IP_TTL", SOCK_DGRAM, IPPROTO_IP, IP_TTL, 0xdeadbe01, 0xdead0001, 1, 1, 1, 4},
        ShortLengthCase{"IP_MULTICAST_LOOP", SOCK_DGRAM, IPPROTO_IP, IP_MULTICAST_LOOP, 0xdeadbe01, 0xdead0001, 1, 1, 1, 4},
        ShortLengthCase{"TCP_KEEPALIVE", SOCK_STREAM, IPPROTO_TCP, TCP_KEEPALIVE, 0xdeadbeef, 0xdeadbeef, 1, 0, 0, 4}));

TEST_F(WinsockTest, BufferSizesAndTimeoutsReadBackAsSet) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    for (int opt : {SO_RCVBUF, SO_SNDBUF}) {
        for (int value : {4096, 0, 123457}) {
            ASSERT_EQ(setsockopt(s, SOL_SOCKET, opt, as_chars(&value), sizeof value), 0);
            int got = -1, len = sizeof got;
            ASSERT_EQ(getsockopt(s, SOL_SOCKET, opt, as_chars(&got), &len), 0);
            EXPECT_EQ(got, value) << "no Linux doubling";
        }
    }
    for (int opt : {SO_RCVTIMEO, SO_SNDTIMEO}) {
        for (DWORD ms : {63000u, 0u, 997000u, 100u}) {
            ASSERT_EQ(setsockopt(s, SOL_SOCKET, opt, as_chars(&ms), sizeof ms), 0);
            DWORD got = 1, len = sizeof got;
            int ilen = static_cast<int>(len);
            ASSERT_EQ(getsockopt(s, SOL_SOCKET, opt, as_chars(&got), &ilen), 0);
            EXPECT_EQ(got, ms);
        }
    }
    closesocket(s);
}

TEST_F(WinsockTest, ReceiveTimeoutIsWsaetimedoutAndLeavesTheCountAlone) {
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in lo = loopback4();
    bind(u, sa(&lo), sizeof lo);
    DWORD ms = 100;
    ASSERT_EQ(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, as_chars(&ms), sizeof ms), 0);
    char buf[4];
    WSABUF b{sizeof buf, buf};
    DWORD got = 0xdeadbeef, flags = 0;
    EXPECT_EQ(WSARecv(u, &b, 1, &got, &flags, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAETIMEDOUT);
    EXPECT_EQ(got, 0xdeadbeefu);
    closesocket(u);
}

TEST_F(WinsockTest, ReuseAddrAndExclusiveAddrUseAreMutuallyExclusive) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1, zero = 0;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, as_chars(&one), sizeof one), 0);
    EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, as_chars(&one), sizeof one), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, as_chars(&zero), sizeof zero), 0);
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, as_chars(&one), sizeof one), 0);
    EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, as_chars(&one), sizeof one), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    int value = 1, len = sizeof value;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_REUSEADDR, as_chars(&value), &len), 0);
    EXPECT_EQ(value, 0) << "default and cleared SO_REUSEADDR reads 0";
    closesocket(s);
}

TEST_F(WinsockTest, AcceptConnAndConnectTime) {
    Listener l;
    int value = -1, len = sizeof value;
    ASSERT_EQ(getsockopt(l.s, SOL_SOCKET, SO_ACCEPTCONN, as_chars(&value), &len), 0);
    EXPECT_EQ(value, 1);
    EXPECT_EQ(setsockopt(l.s, SOL_SOCKET, SO_ACCEPTCONN, as_chars(&value), sizeof value), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    SOCKET fresh = socket(AF_INET, SOCK_STREAM, 0);
    len = sizeof value;
    ASSERT_EQ(getsockopt(fresh, SOL_SOCKET, SO_ACCEPTCONN, as_chars(&value), &len), 0);
    EXPECT_EQ(value, 0);
    DWORD seconds = 0;
    len = sizeof seconds;
    ASSERT_EQ(getsockopt(fresh, SOL_SOCKET, SO_CONNECT_TIME, as_chars(&seconds), &len), 0);
    EXPECT_EQ(seconds, 0xFFFFFFFFu) << "not connected";
    TcpPair pair;
    len = sizeof seconds;
    ASSERT_EQ(getsockopt(pair.client, SOL_SOCKET, SO_CONNECT_TIME, as_chars(&seconds), &len), 0);
    EXPECT_EQ(seconds, 0u);
    closesocket(fresh);
}

TEST_F(WinsockTest, SoErrorIsSettableAndStaysReadable) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int value = -1, len = 1;
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, as_chars(&value), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    len = sizeof value;
    arm_last_error();
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, as_chars(&value), &len), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(value, 0);
    int written = 1234;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_ERROR, as_chars(&written), sizeof written), 0);
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, as_chars(&value), &len), 0);
    EXPECT_EQ(value, 1234);
    closesocket(s);
}

TEST_F(WinsockTest, OptionsRefusedByTypeOrLevel) {
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, 0), udp = socket(AF_INET, SOCK_DGRAM, 0);
    int value = 0, len = sizeof value;
    LINGER l{};
    int llen = sizeof l;
    EXPECT_EQ(getsockopt(udp, SOL_SOCKET, SO_LINGER, as_chars(&l), &llen), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    EXPECT_EQ(getsockopt(tcp, IPPROTO_IP, IP_HDRINCL, as_chars(&value), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(setsockopt(udp, IPPROTO_IP, IP_HDRINCL, as_chars(&value), sizeof value), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(getsockopt(tcp, IPPROTO_IP, IP_MULTICAST_TTL, as_chars(&value), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(getsockopt(udp, IPPROTO_IP, IP_ADD_MEMBERSHIP, as_chars(&value), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    EXPECT_EQ(getsockopt(udp, IPPROTO_TCP, TCP_NODELAY, as_chars(&value), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    int big = 0x100;
    EXPECT_EQ(setsockopt(udp, IPPROTO_IP, IP_TTL, as_chars(&big), sizeof big), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL) << "a TTL must fit a byte";
    EXPECT_EQ(setsockopt(tcp, SOL_SOCKET, SO_LINGER, nullptr, sizeof(LINGER)), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, as_chars(&value), 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(setsockopt(tcp, SOL_SOCKET, SO_DONTROUTE, reinterpret_cast<char *>(1), 1), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    int nodelay = 0x100;  // only the first byte counts
    ASSERT_EQ(setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, as_chars(&nodelay), sizeof nodelay), 0);
    value = -1;
    len = sizeof value;
    ASSERT_EQ(getsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, as_chars(&value), &len), 0);
    EXPECT_EQ(value & 0xff, 0);
    closesocket(tcp);
    closesocket(udp);
}

TEST_F(WinsockTest, LingerAndDontLinger) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    LINGER set{1, 555}, got{};
    int len = sizeof got;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, as_chars(&set), sizeof set), 0);
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_LINGER, as_chars(&got), &len), 0);
    EXPECT_EQ(got.l_onoff, 1);
    EXPECT_EQ(got.l_linger, 555);
    int dont = -1;
    len = sizeof dont;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_DONTLINGER, as_chars(&dont), &len), 0);
    EXPECT_EQ(dont, 0) << "SO_DONTLINGER is !l_onoff";
    int on = 1;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_DONTLINGER, as_chars(&on), sizeof on), 0);
    len = sizeof got;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_LINGER, as_chars(&got), &len), 0);
    EXPECT_EQ(got.l_onoff, 0);
    closesocket(s);
}

TEST_F(WinsockTest, Ipv6OnlyIsOnByDefault) {
    SOCKET s = socket(AF_INET6, SOCK_STREAM, 0);
    DWORD value = 0;
    int len = sizeof value;
    ASSERT_EQ(getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, as_chars(&value), &len), 0);
    EXPECT_EQ(value & 0xff, 1u);
    EXPECT_EQ(len, 1);
    // So [::]:p and 0.0.0.0:p can both be bound.
    sockaddr_in6 any6{};
    any6.sin6_family = AF_INET6;
    ASSERT_EQ(bind(s, sa(&any6), sizeof any6), 0);
    len = sizeof any6;
    getsockname(s, sa(&any6), &len);
    SOCKET v4 = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in any4{};
    any4.sin_family = AF_INET;
    any4.sin_port = any6.sin6_port;
    EXPECT_EQ(bind(v4, sa(&any4), sizeof any4), 0);
    closesocket(s);
    closesocket(v4);
}

TEST_F(WinsockTest, GroupOptions) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    GROUP g = 7;
    int len = sizeof g;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_GROUP_ID, as_chars(&g), &len), 0);
    EXPECT_EQ(g, 0u) << "not in a group";
    int priority = 42;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_GROUP_PRIORITY, as_chars(&priority), sizeof priority), 0);
    priority = 0;
    len = sizeof priority;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_GROUP_PRIORITY, as_chars(&priority), &len), 0);
    EXPECT_EQ(priority, 42);
    EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_GROUP_ID, as_chars(&g), sizeof g), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    closesocket(s);
}

TEST_F(WinsockTest, AcceptedSocketsInheritTheListenersOptions) {
    Listener l;
    int rcvbuf = 0x12300, nodelay = 1;
    DWORD timeout = 0x123;
    LINGER linger{1, 555};
    setsockopt(l.s, SOL_SOCKET, SO_RCVBUF, as_chars(&rcvbuf), sizeof rcvbuf);
    setsockopt(l.s, SOL_SOCKET, SO_RCVTIMEO, as_chars(&timeout), sizeof timeout);
    setsockopt(l.s, SOL_SOCKET, SO_LINGER, as_chars(&linger), sizeof linger);
    setsockopt(l.s, IPPROTO_TCP, TCP_NODELAY, as_chars(&nodelay), sizeof nodelay);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, sa(&l.address), sizeof l.address);
    SOCKET a = accept(l.s, nullptr, nullptr);
    int value = 0, len = sizeof value;
    ASSERT_EQ(getsockopt(a, SOL_SOCKET, SO_RCVBUF, as_chars(&value), &len), 0);
    EXPECT_EQ(value, rcvbuf);
    DWORD t = 0;
    len = sizeof t;
    ASSERT_EQ(getsockopt(a, SOL_SOCKET, SO_RCVTIMEO, as_chars(&t), &len), 0);
    EXPECT_EQ(t, timeout);
    LINGER got{};
    len = sizeof got;
    ASSERT_EQ(getsockopt(a, SOL_SOCKET, SO_LINGER, as_chars(&got), &len), 0);
    EXPECT_EQ(got.l_onoff, 1);
    EXPECT_EQ(got.l_linger, 555);
    value = 0;
    len = sizeof value;
    ASSERT_EQ(getsockopt(a, IPPROTO_TCP, TCP_NODELAY, as_chars(&value), &len), 0);
    EXPECT_EQ(value & 0xff, 1);
    closesocket(a);
    closesocket(c);
}

// SO_UPDATE_ACCEPT_CONTEXT takes the listening socket (a SOCKET, by value in the buffer);
// accept() already gave the socket its listener's properties, so it only validates.
TEST_F(WinsockTest, UpdateAcceptContextTakesTheListener) {
    Listener l;
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(connect(c, sa(&l.address), sizeof l.address), 0);
    SOCKET a = accept(l.s, nullptr, nullptr);
    ASSERT_NE(a, INVALID_SOCKET);
    SOCKET listener = l.s;
    arm_last_error();
    EXPECT_EQ(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, as_chars(&listener), sizeof listener), 0);
    EXPECT_EQ(WSAGetLastError(), 0) << "success clears the last error";

    arm_last_error();
    EXPECT_EQ(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, as_chars(&listener), 4), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT) << "a length shorter than a SOCKET";
    arm_last_error();
    EXPECT_EQ(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, nullptr, sizeof listener), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    SOCKET bogus = static_cast<SOCKET>(0x7ffffff0);
    arm_last_error();
    EXPECT_EQ(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, as_chars(&bogus), sizeof bogus), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK) << "the listener must be a socket";
    closesocket(a);
    closesocket(c);
}

}  // namespace
