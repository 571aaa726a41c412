// WSAJoinLeaf on the base provider's UDP entries: IP multicast as a non-rooted multipoint
// session (c_leaf/d_leaf sockets), its documented errors, the JL_* flags, and real delivery
// through a joined group over IPv4 (loopback) and IPv6 (a private network namespace).
#include <ws2tcpip.h>

#include <cstring>

#include "support/loopback.h"
#include "support/posix.h"
#include "support/private_network.h"
#include "support/winsock_test.h"

using namespace ws2test;

namespace {

constexpr DWORD kLeaf = WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
// Child exit codes of the namespace tests.
constexpr int kNoPrivateNetwork = 77;

class JoinLeafTest : public WinsockTest {
protected:
    static SOCKET leaf(int af, DWORD flags = kLeaf) { return WSASocketW(af, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, flags); }

    static sockaddr_in group4(u_short port, BYTE last = 77) {
        sockaddr_in g{};
        g.sin_family = AF_INET;
        g.sin_port = htons(port);
        g.sin_addr.s_addr = htonl(0xEFFF4D00u | last);  // 239.255.77.x (organisation-local scope)
        return g;
    }
    static sockaddr_in6 group6(u_short port, BYTE last = 0x77) {
        sockaddr_in6 g{};
        g.sin6_family = AF_INET6;
        g.sin6_port = htons(port);
        g.sin6_addr.s6_addr[0] = 0xff;
        g.sin6_addr.s6_addr[1] = 0x15;  // site-local scope, transient
        g.sin6_addr.s6_addr[14] = 0x77;
        g.sin6_addr.s6_addr[15] = last;
        return g;
    }
    // A UDP port nobody holds now (bound once, then released).
    static u_short free_port(int af) {
        SOCKET probe = socket(af, SOCK_DGRAM, 0);
        sockaddr_storage any{};
        any.ss_family = static_cast<ADDRESS_FAMILY>(af);
        int len = af == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
        bind(probe, sa(&any), len);
        getsockname(probe, sa(&any), &len);
        closesocket(probe);
        return ntohs(reinterpret_cast<sockaddr_in *>(&any)->sin_port);
    }
    // Multicast over the loopback interface (IPv4) or interface `index` (IPv6), both ways.
    static bool use_interface4(SOCKET s) {
        in_addr lo{};
        lo.s_addr = htonl(INADDR_LOOPBACK);
        return setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, reinterpret_cast<const char *>(&lo), sizeof lo) == 0;
    }
    static bool use_interface6(SOCKET s, unsigned index) {
        DWORD value = index;
        return setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, reinterpret_cast<const char *>(&value), sizeof value) == 0;
    }
    static SOCKET join(SOCKET s, const void *name, int len, DWORD flags = JL_BOTH) {
        return WSAJoinLeaf(s, static_cast<const sockaddr *>(name), len, nullptr, nullptr, nullptr, nullptr, flags);
    }
    // Whether `s` is a member of `group` on the loopback interface: adding the membership again
    // is refused then.
    static bool member4(SOCKET s, const sockaddr_in &group) {
        ip_mreq request{};
        request.imr_multiaddr = group.sin_addr;
        request.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
        if (setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, reinterpret_cast<const char *>(&request), sizeof request) == 0)
            return false;
        return WSAGetLastError() == WSAEADDRINUSE;
    }
    // Receives one datagram, waiting at most 10 s (a guard against hanging, not a timing test).
    static int receive(SOCKET s, char *buffer, int size, sockaddr *from = nullptr, int *fromlen = nullptr) {
        DWORD guard = 10000;
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char *>(&guard), sizeof guard);
        return recvfrom(s, buffer, size, 0, from, fromlen);
    }
};

TEST(JoinLeafStartup, NotInitialised) {
    sockaddr_in g{};
    arm_last_error();
    EXPECT_EQ(WSAJoinLeaf(1, sa(&g), sizeof g, nullptr, nullptr, nullptr, nullptr, JL_BOTH), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
}

TEST_F(JoinLeafTest, NotASocket) {
    sockaddr_in g = group4(5000);
    arm_last_error();
    EXPECT_EQ(join(INVALID_SOCKET, &g, sizeof g), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
}

TEST_F(JoinLeafTest, SocketWithoutMultipointFlagsIsInvalid) {
    sockaddr_in g = group4(5000);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    arm_last_error();
    EXPECT_EQ(join(udp, &g, sizeof g), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    SOCKET overlapped = leaf(AF_INET, WSA_FLAG_OVERLAPPED);
    EXPECT_EQ(join(overlapped, &g, sizeof g), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ(join(tcp, &g, sizeof g), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(udp);
    closesocket(overlapped);
    closesocket(tcp);
}

TEST_F(JoinLeafTest, EitherLeafFlagMakesAMultipointSocket) {
    for (DWORD flag : {WSA_FLAG_MULTIPOINT_C_LEAF, WSA_FLAG_MULTIPOINT_D_LEAF}) {
        SOCKET s = leaf(AF_INET, WSA_FLAG_OVERLAPPED | flag);
        ASSERT_NE(s, INVALID_SOCKET);
        sockaddr_in g = group4(free_port(AF_INET));
        EXPECT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), s) << WSAGetLastError();
        closesocket(s);
    }
}

TEST_F(JoinLeafTest, BadNamesAreFaults) {
    SOCKET s4 = leaf(AF_INET), s6 = leaf(AF_INET6);
    sockaddr_in g = group4(5000);
    sockaddr_in6 g6 = group6(5000);
    arm_last_error();
    EXPECT_EQ(join(s4, nullptr, sizeof g), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(join(s4, &g, sizeof g - 1), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(join(s4, &g, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(join(s4, inaccessible_page(), sizeof g), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(join(s6, &g6, sizeof(sockaddr_in)), INVALID_SOCKET) << "shorter than a sockaddr_in6";
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    // A non-multipoint socket with a bad name: the name is checked first (msafd's order).
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_EQ(join(udp, nullptr, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(udp);
    closesocket(s4);
    closesocket(s6);
}

TEST_F(JoinLeafTest, BadConnectDataAndFlowSpecPointersAreFaults) {
    SOCKET s = leaf(AF_INET);
    sockaddr_in g = group4(free_port(AF_INET));
    auto *bad_buffer = static_cast<LPWSABUF>(inaccessible_page());
    auto *bad_qos = static_cast<LPQOS>(inaccessible_page());
    arm_last_error();
    EXPECT_EQ(WSAJoinLeaf(s, sa(&g), sizeof g, bad_buffer, nullptr, nullptr, nullptr, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSAJoinLeaf(s, sa(&g), sizeof g, nullptr, bad_buffer, nullptr, nullptr, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSAJoinLeaf(s, sa(&g), sizeof g, nullptr, nullptr, bad_qos, nullptr, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSAJoinLeaf(s, sa(&g), sizeof g, nullptr, nullptr, nullptr, bad_qos, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

TEST_F(JoinLeafTest, AddressOfAnotherFamilyIsNotSupported) {
    SOCKET s4 = leaf(AF_INET), s6 = leaf(AF_INET6);
    sockaddr_in g = group4(5000);
    sockaddr_in6 g6 = group6(5000);
    arm_last_error();
    EXPECT_EQ(join(s6, &g, sizeof g), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    EXPECT_EQ(join(s4, &g6, sizeof g6), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    sockaddr_in odd = g;
    odd.sin_family = 99;
    EXPECT_EQ(join(s4, &odd, sizeof odd), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    closesocket(s4);
    closesocket(s6);
}

TEST_F(JoinLeafTest, AddressThatNamesNoSessionIsNotAvailable) {
    SOCKET s4 = leaf(AF_INET), s6 = leaf(AF_INET6);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = htons(5000);
    arm_last_error();
    EXPECT_EQ(join(s4, &any, sizeof any), INVALID_SOCKET) << "ADDR_ANY";
    EXPECT_EQ(WSAGetLastError(), WSAEADDRNOTAVAIL);
    sockaddr_in unicast = loopback4(5000);
    EXPECT_EQ(join(s4, &unicast, sizeof unicast, JL_SENDER_ONLY), INVALID_SOCKET) << "a unicast address";
    EXPECT_EQ(WSAGetLastError(), WSAEADDRNOTAVAIL);
    sockaddr_in6 any6{};
    any6.sin6_family = AF_INET6;
    EXPECT_EQ(join(s6, &any6, sizeof any6), INVALID_SOCKET) << "in6addr_any";
    EXPECT_EQ(WSAGetLastError(), WSAEADDRNOTAVAIL);
    sockaddr_in6 unicast6 = loopback6(5000);
    EXPECT_EQ(join(s6, &unicast6, sizeof unicast6), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEADDRNOTAVAIL);
    closesocket(s4);
    closesocket(s6);
}

TEST_F(JoinLeafTest, CallerDataIsNotSupportedAndNoCalleeDataComesBack) {
    SOCKET s = leaf(AF_INET);
    sockaddr_in g = group4(free_port(AF_INET));
    char data[4] = {1, 2, 3, 4};
    WSABUF caller{sizeof data, data};
    arm_last_error();
    EXPECT_EQ(WSAJoinLeaf(s, sa(&g), sizeof g, &caller, nullptr, nullptr, nullptr, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEPROTONOSUPPORT);
    // Empty caller data is no data; the callee buffer comes back empty.
    WSABUF empty{0, nullptr};
    char back[16];
    WSABUF callee{sizeof back, back};
    EXPECT_EQ(WSAJoinLeaf(s, sa(&g), sizeof g, &empty, &callee, nullptr, nullptr, JL_SENDER_ONLY), s);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(callee.len, 0u);
    closesocket(s);
}

TEST_F(JoinLeafTest, FlowSpecsCannotBeSatisfied) {
    SOCKET s = leaf(AF_INET);
    sockaddr_in g = group4(free_port(AF_INET));
    QOS qos{};
    arm_last_error();
    EXPECT_EQ(WSAJoinLeaf(s, sa(&g), sizeof g, nullptr, nullptr, &qos, nullptr, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
    EXPECT_EQ(WSAJoinLeaf(s, sa(&g), sizeof g, nullptr, nullptr, nullptr, &qos, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
    EXPECT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), s) << "a refused join leaves the socket free to join";
    closesocket(s);
}

TEST_F(JoinLeafTest, LeafJoinReturnsTheSameSocketBoundToTheGroupPort) {
    SOCKET s = leaf(AF_INET);
    u_short port = free_port(AF_INET);
    sockaddr_in g = group4(port);
    arm_last_error();
    EXPECT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), s) << "a c_leaf join allocates no new descriptor";
    EXPECT_EQ(WSAGetLastError(), 0);
    sockaddr_in local{};
    int len = sizeof local;
    ASSERT_EQ(getsockname(s, sa(&local), &len), 0);
    EXPECT_EQ(local.sin_addr.s_addr, htonl(INADDR_ANY));
    EXPECT_EQ(ntohs(local.sin_port), port) << "unbound: the wildcard address with the group's port";
    sockaddr_in peer{};
    len = sizeof peer;
    ASSERT_EQ(getpeername(s, sa(&peer), &len), 0) << WSAGetLastError();
    EXPECT_EQ(peer.sin_addr.s_addr, g.sin_addr.s_addr) << "the session is the peer";
    EXPECT_EQ(peer.sin_port, g.sin_port);
    closesocket(s);
}

TEST_F(JoinLeafTest, BoundLeafKeepsItsAddress) {
    SOCKET s = leaf(AF_INET);
    sockaddr_in lo = loopback4();
    ASSERT_EQ(bind(s, sa(&lo), sizeof lo), 0);
    sockaddr_in before{};
    int len = sizeof before;
    getsockname(s, sa(&before), &len);
    sockaddr_in g = group4(free_port(AF_INET));
    EXPECT_EQ(join(s, &g, sizeof g, JL_BOTH), s) << WSAGetLastError();
    sockaddr_in after{};
    len = sizeof after;
    getsockname(s, sa(&after), &len);
    EXPECT_EQ(after.sin_port, before.sin_port);
    EXPECT_EQ(after.sin_addr.s_addr, before.sin_addr.s_addr);
    EXPECT_TRUE(member4(s, g)) << "joined on the bound address's interface (loopback)";
    closesocket(s);
}

TEST_F(JoinLeafTest, SecondJoinIsAlreadyConnected) {
    SOCKET s = leaf(AF_INET);
    sockaddr_in g = group4(free_port(AF_INET));
    ASSERT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), s);
    arm_last_error();
    EXPECT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEISCONN);
    sockaddr_in other = group4(ntohs(g.sin_port), 78);
    EXPECT_EQ(join(s, &other, sizeof other, JL_BOTH), INVALID_SOCKET) << "one session per socket";
    EXPECT_EQ(WSAGetLastError(), WSAEISCONN);
    closesocket(s);
}

TEST_F(JoinLeafTest, GroupPortInUseIsAddressInUse) {
    u_short port = free_port(AF_INET);
    SOCKET holder = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = htons(port);
    ASSERT_EQ(bind(holder, sa(&any), sizeof any), 0);
    SOCKET s = leaf(AF_INET);
    sockaddr_in g = group4(port);
    arm_last_error();
    EXPECT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEADDRINUSE);
    closesocket(holder);
    closesocket(s);
}

TEST_F(JoinLeafTest, JoinFlagsChooseMembership) {
    struct Case {
        DWORD flags;
        bool member;
    } cases[] = {{JL_SENDER_ONLY, false}, {JL_RECEIVER_ONLY, true}, {JL_BOTH, true}};
    for (const Case &c : cases) {
        SOCKET s = leaf(AF_INET);
        ASSERT_TRUE(use_interface4(s));
        sockaddr_in g = group4(free_port(AF_INET));
        EXPECT_EQ(join(s, &g, sizeof g, c.flags), s) << c.flags << ": " << WSAGetLastError();
        EXPECT_EQ(member4(s, g), c.member) << "flags " << c.flags;
        closesocket(s);
    }
}

TEST_F(JoinLeafTest, NonBlockingJoinCompletesWithConnectEvent) {
    SOCKET s = leaf(AF_INET);
    WSAEVENT e = WSACreateEvent();
    ASSERT_EQ(WSAEventSelect(s, e, FD_CONNECT), 0);  // makes the socket non-blocking
    sockaddr_in g = group4(free_port(AF_INET));
    EXPECT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), s) << "a valid descriptor, never WSAEWOULDBLOCK";
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), WSA_WAIT_EVENT_0) << "the join has completed";
    WSANETWORKEVENTS events{};
    ASSERT_EQ(WSAEnumNetworkEvents(s, e, &events), 0);
    EXPECT_EQ(events.lNetworkEvents, FD_CONNECT);
    EXPECT_EQ(events.iErrorCode[FD_CONNECT_BIT], 0);
    closesocket(s);
    WSACloseEvent(e);

    SOCKET plain = leaf(AF_INET);
    u_long on = 1;
    ASSERT_EQ(ioctlsocket(plain, FIONBIO, &on), 0);
    sockaddr_in g2 = group4(free_port(AF_INET));
    EXPECT_EQ(join(plain, &g2, sizeof g2, JL_SENDER_ONLY), plain);
    closesocket(plain);
}

TEST_F(JoinLeafTest, ConnectedLeafJoinsTheSessionInstead) {
    SOCKET s = leaf(AF_INET);
    sockaddr_in somewhere = loopback4(9);
    ASSERT_EQ(connect(s, sa(&somewhere), sizeof somewhere), 0);
    sockaddr_in g = group4(free_port(AF_INET));
    EXPECT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), s) << WSAGetLastError();
    sockaddr_in peer{};
    int len = sizeof peer;
    ASSERT_EQ(getpeername(s, sa(&peer), &len), 0);
    EXPECT_EQ(peer.sin_addr.s_addr, g.sin_addr.s_addr);
    closesocket(s);
}

TEST_F(JoinLeafTest, MulticastDeliveryOverIPv4Loopback) {
    u_short port = free_port(AF_INET);
    sockaddr_in g = group4(port);
    SOCKET receiver = leaf(AF_INET), sender = leaf(AF_INET);
    ASSERT_TRUE(use_interface4(receiver));
    ASSERT_TRUE(use_interface4(sender));
    ASSERT_EQ(join(receiver, &g, sizeof g, JL_RECEIVER_ONLY), receiver) << WSAGetLastError();
    // The sender needs a port of its own: it binds before joining.
    sockaddr_in any{};
    any.sin_family = AF_INET;
    ASSERT_EQ(bind(sender, sa(&any), sizeof any), 0);
    ASSERT_EQ(join(sender, &g, sizeof g, JL_SENDER_ONLY), sender) << WSAGetLastError();
    ASSERT_EQ(send(sender, "multipoint", 10, 0), 10) << "send goes to the session: " << WSAGetLastError();
    char buffer[32] = {};
    sockaddr_in from{};
    int fromlen = sizeof from;
    ASSERT_EQ(receive(receiver, buffer, sizeof buffer, sa(&from), &fromlen), 10) << WSAGetLastError();
    EXPECT_EQ(std::memcmp(buffer, "multipoint", 10), 0);
    sockaddr_in sender_name{};
    int len = sizeof sender_name;
    getsockname(sender, sa(&sender_name), &len);
    EXPECT_EQ(from.sin_port, sender_name.sin_port) << "receives are open to every sender";
    closesocket(receiver);
    closesocket(sender);
}

TEST_F(JoinLeafTest, BothWaysLeafHearsItsOwnSession) {
    sockaddr_in g = group4(free_port(AF_INET), 79);
    SOCKET s = leaf(AF_INET);
    ASSERT_TRUE(use_interface4(s));
    ASSERT_EQ(join(s, &g, sizeof g, JL_BOTH), s) << WSAGetLastError();
    WSABUF data{4, const_cast<char *>("both")};
    DWORD sent = 0;
    ASSERT_EQ(WSASend(s, &data, 1, &sent, 0, nullptr, nullptr), 0) << WSAGetLastError();
    EXPECT_EQ(sent, 4u);
    char buffer[8] = {};
    ASSERT_EQ(receive(s, buffer, sizeof buffer), 4) << "multicast loopback: " << WSAGetLastError();
    EXPECT_EQ(std::memcmp(buffer, "both", 4), 0);
    closesocket(s);
}

TEST_F(JoinLeafTest, SharedGroupPortDeliversToEveryLeaf) {
    u_short port = free_port(AF_INET);
    sockaddr_in g = group4(port, 80);
    SOCKET a = leaf(AF_INET), b = leaf(AF_INET), sender = leaf(AF_INET);
    BOOL on = TRUE;
    for (SOCKET s : {a, b}) {
        ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char *>(&on), sizeof on), 0);
        ASSERT_TRUE(use_interface4(s));
        ASSERT_EQ(join(s, &g, sizeof g, JL_RECEIVER_ONLY), s) << WSAGetLastError();
    }
    ASSERT_TRUE(use_interface4(sender));
    ASSERT_EQ(sendto(sender, "all", 3, 0, sa(&g), sizeof g), 3) << WSAGetLastError();
    char buffer[8];
    EXPECT_EQ(receive(a, buffer, sizeof buffer), 3) << WSAGetLastError();
    EXPECT_EQ(receive(b, buffer, sizeof buffer), 3) << "multicast reaches every member: " << WSAGetLastError();
    closesocket(a);
    closesocket(b);
    closesocket(sender);
}

TEST_F(JoinLeafTest, TooManyMembershipsIsNoBuffers) {
    SOCKET s = leaf(AF_INET);
    ASSERT_TRUE(use_interface4(s));
    u_short port = free_port(AF_INET);
    // Linux limits the groups one socket joins (igmp_max_memberships, 20 by default).
    bool limited = false;
    for (int i = 1; i < 200 && !limited; ++i) {
        ip_mreq request{};
        request.imr_multiaddr = group4(port, static_cast<BYTE>(i)).sin_addr;
        request.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
        limited = setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, reinterpret_cast<const char *>(&request), sizeof request) != 0;
    }
    if (!limited) GTEST_SKIP() << "no membership limit below 200";
    ASSERT_EQ(WSAGetLastError(), WSAENOBUFS);
    sockaddr_in g = group4(port, 250);
    arm_last_error();
    EXPECT_EQ(join(s, &g, sizeof g, JL_BOTH), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAENOBUFS);
    EXPECT_EQ(join(s, &g, sizeof g, JL_SENDER_ONLY), s) << "a sender joins no group";
    closesocket(s);
}

TEST_F(JoinLeafTest, NoInterfaceForTheGroupIsNetworkUnreachable) {
    // A private namespace has no route to any multicast group.
    int code = run_in_child([] {
        if (!enter_network_namespace()) return kNoPrivateNetwork;
        SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, kLeaf);
        sockaddr_in g = JoinLeafTest::group4(5000);
        if (JoinLeafTest::join(s, &g, sizeof g, JL_RECEIVER_ONLY) != INVALID_SOCKET) return 1;
        return WSAGetLastError() == WSAENETUNREACH ? 0 : 2;
    });
    if (code == kNoPrivateNetwork) GTEST_SKIP() << "no private network namespace (needs CAP_SYS_ADMIN)";
    EXPECT_EQ(code, 0) << "1: the join succeeded, 2: another error";
}

TEST_F(JoinLeafTest, MulticastDeliveryOverIPv6) {
    // Linux does not loop IPv6 multicast through lo: a veth pair in a private namespace.
    int code = run_in_child([] {
        if (!enter_network_namespace()) return kNoPrivateNetwork;
        unsigned index = add_veth_pair();
        if (index == 0) return kNoPrivateNetwork;
        u_short port = JoinLeafTest::free_port(AF_INET6);
        sockaddr_in6 g = JoinLeafTest::group6(port);
        SOCKET receiver = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, kLeaf);
        SOCKET sender = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, kLeaf);
        if (!use_interface6(receiver, index) || !use_interface6(sender, index)) return 1;
        if (JoinLeafTest::join(receiver, &g, sizeof g, JL_RECEIVER_ONLY) != receiver) return 2;
        sockaddr_in6 local{};
        int len = sizeof local;
        getsockname(receiver, sa(&local), &len);
        if (local.sin6_port != g.sin6_port) return 3;
        sockaddr_in6 any{};
        any.sin6_family = AF_INET6;
        if (bind(sender, sa(&any), sizeof any) != 0) return 4;
        if (JoinLeafTest::join(sender, &g, sizeof g, JL_SENDER_ONLY) != sender) return 5;
        if (send(sender, "leaf6", 5, 0) != 5) return 6;
        char buffer[16] = {};
        if (JoinLeafTest::receive(receiver, buffer, sizeof buffer) != 5) return 7;
        return std::memcmp(buffer, "leaf6", 5) == 0 ? 0 : 8;
    });
    if (code == kNoPrivateNetwork) GTEST_SKIP() << "no private network namespace with veth (needs CAP_SYS_ADMIN)";
    EXPECT_EQ(code, 0) << "1: IPV6_MULTICAST_IF, 2: receiver join, 3: implicit bind, 4: sender bind, "
                          "5: sender join, 6: send, 7: receive, 8: data";
}

TEST_F(JoinLeafTest, IPv6JoinOnLoopbackInterface) {
    unsigned lo = interface_index("lo");
    if (lo == 0) GTEST_SKIP() << "no lo interface";
    SOCKET s = leaf(AF_INET6);
    ASSERT_TRUE(use_interface6(s, lo));
    sockaddr_in6 g = group6(free_port(AF_INET6));
    EXPECT_EQ(join(s, &g, sizeof g, JL_BOTH), s) << WSAGetLastError();
    ipv6_mreq again{};
    again.ipv6mr_multiaddr = g.sin6_addr;
    again.ipv6mr_interface = lo;
    EXPECT_EQ(setsockopt(s, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, reinterpret_cast<const char *>(&again), sizeof again),
              SOCKET_ERROR) << "already a member";
    closesocket(s);
}

}  // namespace
