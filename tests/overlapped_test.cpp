// Overlapped WSASend/WSARecv/WSASendTo/WSARecvFrom on the base provider: pending and immediate
// completion, the OVERLAPPED's status, events, completion routines at alertable waits,
// WSAGetOverlappedResult (waiting and not), order of several requests in flight, CancelIo /
// CancelIoEx, closesocket with requests pending, non-overlapped sockets. CTest runs this suite
// once per engine (WS2_IO_ENGINE=io_uring and =epoll).
#include <winsock2.h>
#include <windows.h>

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "support/posix.h"

namespace {

// HasOverlappedIoCompleted is a plain read of Internal, which another thread writes when the
// request completes (a benign race on Windows' memory model, and on x86). Tests that look while
// a completion may be running read it the way ThreadSanitizer can follow: an acquire load.
bool completed(const WSAOVERLAPPED &ov) {
    return __atomic_load_n(&ov.Internal, __ATOMIC_ACQUIRE) != STATUS_PENDING;
}

class OverlappedIo : public ::testing::Test {
protected:
    void SetUp() override {
        WSADATA data;
        ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    }
    void TearDown() override { WSACleanup(); }

    static SOCKET udp(sockaddr_in *bound, DWORD flags = WSA_FLAG_OVERLAPPED) {
        SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, flags);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int len = sizeof a;
        EXPECT_EQ(bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a), 0);
        EXPECT_EQ(getsockname(s, reinterpret_cast<sockaddr *>(bound), &len), 0);
        return s;
    }
    // A connected TCP pair, both overlapped.
    static void tcp_pair(SOCKET *client, SOCKET *server) {
        SOCKET listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int len = sizeof a;
        ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr *>(&a), sizeof a), 0);
        ASSERT_EQ(listen(listener, 1), 0);
        ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr *>(&a), &len), 0);
        *client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
        ASSERT_EQ(connect(*client, reinterpret_cast<sockaddr *>(&a), sizeof a), 0);
        *server = accept(listener, nullptr, nullptr);
        ASSERT_NE(*server, INVALID_SOCKET);
        closesocket(listener);
    }
};

TEST_F(OverlappedIo, PendingReceiveCompletesWithEventStatusAndSource) {
    sockaddr_in a_addr{}, b_addr{};
    SOCKET a = udp(&a_addr), b = udp(&b_addr);
    char buffer[32] = {};
    WSABUF wsabuf{sizeof buffer, buffer};
    WSAOVERLAPPED ov{};
    ov.hEvent = WSACreateEvent();
    DWORD flags = 0, bytes = 12345;
    sockaddr_in from{};
    int fromlen = sizeof from;
    ASSERT_EQ(WSARecvFrom(a, &wsabuf, 1, &bytes, &flags, reinterpret_cast<sockaddr *>(&from), &fromlen, &ov, nullptr),
              SOCKET_ERROR);
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    EXPECT_FALSE(completed(ov));
    DWORD got = 0, got_flags = 0;
    EXPECT_FALSE(WSAGetOverlappedResult(a, &ov, &got, FALSE, &got_flags));
    EXPECT_EQ(WSAGetLastError(), WSA_IO_INCOMPLETE);

    ASSERT_EQ(sendto(b, "hello", 5, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr), 5);
    EXPECT_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    EXPECT_TRUE(HasOverlappedIoCompleted(&ov));
    ASSERT_TRUE(WSAGetOverlappedResult(a, &ov, &got, FALSE, &got_flags));
    EXPECT_EQ(got, 5u);
    EXPECT_EQ(got_flags, 0u);
    EXPECT_EQ(std::string(buffer, 5), "hello");
    EXPECT_EQ(from.sin_port, b_addr.sin_port);
    EXPECT_EQ(fromlen, static_cast<int>(sizeof from));
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST_F(OverlappedIo, DataAlreadyThereCompletesAtOnceAndStillSignals) {
    sockaddr_in a_addr{}, b_addr{};
    SOCKET a = udp(&a_addr), b = udp(&b_addr);
    ASSERT_EQ(sendto(b, "now", 3, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr), 3);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(a, &readable);
    timeval wait{5, 0};
    ASSERT_EQ(select(0, &readable, nullptr, nullptr, &wait), 1);
    char buffer[8];
    WSABUF wsabuf{sizeof buffer, buffer};
    WSAOVERLAPPED ov{};
    ov.hEvent = WSACreateEvent();
    DWORD flags = 0, bytes = 0;
    ASSERT_EQ(WSARecv(a, &wsabuf, 1, &bytes, &flags, &ov, nullptr), 0);
    EXPECT_EQ(bytes, 3u);
    EXPECT_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    EXPECT_TRUE(HasOverlappedIoCompleted(&ov));
    EXPECT_EQ(ov.InternalHigh, 3u);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

struct RoutineRecord {
    std::atomic<int> calls{0};
    DWORD error = 99, bytes = 0, flags = 99;
    LPWSAOVERLAPPED overlapped = nullptr;
    DWORD thread = 0;
};
RoutineRecord g_routine;

void CALLBACK record_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags) {
    g_routine.error = error;
    g_routine.bytes = bytes;
    g_routine.overlapped = ov;
    g_routine.flags = flags;
    g_routine.thread = GetCurrentThreadId();
    g_routine.calls++;
}

TEST_F(OverlappedIo, CompletionRoutineRunsAtTheIssuersAlertableWait) {
    g_routine.calls = 0;
    sockaddr_in a_addr{}, b_addr{};
    SOCKET a = udp(&a_addr), b = udp(&b_addr);
    char buffer[16];
    WSABUF wsabuf{sizeof buffer, buffer};
    WSAOVERLAPPED ov{};
    DWORD flags = 0;
    ASSERT_EQ(WSARecv(a, &wsabuf, 1, nullptr, &flags, &ov, record_routine), SOCKET_ERROR);
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    std::thread sender([&] { sendto(b, "routine", 7, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr); });
    sender.join();
    // Not at a non-alertable wait: only an alertable one runs it, on this thread.
    while (!completed(ov)) SleepEx(1, FALSE);
    EXPECT_EQ(g_routine.calls.load(), 0);
    EXPECT_EQ(SleepEx(5000, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
    EXPECT_EQ(g_routine.calls.load(), 1);
    EXPECT_EQ(g_routine.error, 0u);
    EXPECT_EQ(g_routine.bytes, 7u);
    EXPECT_EQ(g_routine.overlapped, &ov);
    EXPECT_EQ(g_routine.thread, GetCurrentThreadId());
    closesocket(a);
    closesocket(b);
}

TEST_F(OverlappedIo, SeveralReceivesAndSendsInFlightCompleteInOrder) {
    SOCKET client, server;
    tcp_pair(&client, &server);
    constexpr int kRequests = 4;
    char buffers[kRequests][4];
    WSABUF wsabufs[kRequests];
    WSAOVERLAPPED ovs[kRequests] = {};
    for (int i = 0; i < kRequests; ++i) {
        wsabufs[i] = WSABUF{4, buffers[i]};
        ovs[i].hEvent = WSACreateEvent();
        DWORD flags = 0;
        ASSERT_EQ(WSARecv(server, &wsabufs[i], 1, nullptr, &flags, &ovs[i], nullptr), SOCKET_ERROR);
        ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    }
    // Overlapped sends, several at once, large enough to be split by the kernel.
    std::vector<std::string> chunks = {"aaaa", "bbbb", "cccc", "dddd"};
    WSAOVERLAPPED send_ovs[kRequests] = {};
    WSABUF send_bufs[kRequests];
    for (int i = 0; i < kRequests; ++i) {
        send_bufs[i] = WSABUF{4, chunks[i].data()};
        send_ovs[i].hEvent = WSACreateEvent();
        int rc = WSASend(client, &send_bufs[i], 1, nullptr, 0, &send_ovs[i], nullptr);
        ASSERT_TRUE(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    }
    for (int i = 0; i < kRequests; ++i) {
        ASSERT_EQ(WaitForSingleObject(ovs[i].hEvent, 5000), WAIT_OBJECT_0) << i;
        DWORD got = 0, flags = 0;
        ASSERT_TRUE(WSAGetOverlappedResult(server, &ovs[i], &got, TRUE, &flags));
        EXPECT_EQ(got, 4u);
        EXPECT_EQ(std::string(buffers[i], 4), chunks[i]) << i;
        EXPECT_EQ(WaitForSingleObject(send_ovs[i].hEvent, 5000), WAIT_OBJECT_0);
        WSACloseEvent(ovs[i].hEvent);
        WSACloseEvent(send_ovs[i].hEvent);
    }
    closesocket(client);
    closesocket(server);
}

TEST_F(OverlappedIo, AStreamSendCompletesOnlyWhenEveryByteHasGone) {
    SOCKET client, server;
    tcp_pair(&client, &server);
    std::vector<char> big(8 << 20, 'x');
    WSABUF wsabuf{static_cast<ULONG>(big.size()), big.data()};
    WSAOVERLAPPED ov{};
    ov.hEvent = WSACreateEvent();
    int rc = WSASend(client, &wsabuf, 1, nullptr, 0, &ov, nullptr);
    ASSERT_EQ(rc, SOCKET_ERROR);  // 8 MiB cannot fit the socket buffers of an idle peer
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    std::vector<char> sink(1 << 16);
    std::size_t received = 0;
    while (received < big.size()) {
        int n = recv(server, sink.data(), static_cast<int>(sink.size()), 0);
        ASSERT_GT(n, 0);
        received += static_cast<std::size_t>(n);
    }
    DWORD sent = 0, flags = 0;
    ASSERT_TRUE(WSAGetOverlappedResult(client, &ov, &sent, TRUE, &flags));
    EXPECT_EQ(sent, big.size());
    WSACloseEvent(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

TEST_F(OverlappedIo, WaitingForAResultWithoutAnEvent) {
    sockaddr_in a_addr{}, b_addr{};
    SOCKET a = udp(&a_addr), b = udp(&b_addr);
    char buffer[8];
    WSABUF wsabuf{sizeof buffer, buffer};
    WSAOVERLAPPED ov{};
    DWORD flags = 0;
    ASSERT_EQ(WSARecv(a, &wsabuf, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    std::thread sender([&] {
        SleepEx(20, FALSE);
        sendto(b, "late", 4, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr);
    });
    DWORD got = 0, got_flags = 0;
    EXPECT_TRUE(WSAGetOverlappedResult(a, &ov, &got, TRUE, &got_flags));
    EXPECT_EQ(got, 4u);
    sender.join();
    closesocket(a);
    closesocket(b);
}

TEST_F(OverlappedIo, TruncatedDatagramCompletesWithWSAEMSGSIZE) {
    sockaddr_in a_addr{}, b_addr{};
    SOCKET a = udp(&a_addr), b = udp(&b_addr);
    char buffer[4];
    WSABUF wsabuf{sizeof buffer, buffer};
    WSAOVERLAPPED ov{};
    ov.hEvent = WSACreateEvent();
    DWORD flags = 0;
    ASSERT_EQ(WSARecv(a, &wsabuf, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
    ASSERT_EQ(sendto(b, "0123456789", 10, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr), 10);
    ASSERT_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    DWORD got = 0, got_flags = 0;
    EXPECT_FALSE(WSAGetOverlappedResult(a, &ov, &got, FALSE, &got_flags));
    EXPECT_EQ(WSAGetLastError(), WSAEMSGSIZE);
    EXPECT_EQ(got, 4u);
    EXPECT_EQ(std::string(buffer, 4), "0123");
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST_F(OverlappedIo, CancelIoExAbortsOneRequestAndCancelIoOnlyTheCallersOwn) {
    sockaddr_in a_addr{};
    SOCKET a = udp(&a_addr);
    char b1[8], b2[8];
    WSABUF w1{8, b1}, w2{8, b2};
    WSAOVERLAPPED ov1{}, ov2{};
    ov1.hEvent = WSACreateEvent();
    ov2.hEvent = WSACreateEvent();
    DWORD flags = 0;
    ASSERT_EQ(WSARecv(a, &w1, 1, nullptr, &flags, &ov1, nullptr), SOCKET_ERROR);
    ASSERT_EQ(WSARecv(a, &w2, 1, nullptr, &flags, &ov2, nullptr), SOCKET_ERROR);

    // Another thread's CancelIo does not touch this thread's requests.
    std::thread other([&] { EXPECT_TRUE(CancelIo(reinterpret_cast<HANDLE>(a))); });
    other.join();
    EXPECT_EQ(WaitForSingleObject(ov1.hEvent, 50), static_cast<DWORD>(WAIT_TIMEOUT));

    EXPECT_TRUE(CancelIoEx(reinterpret_cast<HANDLE>(a), &ov2));
    ASSERT_EQ(WaitForSingleObject(ov2.hEvent, 5000), WAIT_OBJECT_0);
    DWORD got = 0, got_flags = 0;
    EXPECT_FALSE(WSAGetOverlappedResult(a, &ov2, &got, FALSE, &got_flags));
    EXPECT_EQ(WSAGetLastError(), WSA_OPERATION_ABORTED);
    EXPECT_EQ(ov2.Internal, 0xC0000120u);  // STATUS_CANCELLED
    EXPECT_FALSE(completed(ov1));

    // Nothing left matching: ERROR_NOT_FOUND.
    EXPECT_FALSE(CancelIoEx(reinterpret_cast<HANDLE>(a), &ov2));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_FOUND));
    EXPECT_TRUE(CancelIo(reinterpret_cast<HANDLE>(a)));
    ASSERT_EQ(WaitForSingleObject(ov1.hEvent, 5000), WAIT_OBJECT_0);
    EXPECT_FALSE(WSAGetOverlappedResult(a, &ov1, &got, FALSE, &got_flags));
    EXPECT_EQ(WSAGetLastError(), WSA_OPERATION_ABORTED);

    EXPECT_FALSE(CancelIo(reinterpret_cast<HANDLE>(INVALID_SOCKET)));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    EXPECT_FALSE(CancelIoEx(ov1.hEvent, nullptr));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    WSACloseEvent(ov1.hEvent);
    WSACloseEvent(ov2.hEvent);
    closesocket(a);
}

TEST_F(OverlappedIo, ClosingASocketAbortsEveryPendingRequest) {
    SOCKET client, server;
    tcp_pair(&client, &server);
    char buffers[3][8];
    WSAOVERLAPPED ovs[3] = {};
    for (int i = 0; i < 3; ++i) {
        WSABUF w{8, buffers[i]};
        ovs[i].hEvent = WSACreateEvent();
        DWORD flags = 0;
        ASSERT_EQ(WSARecv(server, &w, 1, nullptr, &flags, &ovs[i], nullptr), SOCKET_ERROR);
        ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    }
    ASSERT_EQ(closesocket(server), 0);
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(WaitForSingleObject(ovs[i].hEvent, 5000), WAIT_OBJECT_0) << i;
        EXPECT_EQ(ovs[i].Internal, 0xC0000120u) << i;  // STATUS_CANCELLED
        WSACloseEvent(ovs[i].hEvent);
    }
    closesocket(client);
}

TEST_F(OverlappedIo, NonOverlappedSocketsIgnoreTheOverlapped) {
    sockaddr_in a_addr{};
    SOCKET a = udp(&a_addr, 0);
    u_long on = 1;
    ASSERT_EQ(ioctlsocket(a, FIONBIO, &on), 0);
    char buffer[8];
    WSABUF w{8, buffer};
    WSAOVERLAPPED ov{};
    DWORD flags = 0, bytes = 0;
    EXPECT_EQ(WSARecv(a, &w, 1, &bytes, &flags, &ov, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);  // synchronous, non-blocking: never pending
    closesocket(a);
}

TEST_F(OverlappedIo, CompletionsReachTheSocketsPortWithItsKey) {
    sockaddr_in a_addr{}, b_addr{};
    SOCKET a = udp(&a_addr), b = udp(&b_addr);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
    ASSERT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(a), port, 77, 0), port);
    char buffer[8];
    WSABUF w{8, buffer};
    WSAOVERLAPPED ov{};
    DWORD flags = 0;
    ASSERT_EQ(WSARecv(a, &w, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    ASSERT_EQ(sendto(b, "port", 4, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr), 4);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = nullptr;
    ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    EXPECT_EQ(bytes, 4u);
    EXPECT_EQ(key, 77u);
    EXPECT_EQ(got, &ov);

    // Completed at once: still queued, unless FILE_SKIP_COMPLETION_PORT_ON_SUCCESS.
    ASSERT_EQ(sendto(b, "x", 1, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr), 1);
    while (!completed(ov) || ov.InternalHigh != 4) SleepEx(1, FALSE);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(a, &readable);
    timeval wait{5, 0};
    ASSERT_EQ(select(0, &readable, nullptr, nullptr, &wait), 1);
    DWORD done = 0;
    ASSERT_EQ(WSARecv(a, &w, 1, &done, &flags, &ov, nullptr), 0);
    ASSERT_TRUE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    EXPECT_EQ(bytes, 1u);
    ASSERT_TRUE(SetFileCompletionNotificationModes(reinterpret_cast<HANDLE>(a), FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    ASSERT_EQ(sendto(b, "y", 1, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr), 1);
    ASSERT_EQ(select(0, &readable, nullptr, nullptr, &wait), 1);
    ASSERT_EQ(WSARecv(a, &w, 1, &done, &flags, &ov, nullptr), 0);
    EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_TIMEOUT));

    // An event with its low bit set keeps the completion off the port; the event is still set.
    WSAOVERLAPPED quiet{};
    HANDLE event = WSACreateEvent();
    quiet.hEvent = reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(event) | 1);
    ASSERT_EQ(WSARecv(a, &w, 1, nullptr, &flags, &quiet, nullptr), SOCKET_ERROR);
    ASSERT_EQ(sendto(b, "z", 1, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr), 1);
    EXPECT_EQ(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
    EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));

    // Requests aborted by closesocket still reach the port, with ERROR_OPERATION_ABORTED.
    ASSERT_EQ(WSARecv(a, &w, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
    ASSERT_EQ(closesocket(a), 0);
    EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_OPERATION_ABORTED));
    EXPECT_EQ(got, &ov);
    EXPECT_EQ(key, 77u);
    WSACloseEvent(event);
    CloseHandle(port);
    closesocket(b);
}

TEST_F(OverlappedIo, AResetConnectionIsNetnameDeletedAtThePortAndWSAECONNRESETFromTheResult) {
    SOCKET client, server;
    tcp_pair(&client, &server);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
    ASSERT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(server), port, 1, 0), port);
    char buffer[8];
    WSABUF w{8, buffer};
    WSAOVERLAPPED ov{};
    DWORD flags = 0;
    ASSERT_EQ(WSARecv(server, &w, 1, nullptr, &flags, &ov, nullptr), SOCKET_ERROR);
    linger abort_close{1, 0};
    setsockopt(client, SOL_SOCKET, SO_LINGER, reinterpret_cast<const char *>(&abort_close), sizeof abort_close);
    closesocket(client);  // a reset
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = nullptr;
    EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    EXPECT_EQ(GetLastError(), 64u);  // ERROR_NETNAME_DELETED
    EXPECT_EQ(got, &ov);
    DWORD result_flags = 0;
    EXPECT_FALSE(WSAGetOverlappedResult(server, &ov, &bytes, FALSE, &result_flags));
    EXPECT_EQ(WSAGetLastError(), WSAECONNRESET);
    closesocket(server);
    CloseHandle(port);
}

TEST_F(OverlappedIo, TwoWorkersServeManyConnectionsThroughOnePort) {
    constexpr int kPairs = 16, kRounds = 50;
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 2);
    struct Conn {
        SOCKET client, server;
        WSAOVERLAPPED ov{};
        char buffer[16];
        std::atomic<int> echoed{0};
    };
    std::vector<std::unique_ptr<Conn>> conns;
    for (int i = 0; i < kPairs; ++i) {
        auto c = std::make_unique<Conn>();
        tcp_pair(&c->client, &c->server);
        ASSERT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(c->server), port, reinterpret_cast<ULONG_PTR>(c.get()), 0), port);
        conns.push_back(std::move(c));
    }
    auto post_receive = [](Conn *c) {
        WSABUF w{sizeof c->buffer, c->buffer};
        DWORD flags = 0;
        int rc = WSARecv(c->server, &w, 1, nullptr, &flags, &c->ov, nullptr);
        return rc == 0 || WSAGetLastError() == WSA_IO_PENDING;
    };
    for (auto &c : conns) ASSERT_TRUE(post_receive(c.get()));
    std::vector<std::thread> workers;
    for (int t = 0; t < 2; ++t)
        workers.emplace_back([&] {
            for (;;) {
                DWORD bytes = 0;
                ULONG_PTR key = 0;
                LPOVERLAPPED ov = nullptr;
                if (!GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE) || ov == nullptr) return;
                auto *c = reinterpret_cast<Conn *>(key);
                send(c->server, c->buffer, static_cast<int>(bytes), 0);  // echo synchronously
                c->echoed++;
                post_receive(c);
            }
        });
    for (int round = 0; round < kRounds; ++round)
        for (auto &c : conns) {
            ASSERT_EQ(send(c->client, "ping", 4, 0), 4);
            char reply[4];
            int got = 0;
            while (got < 4) {
                int n = recv(c->client, reply + got, 4 - got, 0);
                ASSERT_GT(n, 0);
                got += n;
            }
        }
    for (int t = 0; t < 2; ++t) PostQueuedCompletionStatus(port, 0, 0, nullptr);
    for (auto &w : workers) w.join();
    int total = 0;
    for (auto &c : conns) total += c->echoed.load();
    EXPECT_EQ(total, kPairs * kRounds);
    // Servers first: their pending receives end aborted (closing a client first would end its
    // server's receive with a graceful 0-byte completion instead).
    for (auto &c : conns) closesocket(c->server);
    for (auto &c : conns) closesocket(c->client);
    // The aborted receives were queued to the port after the workers stopped: drain them.
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    int aborted = 0;
    while (!GetQueuedCompletionStatus(port, &bytes, &key, &ov, 1000) && ov != nullptr) ++aborted;
    EXPECT_EQ(aborted, kPairs);
    CloseHandle(port);
}

TEST_F(OverlappedIo, BadArguments) {
    sockaddr_in a_addr{};
    SOCKET a = udp(&a_addr);
    char buffer[8];
    WSABUF w{8, buffer};
    DWORD flags = 0;
    auto *bad = static_cast<WSAOVERLAPPED *>(ws2test::inaccessible_page());
    EXPECT_EQ(WSARecv(a, &w, 1, nullptr, &flags, bad, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSASendTo(a, &w, 1, nullptr, 0, reinterpret_cast<sockaddr *>(&a_addr), sizeof a_addr, bad, nullptr),
              SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    DWORD got = 0;
    EXPECT_FALSE(WSAGetOverlappedResult(a, bad, &got, FALSE, &flags));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_FALSE(WSAGetOverlappedResult(a, nullptr, &got, FALSE, &flags));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    WSAOVERLAPPED done{};
    EXPECT_FALSE(WSAGetOverlappedResult(a, &done, nullptr, FALSE, &flags));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_FALSE(WSAGetOverlappedResult(static_cast<SOCKET>(12345), &done, &got, FALSE, &flags));
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    closesocket(a);
}

}  // namespace
