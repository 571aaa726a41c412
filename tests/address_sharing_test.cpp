// bind's address-sharing rules: SO_REUSEADDR and SO_EXCLUSIVEADDRUSE as Windows applies them
// (windows-behaviour.md 3.2, from Wine's test_reuseaddr, which was run on Windows).
#include <cstring>
#include <string>

#include "support/loopback.h"
#include "support/winsock_test.h"

namespace ws2test {
namespace {

char *as_chars(void *p) { return static_cast<char *>(p); }

// A free TCP port on every local address (0.0.0.0 and :: included).
u_short free_port() {
    SOCKET probe = socket(AF_INET6, SOCK_STREAM, 0);
    DWORD off = 0;
    setsockopt(probe, IPPROTO_IPV6, IPV6_V6ONLY, as_chars(&off), sizeof off);
    sockaddr_in6 any{};
    any.sin6_family = AF_INET6;
    bind(probe, sa(&any), sizeof any);
    int len = sizeof any;
    getsockname(probe, sa(&any), &len);
    closesocket(probe);
    return ntohs(any.sin6_port);
}

// One side of a row: which address, and whether the socket is exclusive.
enum class Where { kV4Any, kV4Loopback, kV6Any, kV6Loopback, kV6MappedLoopback, kV6MappedAny };

struct Binding {
    Where where;
    bool exclusive;
};

int family_of(Where w) { return (w == Where::kV4Any || w == Where::kV4Loopback) ? AF_INET : AF_INET6; }

SOCKADDR_STORAGE address_of(Where w, u_short port) {
    SOCKADDR_STORAGE storage{};
    if (family_of(w) == AF_INET) {
        sockaddr_in in = loopback4(port);
        if (w == Where::kV4Any) in.sin_addr.s_addr = htonl(INADDR_ANY);
        std::memcpy(&storage, &in, sizeof in);
        return storage;
    }
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(port);
    if (w == Where::kV6Loopback) in6.sin6_addr.s6_addr[15] = 1;
    if (w == Where::kV6MappedLoopback || w == Where::kV6MappedAny) {
        in6.sin6_addr.s6_addr[10] = in6.sin6_addr.s6_addr[11] = 0xff;
        if (w == Where::kV6MappedLoopback) {
            in6.sin6_addr.s6_addr[12] = 127;
            in6.sin6_addr.s6_addr[15] = 1;
        }
    }
    std::memcpy(&storage, &in6, sizeof in6);
    return storage;
}

int length_of(Where w) { return family_of(w) == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6); }

// A TCP socket for one side: IPv6 sockets are dual-stack (V6ONLY 0), as in Wine's matrix.
SOCKET make_socket(const Binding &b) {
    SOCKET s = socket(family_of(b.where), SOCK_STREAM, 0);
    EXPECT_NE(s, INVALID_SOCKET);
    if (family_of(b.where) == AF_INET6) {
        DWORD off = 0;
        EXPECT_EQ(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, as_chars(&off), sizeof off), 0);
    }
    if (b.exclusive) {
        DWORD one = 1;
        EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, as_chars(&one), sizeof one), 0);
    }
    return s;
}

int bind_at(SOCKET s, Where w, u_short port) {
    SOCKADDR_STORAGE a = address_of(w, port);
    return bind(s, sa(&a), length_of(w));
}

struct MatrixRow {
    int row;
    Binding first, second;
    int expected;  // 0: the second bind succeeds
};

std::string row_name(const ::testing::TestParamInfo<MatrixRow> &info) {
    return "Row" + std::to_string(info.param.row);
}

class ExclusiveUseMatrix : public WinsockTest, public ::testing::WithParamInterface<MatrixRow> {};

TEST_P(ExclusiveUseMatrix, SecondBindGetsWindowsAnswer) {
    const MatrixRow &row = GetParam();
    u_short port = free_port();
    SOCKET first = make_socket(row.first);
    ASSERT_EQ(bind_at(first, row.first.where, port), 0) << WSAGetLastError();
    SOCKET second = make_socket(row.second);
    arm_last_error();
    int rc = bind_at(second, row.second.where, port);
    if (row.expected == 0) {
        EXPECT_EQ(rc, 0) << "error " << WSAGetLastError();
    } else {
        EXPECT_EQ(rc, SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), row.expected);
    }
    closesocket(second);
    closesocket(first);
}

constexpr Binding V4Any{Where::kV4Any, false}, V4AnyX{Where::kV4Any, true};
constexpr Binding V4Lo{Where::kV4Loopback, false}, V4LoX{Where::kV4Loopback, true};
constexpr Binding V6Any{Where::kV6Any, false}, V6AnyX{Where::kV6Any, true};
constexpr Binding V6Lo{Where::kV6Loopback, false}, V6LoX{Where::kV6Loopback, true};
constexpr Binding V6MappedLo{Where::kV6MappedLoopback, false};
constexpr Binding V6MappedAny{Where::kV6MappedAny, false};

INSTANTIATE_TEST_SUITE_P(
    Windows, ExclusiveUseMatrix,
    ::testing::Values(MatrixRow{1, V4AnyX, V4Lo, WSAEACCES}, MatrixRow{2, V6AnyX, V4Lo, WSAEACCES},
                      MatrixRow{3, V4Any, V4LoX, 0}, MatrixRow{4, V4AnyX, V4LoX, WSAEACCES},
                      MatrixRow{5, V4LoX, V4Any, 0}, MatrixRow{6, V4Lo, V4AnyX, WSAEADDRINUSE},
                      MatrixRow{7, V4Lo, V6AnyX, WSAEADDRINUSE}, MatrixRow{8, V6Lo, V4AnyX, 0},
                      MatrixRow{9, V6LoX, V4LoX, 0}, MatrixRow{10, V6MappedLo, V4AnyX, WSAEADDRINUSE},
                      MatrixRow{11, V6AnyX, V4Any, WSAEACCES}, MatrixRow{12, V6Any, V4AnyX, 0},
                      MatrixRow{13, V4Any, V4AnyX, WSAEADDRINUSE}, MatrixRow{14, V4Any, V4Any, WSAEADDRINUSE},
                      MatrixRow{15, V6Any, V4Any, 0}, MatrixRow{16, V6MappedAny, V4Any, WSAEADDRINUSE},
                      MatrixRow{17, V6MappedLo, V4Lo, WSAEADDRINUSE},
                      MatrixRow{18, V4Lo, V6MappedLo, WSAEADDRINUSE}, MatrixRow{19, V6LoX, V4LoX, 0},
                      MatrixRow{20, V4LoX, V4Lo, WSAEADDRINUSE}, MatrixRow{21, V4Lo, V4LoX, WSAEADDRINUSE}),
    row_name);

SOCKET tcp_socket(int af, bool reuse) {
    SOCKET s = socket(af, SOCK_STREAM, 0);
    if (reuse) {
        DWORD one = 1;
        EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, as_chars(&one), sizeof one), 0);
    }
    return s;
}

class AddressSharing : public WinsockTest, public ::testing::WithParamInterface<int> {
protected:
    int af() const { return GetParam(); }
    Where loopback() const { return af() == AF_INET ? Where::kV4Loopback : Where::kV6Loopback; }
    Where any() const { return af() == AF_INET ? Where::kV4Any : Where::kV6Any; }
};

TEST_P(AddressSharing, ReuseCannotTakeAnAddressHeldWithoutIt) {
    u_short port = free_port();
    SOCKET first = tcp_socket(af(), false);
    ASSERT_EQ(bind_at(first, loopback(), port), 0);
    SOCKET second = tcp_socket(af(), true);
    arm_last_error();
    EXPECT_EQ(bind_at(second, loopback(), port), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEACCES);
    closesocket(second);
    closesocket(first);
}

TEST_P(AddressSharing, TwoPlainBindsOfTheAnyAddressAreInUse) {
    u_short port = free_port();
    SOCKET first = tcp_socket(af(), false);
    ASSERT_EQ(bind_at(first, any(), port), 0);
    SOCKET second = tcp_socket(af(), false);
    arm_last_error();
    EXPECT_EQ(bind_at(second, any(), port), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEADDRINUSE);
    closesocket(second);
    closesocket(first);
}

TEST_P(AddressSharing, FourReusingSocketsShareAnAddressAndTheFirstListenerGetsConnections) {
    u_short port = free_port();
    SOCKET sockets[4];
    for (SOCKET &s : sockets) {
        s = tcp_socket(af(), true);
        ASSERT_EQ(bind_at(s, loopback(), port), 0) << WSAGetLastError();
    }
    DWORD value = 0;
    int len = sizeof value;
    ASSERT_EQ(getsockopt(sockets[1], SOL_SOCKET, SO_REUSEADDR, as_chars(&value), &len), 0);
    EXPECT_EQ(value, 1u);
    ASSERT_EQ(listen(sockets[0], SOMAXCONN), 0);
    ASSERT_EQ(listen(sockets[1], SOMAXCONN), 0) << WSAGetLastError();
    u_long nonblocking = 1;
    ioctlsocket(sockets[1], FIONBIO, &nonblocking);
    SOCKADDR_STORAGE target = address_of(loopback(), port);
    for (int i = 0; i < 8; ++i) {
        SOCKET client = socket(af(), SOCK_STREAM, 0);
        ASSERT_EQ(connect(client, sa(&target), length_of(loopback())), 0) << WSAGetLastError();
        SOCKET accepted = accept(sockets[0], nullptr, nullptr);
        EXPECT_NE(accepted, INVALID_SOCKET) << "connection " << i << " went to the first listener";
        closesocket(accepted);
        closesocket(client);
    }
    EXPECT_EQ(accept(sockets[1], nullptr, nullptr), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK) << "the second listener got nothing";

    // Once the first listener closes, connections go to the next one.
    closesocket(sockets[0]);
    nonblocking = 0;
    ioctlsocket(sockets[1], FIONBIO, &nonblocking);
    SOCKET client = socket(af(), SOCK_STREAM, 0);
    ASSERT_EQ(connect(client, sa(&target), length_of(loopback())), 0) << WSAGetLastError();
    SOCKET accepted = accept(sockets[1], nullptr, nullptr);
    EXPECT_NE(accepted, INVALID_SOCKET);
    closesocket(accepted);
    closesocket(client);
    for (int i = 1; i < 4; ++i) closesocket(sockets[i]);
}

TEST_P(AddressSharing, ClosingReleasesTheAddress) {
    u_short port = free_port();
    SOCKET first = tcp_socket(af(), false);
    ASSERT_EQ(bind_at(first, loopback(), port), 0);
    ASSERT_EQ(listen(first, 1), 0);
    closesocket(first);
    SOCKET second = tcp_socket(af(), false);
    EXPECT_EQ(bind_at(second, loopback(), port), 0) << WSAGetLastError();
    closesocket(second);
}

TEST_P(AddressSharing, AFailedBindHoldsNothing) {
    u_short port = free_port();
    SOCKET first = tcp_socket(af(), false);
    ASSERT_EQ(bind_at(first, loopback(), port), 0);
    SOCKET second = tcp_socket(af(), false);
    EXPECT_EQ(bind_at(second, loopback(), port), SOCKET_ERROR);
    closesocket(first);
    EXPECT_EQ(bind_at(second, loopback(), port), 0) << "the refused socket may bind once the address is free";
    closesocket(second);
}

TEST_P(AddressSharing, APortChosenByTheSystemIsHeld) {
    SOCKET first = tcp_socket(af(), false);
    ASSERT_EQ(bind_at(first, loopback(), 0), 0);
    SOCKADDR_STORAGE chosen{};
    int len = sizeof chosen;
    ASSERT_EQ(getsockname(first, sa(&chosen), &len), 0);
    u_short port = ntohs(af() == AF_INET ? reinterpret_cast<sockaddr_in *>(&chosen)->sin_port
                                         : reinterpret_cast<sockaddr_in6 *>(&chosen)->sin6_port);
    SOCKET second = tcp_socket(af(), false);
    arm_last_error();
    EXPECT_EQ(bind_at(second, loopback(), port), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEADDRINUSE);
    closesocket(second);
    closesocket(first);
}

// A server restarted while its old connections sit in TIME_WAIT binds again without options, as
// on Windows (Linux would refuse without SO_REUSEADDR).
TEST_P(AddressSharing, AServerRebindsWhileOldConnectionsAreInTimeWait) {
    u_short port = free_port();
    SOCKET listener = tcp_socket(af(), false);
    ASSERT_EQ(bind_at(listener, loopback(), port), 0);
    ASSERT_EQ(listen(listener, 1), 0);
    SOCKADDR_STORAGE target = address_of(loopback(), port);
    SOCKET client = socket(af(), SOCK_STREAM, 0);
    ASSERT_EQ(connect(client, sa(&target), length_of(loopback())), 0);
    SOCKET served = accept(listener, nullptr, nullptr);
    ASSERT_NE(served, INVALID_SOCKET);
    closesocket(served);  // the server closes first: its side enters TIME_WAIT
    char byte;
    EXPECT_EQ(recv(client, &byte, 1, 0), 0);
    closesocket(client);
    closesocket(listener);
    SOCKET restarted = tcp_socket(af(), false);
    EXPECT_EQ(bind_at(restarted, loopback(), port), 0) << WSAGetLastError();
    EXPECT_EQ(listen(restarted, 1), 0);
    closesocket(restarted);
}

// UDP follows the same table: a datagram socket holding an address without SO_REUSEADDR keeps it.
TEST_P(AddressSharing, DatagramSocketsShareOnlyWhenBothAsk) {
    SOCKET first = socket(af(), SOCK_DGRAM, 0);
    ASSERT_EQ(bind_at(first, loopback(), 0), 0);
    SOCKADDR_STORAGE chosen{};
    int len = sizeof chosen;
    ASSERT_EQ(getsockname(first, sa(&chosen), &len), 0);
    SOCKET second = socket(af(), SOCK_DGRAM, 0);
    DWORD one = 1;
    ASSERT_EQ(setsockopt(second, SOL_SOCKET, SO_REUSEADDR, as_chars(&one), sizeof one), 0);
    arm_last_error();
    EXPECT_EQ(bind(second, sa(&chosen), len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEACCES);
    closesocket(second);
    closesocket(first);

    SOCKET a = socket(af(), SOCK_DGRAM, 0), b = socket(af(), SOCK_DGRAM, 0);
    ASSERT_EQ(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, as_chars(&one), sizeof one), 0);
    ASSERT_EQ(setsockopt(b, SOL_SOCKET, SO_REUSEADDR, as_chars(&one), sizeof one), 0);
    ASSERT_EQ(bind_at(a, loopback(), 0), 0);
    len = sizeof chosen;
    ASSERT_EQ(getsockname(a, sa(&chosen), &len), 0);
    EXPECT_EQ(bind(b, sa(&chosen), len), 0) << WSAGetLastError();
    // Datagrams to the shared address reach the first socket.
    SOCKET sender = socket(af(), SOCK_DGRAM, 0);
    ASSERT_EQ(sendto(sender, "x", 1, 0, sa(&chosen), len), 1);
    char byte = 0;
    EXPECT_EQ(recv(a, &byte, 1, 0), 1);
    closesocket(sender);
    closesocket(b);
    closesocket(a);
}

// TCP and UDP ports are separate: each protocol's sockets share only with their own kind.
TEST_P(AddressSharing, TcpAndUdpPortsAreSeparate) {
    SOCKET tcp = tcp_socket(af(), false);
    ASSERT_EQ(bind_at(tcp, loopback(), 0), 0);
    SOCKADDR_STORAGE chosen{};
    int len = sizeof chosen;
    ASSERT_EQ(getsockname(tcp, sa(&chosen), &len), 0);
    SOCKET udp = socket(af(), SOCK_DGRAM, 0);
    EXPECT_EQ(bind(udp, sa(&chosen), len), 0) << WSAGetLastError();
    closesocket(udp);
    closesocket(tcp);
}

// The last WSACleanup closes every socket, and what they held goes with them.
TEST(AddressSharingCleanup, TheLastCleanupReleasesBoundAddresses) {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    u_short port = free_port();
    SOCKET held = tcp_socket(AF_INET, false);
    ASSERT_EQ(bind_at(held, Where::kV4Loopback, port), 0);
    ASSERT_EQ(WSACleanup(), 0);
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET again = tcp_socket(AF_INET, false);
    EXPECT_EQ(bind_at(again, Where::kV4Loopback, port), 0) << WSAGetLastError();
    closesocket(again);
    EXPECT_EQ(WSACleanup(), 0);
}

INSTANTIATE_TEST_SUITE_P(Families, AddressSharing, ::testing::Values(AF_INET, AF_INET6),
                         [](const ::testing::TestParamInfo<int> &info) {
                             return std::string(info.param == AF_INET ? "IPv4" : "IPv6");
                         });

}  // namespace
}  // namespace ws2test
