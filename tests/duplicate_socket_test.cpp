// WSADuplicateSocketA/W and WSASocket with a duplicated WSAPROTOCOL_INFO: argument checks
// (Wine's test_WSADuplicateSocket), same-process and cross-process duplicates of one socket,
// single use of an info, closing one descriptor while the others keep working, WSACleanup.
#include <windows.h>

#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.h"
#include "support/loopback.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace ws2test {
namespace {

class DuplicateSocketTest : public WinsockTest {};

// Longest any test waits for data before failing (a safety net, not an assertion).
constexpr DWORD kReceiveTimeoutMs = 10000;

void set_receive_timeout(SOCKET s) {
    DWORD ms = kReceiveTimeoutMs;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char *>(&ms), sizeof ms), 0);
}

std::string receive_exactly(SOCKET s, int length) {
    std::string out(static_cast<std::size_t>(length), '\0');
    for (int got = 0; got < length;) {
        int n = recv(s, out.data() + got, length - got, 0);
        if (n <= 0) return out.substr(0, static_cast<std::size_t>(got));
        got += n;
    }
    return out;
}

void expect_flows(SOCKET from, SOCKET to, const std::string &text) {
    set_receive_timeout(to);
    ASSERT_EQ(send(from, text.data(), static_cast<int>(text.size()), 0), static_cast<int>(text.size()));
    EXPECT_EQ(receive_exactly(to, static_cast<int>(text.size())), text);
}

WSAPROTOCOL_INFOW duplicate_w(SOCKET s, DWORD pid) {
    WSAPROTOCOL_INFOW info{};
    EXPECT_EQ(WSADuplicateSocketW(s, pid, &info), 0);
    return info;
}

u_short local_port(SOCKET s) {
    sockaddr_in a{};
    int len = sizeof a;
    EXPECT_EQ(getsockname(s, sa(&a), &len), 0);
    return ntohs(a.sin_port);
}

// ---- the child process ----------------------------------------------------------------------

struct Child {
    ChildProcess process;
    DWORD pid = 0;

    explicit Child(const std::vector<std::string> &args) {
        process = spawn_child(WS2_DUPLICATE_CHILD, args);
        EXPECT_GT(process.pid, 0);
        EXPECT_TRUE(read_all(process.from_child, &pid, sizeof pid));
    }
    ~Child() {
        if (process.pid > 0) wait_child(process);
    }
    template <class Info>
    void send_info(const Info &info) {
        EXPECT_TRUE(write_all(process.to_child, &info, sizeof info));
    }
    int next_result() {
        int value = -1;
        EXPECT_TRUE(read_all(process.from_child, &value, sizeof value));
        return value;
    }
    int finish() { return wait_child(process); }
};

// ---- argument checks (Wine's test_WSADuplicateSocket) ----------------------------------------

TEST(DuplicateSocketStartup, BeforeWSAStartupIsNotInitialised) {
    WSAPROTOCOL_INFOA a{};
    WSAPROTOCOL_INFOW w{};
    arm_last_error();
    EXPECT_EQ(WSADuplicateSocketA(0, GetCurrentProcessId(), &a), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    arm_last_error();
    EXPECT_EQ(WSADuplicateSocketW(0, GetCurrentProcessId(), &w), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
}

TEST_F(DuplicateSocketTest, ArgumentChecksInWindowsOrder) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(s, INVALID_SOCKET);
    DWORD pid = GetCurrentProcessId();
    WSAPROTOCOL_INFOA info{};
    struct Row {
        SOCKET s;
        DWORD pid;
        WSAPROTOCOL_INFOA *info;
        int error;
    } rows[] = {
        {0, 0, nullptr, WSAENOTSOCK},
        {s, 0, nullptr, WSAEINVAL},  // the process is checked before the buffer
        {s, ~0u, &info, WSAEINVAL},
        {s, 0x7fffffff, &info, WSAEINVAL},  // beyond any pid Linux hands out
        {0, pid, &info, WSAENOTSOCK},
        {s, pid, nullptr, WSAEFAULT},
        {s, pid, static_cast<WSAPROTOCOL_INFOA *>(inaccessible_page()), WSAEFAULT},
    };
    for (const Row &r : rows) {
        arm_last_error();
        EXPECT_EQ(WSADuplicateSocketA(r.s, r.pid, r.info), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), r.error) << "A row with error " << r.error;
        arm_last_error();
        EXPECT_EQ(WSADuplicateSocketW(r.s, r.pid, reinterpret_cast<WSAPROTOCOL_INFOW *>(r.info)),
                  SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), r.error) << "W row with error " << r.error;
    }
    closesocket(s);
}

TEST_F(DuplicateSocketTest, InfoDescribesTheSocket) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(s, INVALID_SOCKET);
    WSAPROTOCOL_INFOA info{};
    arm_last_error();
    ASSERT_EQ(WSADuplicateSocketA(s, GetCurrentProcessId(), &info), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(info.iProtocol, IPPROTO_TCP);
    EXPECT_EQ(info.iAddressFamily, AF_INET);
    EXPECT_EQ(info.iSocketType, SOCK_STREAM);
    EXPECT_EQ(info.dwCatalogEntryId, protocol_info(s).dwCatalogEntryId);
    EXPECT_STREQ(info.szProtocol, "MSAFD Tcpip [TCP/IP]");

    SOCKET u = socket(AF_INET6, SOCK_DGRAM, 0);
    ASSERT_NE(u, INVALID_SOCKET);
    WSAPROTOCOL_INFOW wide = duplicate_w(u, GetCurrentProcessId());
    EXPECT_EQ(wide.iProtocol, IPPROTO_UDP);
    EXPECT_EQ(wide.iAddressFamily, AF_INET6);
    EXPECT_EQ(wide.iSocketType, SOCK_DGRAM);
    EXPECT_EQ(wide.dwCatalogEntryId, protocol_info(u).dwCatalogEntryId);
    closesocket(s);
    closesocket(u);
}

// ---- same process ---------------------------------------------------------------------------

TEST_F(DuplicateSocketTest, SameProcessTcpDuplicateIsTheSameConnection) {
    TcpPair pair;
    WSAPROTOCOL_INFOA info{};
    ASSERT_EQ(WSADuplicateSocketA(pair.server, GetCurrentProcessId(), &info), 0);
    arm_last_error();
    SOCKET dup = WSASocketA(0, 0, 0, &info, 0, 0);  // af/type/protocol 0 (Wine's test)
    ASSERT_NE(dup, INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_NE(dup, pair.server);
    EXPECT_EQ(local_port(dup), local_port(pair.server));
    EXPECT_EQ(socket_type(dup), SOCK_STREAM);
    expect_flows(pair.client, dup, "to the duplicate");
    expect_flows(dup, pair.client, "from the duplicate");
    expect_flows(pair.server, pair.client, "from the source");
    closesocket(dup);
}

TEST_F(DuplicateSocketTest, SameProcessUdpDuplicateReceivesWhatTheSourceWasSent) {
    SOCKET source = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    sockaddr_in lo = loopback4();
    ASSERT_EQ(bind(source, sa(&lo), sizeof lo), 0);
    WSAPROTOCOL_INFOA info{};
    ASSERT_EQ(WSADuplicateSocketA(source, GetCurrentProcessId(), &info), 0);
    EXPECT_EQ(info.iProtocol, IPPROTO_UDP);
    SOCKET dup = WSASocketA(0, 0, 0, &info, 0, 0);
    ASSERT_NE(dup, INVALID_SOCKET);

    sockaddr_in self{};
    int len = sizeof self;
    ASSERT_EQ(getsockname(source, sa(&self), &len), 0);
    ASSERT_EQ(sendto(source, "hello", 5, 0, sa(&self), sizeof self), 5);
    set_receive_timeout(dup);
    char buffer[16] = {};
    sockaddr_in from{};
    int from_len = sizeof from;
    EXPECT_EQ(recvfrom(dup, buffer, sizeof buffer, 0, sa(&from), &from_len), 5);
    EXPECT_STREQ(buffer, "hello");
    EXPECT_EQ(from.sin_port, self.sin_port);
    closesocket(dup);
    closesocket(source);
}

TEST_F(DuplicateSocketTest, FromProtocolInfoAndTheRealTripleWork) {
    TcpPair pair;
    WSAPROTOCOL_INFOW info = duplicate_w(pair.server, GetCurrentProcessId());
    SOCKET a = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                          WSA_FLAG_OVERLAPPED);
    ASSERT_NE(a, INVALID_SOCKET);
    info = duplicate_w(pair.server, GetCurrentProcessId());
    SOCKET b = WSASocketW(AF_INET, SOCK_STREAM, 0, &info, 0, WSA_FLAG_OVERLAPPED);  // Wine's IOCP test
    ASSERT_NE(b, INVALID_SOCKET);
    expect_flows(pair.client, a, "a");
    expect_flows(pair.client, b, "b");
    closesocket(a);
    closesocket(b);
}

TEST_F(DuplicateSocketTest, AnInfoWorksOnce) {
    TcpPair pair;
    WSAPROTOCOL_INFOA info{};
    ASSERT_EQ(WSADuplicateSocketA(pair.server, GetCurrentProcessId(), &info), 0);
    SOCKET first = WSASocketA(0, 0, 0, &info, 0, 0);
    ASSERT_NE(first, INVALID_SOCKET);
    arm_last_error();
    EXPECT_EQ(WSASocketA(0, 0, 0, &info, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    // A forged token is no better.
    WSAPROTOCOL_INFOA forged = info;
    forged.dwServiceFlags4 ^= 0x5a5a5a5a;
    arm_last_error();
    EXPECT_EQ(WSASocketA(0, 0, 0, &forged, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(first);
}

TEST_F(DuplicateSocketTest, ClosingTheSourceLeavesTheDuplicateWorking) {
    TcpPair pair;
    WSAPROTOCOL_INFOW info = duplicate_w(pair.server, GetCurrentProcessId());
    SOCKET dup = WSASocketW(0, 0, 0, &info, 0, WSA_FLAG_OVERLAPPED);
    ASSERT_NE(dup, INVALID_SOCKET);
    ASSERT_EQ(closesocket(pair.server), 0);
    pair.server = INVALID_SOCKET;
    expect_flows(pair.client, dup, "still connected");
    expect_flows(dup, pair.client, "both ways");
    closesocket(dup);
}

TEST_F(DuplicateSocketTest, ClosingTheDuplicateLeavesTheSourceWorking) {
    TcpPair pair;
    WSAPROTOCOL_INFOW info = duplicate_w(pair.server, GetCurrentProcessId());
    SOCKET dup = WSASocketW(0, 0, 0, &info, 0, WSA_FLAG_OVERLAPPED);
    ASSERT_NE(dup, INVALID_SOCKET);
    ASSERT_EQ(closesocket(dup), 0);
    expect_flows(pair.client, pair.server, "source alive");
    expect_flows(pair.server, pair.client, "no shutdown");
}

// closesocket of a shared descriptor while a call is blocked on it must not shut the socket
// down: the other descriptor keeps the connection in both directions.
TEST_F(DuplicateSocketTest, ClosingASharedDescriptorUnderABlockedCallKeepsTheConnection) {
    TcpPair pair;
    WSAPROTOCOL_INFOW info = duplicate_w(pair.server, GetCurrentProcessId());
    SOCKET dup = WSASocketW(0, 0, 0, &info, 0, WSA_FLAG_OVERLAPPED);
    ASSERT_NE(dup, INVALID_SOCKET);
    set_receive_timeout(dup);
    char got = 0;
    int received = 0, error = 0;
    std::thread reader([&] {
        received = recv(dup, &got, 1, 0);
        error = received < 0 ? WSAGetLastError() : 0;
    });
    Sleep(50);  // lets the reader block (either order is checked below)
    ASSERT_EQ(closesocket(dup), 0);
    ASSERT_EQ(send(pair.client, "x", 1, 0), 1);
    reader.join();
    if (received == 1) {
        EXPECT_EQ(got, 'x');  // the running call finished on the socket, as Windows lets it
    } else {
        EXPECT_EQ(error, WSAENOTSOCK);  // it only started after closesocket
        EXPECT_EQ(receive_exactly(pair.server, 1), "x");
    }
    expect_flows(pair.client, pair.server, "source still receives");
    expect_flows(pair.server, pair.client, "and still sends");
}

TEST_F(DuplicateSocketTest, WindowsOnlyStateTravelsWithTheDuplicate) {
    TcpPair pair;
    int size = 12345;
    ASSERT_EQ(setsockopt(pair.server, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<char *>(&size), sizeof size), 0);
    u_long on = 1;
    ASSERT_EQ(ioctlsocket(pair.server, FIONBIO, &on), 0);
    WSAPROTOCOL_INFOW info = duplicate_w(pair.server, GetCurrentProcessId());
    SOCKET dup = WSASocketW(0, 0, 0, &info, 0, WSA_FLAG_OVERLAPPED);
    ASSERT_NE(dup, INVALID_SOCKET);
    int value = 0, len = sizeof value;
    ASSERT_EQ(getsockopt(dup, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<char *>(&value), &len), 0);
    EXPECT_EQ(value, size);
    char c;
    arm_last_error();
    EXPECT_EQ(recv(dup, &c, 1, 0), SOCKET_ERROR);  // connected and non-blocking, like its source
    EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    closesocket(dup);
}

TEST_F(DuplicateSocketTest, SharedListenerAcceptsOnTheDuplicate) {
    Listener l;
    WSAPROTOCOL_INFOW info = duplicate_w(l.s, GetCurrentProcessId());
    SOCKET dup = WSASocketW(0, 0, 0, &info, 0, WSA_FLAG_OVERLAPPED);
    ASSERT_NE(dup, INVALID_SOCKET);
    closesocket(l.s);
    l.s = INVALID_SOCKET;
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_EQ(connect(client, sa(&l.address), sizeof l.address), 0);
    SOCKET server = accept(dup, nullptr, nullptr);
    ASSERT_NE(server, INVALID_SOCKET);
    expect_flows(client, server, "accepted");
    closesocket(server);
    closesocket(client);
    closesocket(dup);
}

// The last WSACleanup closes every socket, duplicates included (Wine's test_WithWSAStartup),
// and the duplicates nobody claimed: the peer then sees the connection end.
TEST_F(DuplicateSocketTest, CleanupClosesDuplicatesAndUnclaimedInfos) {
    Listener l;
    int peer = linux_tcp_connect(ntohs(l.address.sin_port), static_cast<int>(kReceiveTimeoutMs));
    ASSERT_GE(peer, 0);
    SOCKET server = accept(l.s, nullptr, nullptr);
    ASSERT_NE(server, INVALID_SOCKET);
    WSAPROTOCOL_INFOW info = duplicate_w(server, GetCurrentProcessId());
    SOCKET dup = WSASocketW(0, 0, 0, &info, 0, WSA_FLAG_OVERLAPPED);
    ASSERT_NE(dup, INVALID_SOCKET);
    WSAPROTOCOL_INFOW unclaimed = duplicate_w(server, GetCurrentProcessId());

    ASSERT_EQ(WSACleanup(), 0);
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    for (SOCKET s : {server, dup}) {
        sockaddr_in a{};
        int len = sizeof a;
        arm_last_error();
        EXPECT_EQ(getsockname(s, sa(&a), &len), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    }
    arm_last_error();
    EXPECT_EQ(WSASocketW(0, 0, 0, &unclaimed, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    char c;
    EXPECT_EQ(linux_recv(peer, &c, 1), 0);  // every descriptor of the socket is gone
    close_fd(peer);
    l.s = INVALID_SOCKET;  // closed by the cleanup
}

// ---- another process ------------------------------------------------------------------------

TEST_F(DuplicateSocketTest, CrossProcessTcpDuplicateEchoes) {
    Listener l;
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_EQ(connect(client, sa(&l.address), sizeof l.address), 0);
    SOCKET server = accept(l.s, nullptr, nullptr);
    ASSERT_NE(server, INVALID_SOCKET);

    Child child({"W", "from"});
    ASSERT_NE(child.pid, GetCurrentProcessId());
    WSAPROTOCOL_INFOW info = duplicate_w(server, child.pid);
    child.send_info(info);
    ASSERT_EQ(child.next_result(), 0);
    // The parent's descriptor goes; the connection lives on in the child.
    ASSERT_EQ(closesocket(server), 0);
    set_receive_timeout(client);
    std::string text = "across processes";
    ASSERT_EQ(send(client, text.data(), static_cast<int>(text.size()), 0), static_cast<int>(text.size()));
    EXPECT_EQ(receive_exactly(client, static_cast<int>(text.size())), text);
    ASSERT_EQ(shutdown(client, SD_SEND), 0);
    EXPECT_EQ(child.next_result(), 0);  // the child saw the end of the stream
    EXPECT_EQ(child.finish(), 0);
    closesocket(client);
}

TEST_F(DuplicateSocketTest, CrossProcessUdpDuplicateWithAnsiInfoAndZeroTriple) {
    SOCKET source = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    sockaddr_in lo = loopback4();
    ASSERT_EQ(bind(source, sa(&lo), sizeof lo), 0);
    sockaddr_in where{};
    int len = sizeof where;
    ASSERT_EQ(getsockname(source, sa(&where), &len), 0);

    Child child({"A", "zero"});
    WSAPROTOCOL_INFOA info{};
    ASSERT_EQ(WSADuplicateSocketA(source, child.pid, &info), 0);
    child.send_info(info);
    ASSERT_EQ(child.next_result(), 0);

    SOCKET peer = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    set_receive_timeout(peer);
    ASSERT_EQ(sendto(peer, "ping", 4, 0, sa(&where), sizeof where), 4);
    char buffer[8] = {};
    EXPECT_EQ(recv(peer, buffer, sizeof buffer, 0), 4);  // echoed by the child from the same port
    EXPECT_STREQ(buffer, "ping");
    EXPECT_EQ(child.next_result(), 0);
    EXPECT_EQ(child.finish(), 0);
    closesocket(peer);
    closesocket(source);
}

TEST_F(DuplicateSocketTest, CrossProcessInfoWorksOnce) {
    TcpPair pair;
    Child child({"W", "from", "twice"});
    WSAPROTOCOL_INFOW info = duplicate_w(pair.server, child.pid);
    child.send_info(info);
    EXPECT_EQ(child.next_result(), 0);
    EXPECT_EQ(child.next_result(), WSAEINVAL);
    ASSERT_EQ(shutdown(pair.client, SD_SEND), 0);
    EXPECT_EQ(child.next_result(), 0);
    EXPECT_EQ(child.finish(), 0);
}

// An info made for one process is refused to another, and stays valid for the right one.
TEST_F(DuplicateSocketTest, CrossProcessInfoForAnotherProcessIsInvalid) {
    TcpPair pair;
    Child target({"W", "from"});
    Child intruder({"W", "from"});
    WSAPROTOCOL_INFOW info = duplicate_w(pair.server, target.pid);
    intruder.send_info(info);
    EXPECT_EQ(intruder.next_result(), WSAEINVAL);
    EXPECT_EQ(intruder.finish(), 0);

    target.send_info(info);
    ASSERT_EQ(target.next_result(), 0);
    set_receive_timeout(pair.client);
    ASSERT_EQ(send(pair.client, "ok", 2, 0), 2);
    EXPECT_EQ(receive_exactly(pair.client, 2), "ok");
    ASSERT_EQ(shutdown(pair.client, SD_SEND), 0);
    EXPECT_EQ(target.next_result(), 0);
    EXPECT_EQ(target.finish(), 0);
}

// The source ended its Winsock session before the target claimed the socket.
TEST_F(DuplicateSocketTest, CrossProcessInfoFromAnEndedSessionIsInvalid) {
    Child child({"W", "zero"});
    WSAPROTOCOL_INFOW info{};
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        info = duplicate_w(s, child.pid);
    }
    ASSERT_EQ(WSACleanup(), 0);
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    child.send_info(info);
    EXPECT_EQ(child.next_result(), WSAEINVAL);
    EXPECT_EQ(child.finish(), 0);
}

// A server hands each accepted connection to a worker process and forgets it.
TEST_F(DuplicateSocketTest, ServerHandsAcceptedSocketsToWorkerProcesses) {
    Listener l;
    constexpr int kWorkers = 3;
    SOCKET clients[kWorkers];
    std::vector<std::unique_ptr<Child>> workers;
    for (int i = 0; i < kWorkers; ++i) {
        clients[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        ASSERT_EQ(connect(clients[i], sa(&l.address), sizeof l.address), 0);
        SOCKET accepted = accept(l.s, nullptr, nullptr);
        ASSERT_NE(accepted, INVALID_SOCKET);
        workers.push_back(std::make_unique<Child>(std::vector<std::string>{"W", "from"}));
        WSAPROTOCOL_INFOW info = duplicate_w(accepted, workers.back()->pid);
        workers.back()->send_info(info);
        ASSERT_EQ(workers.back()->next_result(), 0);
        ASSERT_EQ(closesocket(accepted), 0);
    }
    for (int i = 0; i < kWorkers; ++i) {
        std::string text = "request " + std::to_string(i);
        set_receive_timeout(clients[i]);
        ASSERT_EQ(send(clients[i], text.data(), static_cast<int>(text.size()), 0),
                  static_cast<int>(text.size()));
        EXPECT_EQ(receive_exactly(clients[i], static_cast<int>(text.size())), text);
        ASSERT_EQ(shutdown(clients[i], SD_SEND), 0);
        EXPECT_EQ(workers[i]->next_result(), 0);
        EXPECT_EQ(workers[i]->finish(), 0);
        closesocket(clients[i]);
    }
}

}  // namespace
}  // namespace ws2test
