// Socket groups: WSASocket's g, SO_GROUP_ID / SO_GROUP_PRIORITY, WSAAccept's condition function,
// and the constrained-group rules of the WSASocket seed (002, "Socket Groups").
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "support/loopback.h"
#include "support/winsock_test.h"

namespace ws2test {
namespace {

char *as_chars(void *p) { return static_cast<char *>(p); }

GROUP group_of(SOCKET s) {
    GROUP g = 0xdeadbeef;
    int len = sizeof g;
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_GROUP_ID, as_chars(&g), &len), 0);
    EXPECT_EQ(len, static_cast<int>(sizeof g));
    return g;
}

SOCKET in_group(int af, int type, int protocol, GROUP g) {
    return WSASocketW(af, type, protocol, nullptr, g, 0);
}

TEST_F(WinsockTest, NoGroupReadsZero) {
    SOCKET s = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_EQ(group_of(s), 0u);
    closesocket(s);
}

TEST_F(WinsockTest, ANewGroupHasItsFirstMemberAndOthersJoinIt) {
    for (GROUP kind : {GROUP{SG_UNCONSTRAINED_GROUP}, GROUP{SG_CONSTRAINED_GROUP}}) {
        arm_last_error();
        SOCKET first = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, kind);
        ASSERT_NE(first, INVALID_SOCKET) << WSAGetLastError();
        EXPECT_EQ(WSAGetLastError(), 0);
        GROUP id = group_of(first);
        EXPECT_GT(id, GROUP{SG_CONSTRAINED_GROUP}) << "a real id, not the request value";
        SOCKET second = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, id);
        ASSERT_NE(second, INVALID_SOCKET) << WSAGetLastError();
        EXPECT_EQ(group_of(second), id);
        closesocket(second);
        closesocket(first);
    }
}

TEST_F(WinsockTest, EveryNewGroupGetsItsOwnId) {
    std::set<GROUP> ids;
    SOCKET sockets[8];
    for (SOCKET &s : sockets) {
        s = in_group(AF_INET, SOCK_DGRAM, IPPROTO_UDP, SG_UNCONSTRAINED_GROUP);
        ASSERT_NE(s, INVALID_SOCKET);
        ids.insert(group_of(s));
    }
    EXPECT_EQ(ids.size(), 8u);
    for (SOCKET s : sockets) closesocket(s);
}

// Group ids are unique across processes: a group made in a child process never has the id of
// one alive in the parent.
TEST_F(WinsockTest, GroupIdsAreUniqueAcrossProcesses) {
    SOCKET mine = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_UNCONSTRAINED_GROUP);
    ASSERT_NE(mine, INVALID_SOCKET);
    GROUP my_id = group_of(mine);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(fds[0]);
        WSADATA data;
        GROUP theirs = 0;
        if (WSAStartup(MAKEWORD(2, 2), &data) == 0) {
            SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, SG_UNCONSTRAINED_GROUP, 0);
            int len = sizeof theirs;
            getsockopt(s, SOL_SOCKET, SO_GROUP_ID, reinterpret_cast<char *>(&theirs), &len);
        }
        ssize_t ignored = write(fds[1], &theirs, sizeof theirs);
        (void)ignored;
        _exit(0);
    }
    close(fds[1]);
    GROUP theirs = 0;
    ASSERT_EQ(read(fds[0], &theirs, sizeof theirs), static_cast<ssize_t>(sizeof theirs));
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_GT(theirs, GROUP{SG_CONSTRAINED_GROUP});
    EXPECT_NE(theirs, my_id);
    closesocket(mine);
}

TEST_F(WinsockTest, AGroupLivesUntilItsLastSocketCloses) {
    SOCKET first = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_UNCONSTRAINED_GROUP);
    GROUP id = group_of(first);
    SOCKET second = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, id);
    ASSERT_NE(second, INVALID_SOCKET);
    closesocket(first);
    SOCKET third = in_group(AF_INET, SOCK_DGRAM, IPPROTO_UDP, id);
    ASSERT_NE(third, INVALID_SOCKET) << "the group outlives its first member";
    closesocket(second);
    closesocket(third);
    arm_last_error();
    EXPECT_EQ(in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, id), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL) << "the group ended with its last socket";
}

TEST_F(WinsockTest, AConstrainedGroupIsForConnectionOrientedSocketsOfOneTypeAndProtocol) {
    arm_last_error();
    EXPECT_EQ(in_group(AF_INET, SOCK_DGRAM, IPPROTO_UDP, SG_CONSTRAINED_GROUP), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL) << "datagram sockets cannot start a constrained group";

    SOCKET tcp = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_CONSTRAINED_GROUP);
    ASSERT_NE(tcp, INVALID_SOCKET);
    GROUP id = group_of(tcp);
    arm_last_error();
    EXPECT_EQ(in_group(AF_INET, SOCK_DGRAM, IPPROTO_UDP, id), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL) << "another type cannot join";
    SOCKET v6 = in_group(AF_INET6, SOCK_STREAM, IPPROTO_TCP, id);
    EXPECT_NE(v6, INVALID_SOCKET) << "the same type and protocol may join";
    closesocket(v6);

    // An unconstrained group takes any socket.
    SOCKET open_group = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_UNCONSTRAINED_GROUP);
    SOCKET udp = in_group(AF_INET, SOCK_DGRAM, IPPROTO_UDP, group_of(open_group));
    EXPECT_NE(udp, INVALID_SOCKET);
    closesocket(udp);
    closesocket(open_group);
    closesocket(tcp);
}

TEST_F(WinsockTest, ConstrainedGroupMembersConnectToOneHost) {
    Listener here;  // 127.0.0.1
    Listener also_here;
    SOCKET first = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_CONSTRAINED_GROUP);
    GROUP id = group_of(first);
    SOCKET second = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, id);
    SOCKET third = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, id);
    ASSERT_EQ(connect(first, sa(&here.address), sizeof here.address), 0) << WSAGetLastError();
    EXPECT_EQ(connect(second, sa(&also_here.address), sizeof also_here.address), 0)
        << "another port on the same host is the same address";
    sockaddr_in elsewhere = here.address;
    elsewhere.sin_addr.s_addr = htonl(0x7f000002);  // 127.0.0.2: another address
    arm_last_error();
    EXPECT_EQ(connect(third, sa(&elsewhere), sizeof elsewhere), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);

    // An unconstrained group does not care.
    SOCKET free_member = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_UNCONSTRAINED_GROUP);
    SOCKET other = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, group_of(free_member));
    Listener far_away;
    sockaddr_in distant = far_away.address;
    EXPECT_EQ(connect(free_member, sa(&here.address), sizeof here.address), 0);
    EXPECT_EQ(connect(other, sa(&distant), sizeof distant), 0);
    for (SOCKET s : {first, second, third, free_member, other}) closesocket(s);
}

TEST_F(WinsockTest, GroupPriorityReadsBackAsSet) {
    SOCKET s = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_UNCONSTRAINED_GROUP);
    int priority = -1, len = sizeof priority;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_GROUP_PRIORITY, as_chars(&priority), &len), 0);
    EXPECT_EQ(priority, 0);
    priority = 7;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_GROUP_PRIORITY, as_chars(&priority), sizeof priority), 0);
    priority = 0;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_GROUP_PRIORITY, as_chars(&priority), &len), 0);
    EXPECT_EQ(priority, 7);
    GROUP g = 5;
    arm_last_error();
    EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_GROUP_ID, as_chars(&g), sizeof g), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT) << "SO_GROUP_ID is read-only";
    closesocket(s);
}

// WSAAccept's condition function receives g and may place the accepted socket in a group.
GROUP g_requested = 0;
int CALLBACK place_in_group(LPWSABUF, LPWSABUF, LPQOS, LPQOS, LPWSABUF, LPWSABUF, GROUP *g, DWORD_PTR) {
    *g = g_requested;
    return CF_ACCEPT;
}

TEST_F(WinsockTest, TheConditionFunctionPlacesTheAcceptedSocketInAGroup) {
    Listener l;
    SOCKET listener_group = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_UNCONSTRAINED_GROUP);
    GROUP existing = group_of(listener_group);
    for (GROUP request : {GROUP{0}, GROUP{SG_UNCONSTRAINED_GROUP}, GROUP{SG_CONSTRAINED_GROUP}, existing}) {
        g_requested = request;
        SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
        ASSERT_EQ(connect(c, sa(&l.address), sizeof l.address), 0);
        SOCKET a = WSAAccept(l.s, nullptr, nullptr, place_in_group, 0);
        ASSERT_NE(a, INVALID_SOCKET) << WSAGetLastError();
        GROUP got = group_of(a);
        if (request == 0) EXPECT_EQ(got, 0u);
        else if (request == existing) EXPECT_EQ(got, existing);
        else EXPECT_GT(got, GROUP{SG_CONSTRAINED_GROUP});
        closesocket(a);
        closesocket(c);
    }
    g_requested = 0x7ffffff0;  // no such group
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(connect(c, sa(&l.address), sizeof l.address), 0);
    arm_last_error();
    EXPECT_EQ(WSAAccept(l.s, nullptr, nullptr, place_in_group, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(c);
    closesocket(listener_group);
}

TEST_F(WinsockTest, AcceptedSocketsDoNotInheritTheListenersGroup) {
    SOCKET listener = in_group(AF_INET, SOCK_STREAM, IPPROTO_TCP, SG_UNCONSTRAINED_GROUP);
    sockaddr_in lo = loopback4();
    ASSERT_EQ(bind(listener, sa(&lo), sizeof lo), 0);
    ASSERT_EQ(listen(listener, 1), 0);
    int len = sizeof lo;
    getsockname(listener, sa(&lo), &len);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(connect(c, sa(&lo), sizeof lo), 0);
    SOCKET a = accept(listener, nullptr, nullptr);
    ASSERT_NE(a, INVALID_SOCKET);
    EXPECT_EQ(group_of(a), 0u);
    closesocket(a);
    closesocket(c);
    closesocket(listener);
}

}  // namespace
}  // namespace ws2test
