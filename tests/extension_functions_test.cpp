// The Microsoft extension functions of the base provider, end to end on loopback:
// SIO_GET_EXTENSION_FUNCTION_POINTER, AcceptEx (with and without receive data) and
// GetAcceptExSockaddrs, ConnectEx (into an AcceptEx too), DisconnectEx with socket reuse,
// TransmitFile (buffers and a file descriptor), WSARecvMsg/WSASendMsg with IP_PKTINFO, and
// their documented errors (the codes Windows gives in Wine's sock.c tests). CTest runs this
// suite once per engine (WS2_IO_ENGINE=io_uring and =epoll).
#include <winsock2.h>
#include <mswsock.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

constexpr DWORD kAddressArea = sizeof(sockaddr_in) + 16;

template <class F>
F extension(SOCKET s, GUID id) {
    F function = nullptr;
    DWORD returned = 0;
    EXPECT_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &function, sizeof function,
                       &returned, nullptr, nullptr),
              0);
    EXPECT_EQ(returned, sizeof function);
    return function;
}

sockaddr *as_address(sockaddr_in *a) { return reinterpret_cast<sockaddr *>(a); }

class ExtensionFunctions : public ::testing::Test {
protected:
    void SetUp() override {
        WSADATA data;
        ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
        listener_ = tcp();
        sockaddr_in a = loopback(0);
        ASSERT_EQ(bind(listener_, as_address(&a), sizeof a), 0);
        int len = sizeof address_;
        ASSERT_EQ(getsockname(listener_, as_address(&address_), &len), 0);
        ASSERT_EQ(listen(listener_, 5), 0);
        accept_ex_ = extension<LPFN_ACCEPTEX>(listener_, WSAID_ACCEPTEX);
        sockaddrs_ = extension<LPFN_GETACCEPTEXSOCKADDRS>(listener_, WSAID_GETACCEPTEXSOCKADDRS);
        connect_ex_ = extension<LPFN_CONNECTEX>(listener_, WSAID_CONNECTEX);
        disconnect_ex_ = extension<LPFN_DISCONNECTEX>(listener_, WSAID_DISCONNECTEX);
        ASSERT_NE(accept_ex_, nullptr);
        ASSERT_NE(sockaddrs_, nullptr);
        ASSERT_NE(connect_ex_, nullptr);
        ASSERT_NE(disconnect_ex_, nullptr);
        overlapped_.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    }
    void TearDown() override {
        CloseHandle(overlapped_.hEvent);
        closesocket(listener_);
        WSACleanup();
    }

    static SOCKET tcp() { return WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED); }
    static sockaddr_in loopback(u_short port) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        return a;
    }
    // Waits for the request and returns its error (0: success) and byte count.
    DWORD result(SOCKET s, DWORD *bytes) {
        EXPECT_EQ(WaitForSingleObject(overlapped_.hEvent, INFINITE), WAIT_OBJECT_0);
        DWORD flags = 0;
        *bytes = 0xdeadbeef;
        if (WSAGetOverlappedResult(s, &overlapped_, bytes, FALSE, &flags)) return 0;
        return static_cast<DWORD>(WSAGetLastError());
    }
    // AcceptEx into `acceptor` with the areas for IPv4; expects it pending.
    void start_accept(SOCKET acceptor, DWORD receive, DWORD local = kAddressArea, DWORD remote = kAddressArea) {
        ResetEvent(overlapped_.hEvent);
        DWORD bytes = 0;
        EXPECT_FALSE(accept_ex_(listener_, acceptor, buffer_, receive, local, remote, &bytes, &overlapped_));
        EXPECT_EQ(WSAGetLastError(), WSA_IO_PENDING);
        // Read as the completing thread writes it: a connection already queued may complete it
        // at once on the engine's thread (then it is no longer pending, and that is fine too).
        ULONG_PTR status = __atomic_load_n(&overlapped_.Internal, __ATOMIC_ACQUIRE);
        EXPECT_TRUE(status == STATUS_PENDING || WaitForSingleObject(overlapped_.hEvent, 0) == WAIT_OBJECT_0);
    }
    SOCKET connected_client() {
        SOCKET c = tcp();
        EXPECT_EQ(connect(c, as_address(&address_), sizeof address_), 0);
        return c;
    }

    SOCKET listener_ = INVALID_SOCKET;
    sockaddr_in address_{};
    LPFN_ACCEPTEX accept_ex_ = nullptr;
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs_ = nullptr;
    LPFN_CONNECTEX connect_ex_ = nullptr;
    LPFN_DISCONNECTEX disconnect_ex_ = nullptr;
    WSAOVERLAPPED overlapped_{};
    char buffer_[256] = {};
};

TEST_F(ExtensionFunctions, UnknownGuidIsInvalidAndShortOutputIsFault) {
    GUID unknown = {0x12345678, 0x1234, 0x1234, {1, 2, 3, 4, 5, 6, 7, 8}};
    void *function = nullptr;
    DWORD returned = 0;
    EXPECT_EQ(WSAIoctl(listener_, SIO_GET_EXTENSION_FUNCTION_POINTER, &unknown, sizeof unknown, &function,
                       sizeof function, &returned, nullptr, nullptr),
              SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    GUID accept = WSAID_ACCEPTEX;
    EXPECT_EQ(WSAIoctl(listener_, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept, sizeof accept, &function, 4,
                       &returned, nullptr, nullptr),
              SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSAIoctl(listener_, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept, sizeof accept - 1, &function,
                       sizeof function, &returned, nullptr, nullptr),
              SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSAIoctl(listener_, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept, sizeof accept, &function,
                       sizeof function, &returned, nullptr, nullptr),
              0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(reinterpret_cast<void *>(accept_ex_), function);
}

TEST_F(ExtensionFunctions, AcceptExWithoutDataCompletesOnConnectWithAddresses) {
    SOCKET acceptor = tcp();
    start_accept(acceptor, 0);
    SOCKET client = connected_client();
    DWORD bytes = 0;
    EXPECT_EQ(result(listener_, &bytes), 0u);
    EXPECT_EQ(bytes, 0u);
    EXPECT_EQ(overlapped_.Internal, 0u);

    sockaddr_in client_address{};
    int len = sizeof client_address;
    ASSERT_EQ(getsockname(client, as_address(&client_address), &len), 0);
    sockaddr *local = nullptr, *remote = nullptr;
    INT local_len = 0, remote_len = 0;
    sockaddrs_(buffer_, 0, kAddressArea, kAddressArea, &local, &local_len, &remote, &remote_len);
    ASSERT_NE(local, nullptr);
    ASSERT_NE(remote, nullptr);
    EXPECT_EQ(local_len, static_cast<INT>(sizeof(sockaddr_in)));
    EXPECT_EQ(remote_len, static_cast<INT>(sizeof(sockaddr_in)));
    EXPECT_EQ(std::memcmp(local, &address_, sizeof address_), 0);
    EXPECT_EQ(std::memcmp(remote, &client_address, sizeof client_address), 0);

    // The accept socket is the connection, under its own handle.
    EXPECT_EQ(setsockopt(acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, reinterpret_cast<char *>(&listener_),
                         sizeof listener_),
              0);
    sockaddr_in peer{};
    len = sizeof peer;
    ASSERT_EQ(getpeername(acceptor, as_address(&peer), &len), 0);
    EXPECT_EQ(std::memcmp(&peer, &client_address, sizeof peer), 0);
    EXPECT_EQ(send(client, "ping", 4, 0), 4);
    char got[4] = {};
    EXPECT_EQ(recv(acceptor, got, sizeof got, 0), 4);
    EXPECT_EQ(std::memcmp(got, "ping", 4), 0);
    EXPECT_EQ(send(acceptor, "pong", 4, 0), 4);
    EXPECT_EQ(recv(client, got, sizeof got, 0), 4);
    EXPECT_EQ(std::memcmp(got, "pong", 4), 0);
    closesocket(client);
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, AcceptExWithDataWaitsForTheFirstBytes) {
    SOCKET acceptor = tcp();
    start_accept(acceptor, 16);
    SOCKET client = connected_client();
    // Connected, but nothing sent yet: still pending.
    EXPECT_EQ(WaitForSingleObject(overlapped_.hEvent, 0), static_cast<DWORD>(WAIT_TIMEOUT));
    EXPECT_EQ(send(client, "hello", 5, 0), 5);
    DWORD bytes = 0;
    EXPECT_EQ(result(listener_, &bytes), 0u);
    EXPECT_EQ(bytes, 5u);
    EXPECT_EQ(std::memcmp(buffer_, "hello", 5), 0);
    sockaddr *local = nullptr, *remote = nullptr;
    INT local_len = 0, remote_len = 0;
    sockaddrs_(buffer_, 16, kAddressArea, kAddressArea, &local, &local_len, &remote, &remote_len);
    ASSERT_NE(local, nullptr);
    EXPECT_EQ(reinterpret_cast<sockaddr_in *>(local)->sin_port, address_.sin_port);
    EXPECT_EQ(remote_len, static_cast<INT>(sizeof(sockaddr_in)));
    closesocket(client);
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, AcceptExOfAWaitingConnectionThroughTheExportedName) {
    SOCKET client = connected_client();
    SOCKET acceptor = tcp();
    DWORD bytes = 0xdeadbeef;
    // The connection may already be queued (TRUE at once) or arrive a moment later (pending).
    BOOL ok = AcceptEx(listener_, acceptor, buffer_, 0, kAddressArea, kAddressArea, &bytes, &overlapped_);
    if (!ok) {
        ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
        EXPECT_EQ(result(listener_, &bytes), 0u);
    }
    EXPECT_EQ(bytes, 0u);
    EXPECT_EQ(WaitForSingleObject(overlapped_.hEvent, 0), WAIT_OBJECT_0);
    sockaddr *local = nullptr, *remote = nullptr;
    INT local_len = 0, remote_len = 0;
    GetAcceptExSockaddrs(buffer_, 0, kAddressArea, kAddressArea, &local, &local_len, &remote, &remote_len);
    EXPECT_EQ(remote_len, static_cast<INT>(sizeof(sockaddr_in)));
    closesocket(client);
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, AcceptExCompletionWaitedForWithoutAnEvent) {
    SOCKET acceptor = tcp();
    WSAOVERLAPPED ov{};
    DWORD bytes = 0;
    EXPECT_FALSE(accept_ex_(listener_, acceptor, buffer_, 0, kAddressArea, kAddressArea, &bytes, &ov));
    EXPECT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    DWORD flags = 0;
    EXPECT_FALSE(WSAGetOverlappedResult(listener_, &ov, &bytes, FALSE, &flags));
    EXPECT_EQ(WSAGetLastError(), WSA_IO_INCOMPLETE);
    SOCKET client = connected_client();
    EXPECT_TRUE(WSAGetOverlappedResult(listener_, &ov, &bytes, TRUE, &flags));
    EXPECT_EQ(bytes, 0u);
    closesocket(client);
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, AcceptExArgumentErrors) {
    SOCKET acceptor = tcp();
    DWORD bytes = 0;
    overlapped_.Internal = 0xdeadbeef;
    EXPECT_FALSE(accept_ex_(INVALID_SOCKET, acceptor, buffer_, 0, kAddressArea, kAddressArea, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_EQ(overlapped_.Internal, static_cast<ULONG_PTR>(STATUS_PENDING));  // as Windows marks it

    SOCKET not_listening = tcp();
    EXPECT_FALSE(accept_ex_(not_listening, acceptor, buffer_, 0, kAddressArea, kAddressArea, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(not_listening);

    EXPECT_FALSE(accept_ex_(listener_, INVALID_SOCKET, buffer_, 0, kAddressArea, kAddressArea, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_FALSE(accept_ex_(listener_, acceptor, nullptr, 16, kAddressArea, kAddressArea, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_FALSE(accept_ex_(listener_, acceptor, reinterpret_cast<char *>(16), 16, kAddressArea, kAddressArea,
                            &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_FALSE(accept_ex_(listener_, acceptor, buffer_, 0, kAddressArea, 0, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_FALSE(accept_ex_(listener_, acceptor, buffer_, 0, kAddressArea, kAddressArea, &bytes, nullptr));
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_PARAMETER);
    EXPECT_FALSE(accept_ex_(listener_, acceptor, buffer_, 0, kAddressArea, kAddressArea, &bytes,
                            reinterpret_cast<LPOVERLAPPED>(16)));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);

    // Only a fresh stream socket can be accepted into.
    SOCKET udp = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    EXPECT_FALSE(accept_ex_(listener_, udp, buffer_, 0, kAddressArea, kAddressArea, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(udp);
    SOCKET v6 = WSASocketW(AF_INET6, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    EXPECT_FALSE(accept_ex_(listener_, v6, buffer_, 0, kAddressArea, kAddressArea, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(v6);
    SOCKET bound = tcp();
    sockaddr_in any = loopback(0);
    ASSERT_EQ(bind(bound, as_address(&any), sizeof any), 0);
    EXPECT_FALSE(accept_ex_(listener_, bound, buffer_, 0, kAddressArea, kAddressArea, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(bound);
    SOCKET client = connected_client();
    EXPECT_FALSE(accept_ex_(listener_, client, buffer_, 0, kAddressArea, kAddressArea, &bytes, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(client);
    SOCKET queued = accept(listener_, nullptr, nullptr);
    closesocket(queued);

    // A second AcceptEx into the same socket, and connecting it, while the first is pending.
    start_accept(acceptor, 0);
    WSAOVERLAPPED other{};
    EXPECT_FALSE(accept_ex_(listener_, acceptor, buffer_, 0, kAddressArea, kAddressArea, &bytes, &other));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(connect(acceptor, as_address(&address_), sizeof address_), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_FALSE(connect_ex_(acceptor, as_address(&address_), sizeof address_, nullptr, 0, &bytes, &other));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_TRUE(CancelIo(reinterpret_cast<HANDLE>(listener_)));
    DWORD n = 0;
    EXPECT_EQ(result(listener_, &n), static_cast<DWORD>(WSA_OPERATION_ABORTED));
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, AcceptExWithTooSmallAddressAreaLeavesTheConnectionQueued) {
    SOCKET acceptor = tcp();
    start_accept(acceptor, 0, 3);
    SOCKET client = connected_client();
    DWORD bytes = 0;
    EXPECT_EQ(result(listener_, &bytes), static_cast<DWORD>(ERROR_INSUFFICIENT_BUFFER));
    EXPECT_EQ(overlapped_.Internal, static_cast<ULONG_PTR>(0xC0000023));  // STATUS_BUFFER_TOO_SMALL
    EXPECT_EQ(bytes, 0u);
    SOCKET accepted = accept(listener_, nullptr, nullptr);
    EXPECT_NE(accepted, INVALID_SOCKET);
    closesocket(accepted);
    closesocket(client);

    // A zero-length local area is allowed: only the remote address is written.
    start_accept(acceptor, 0, 0);
    client = connected_client();
    EXPECT_EQ(result(listener_, &bytes), 0u);
    sockaddr *local = reinterpret_cast<sockaddr *>(0x1), *remote = nullptr;
    INT local_len = -1, remote_len = 0;
    sockaddrs_(buffer_, 0, 0, kAddressArea, &local, &local_len, &remote, &remote_len);
    EXPECT_EQ(local, reinterpret_cast<sockaddr *>(0x1));
    EXPECT_EQ(local_len, -1);
    EXPECT_EQ(remote_len, static_cast<INT>(sizeof(sockaddr_in)));
    closesocket(client);
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, ClosingEitherSocketAbortsAPendingAcceptEx) {
    SOCKET acceptor = tcp();
    start_accept(acceptor, 0);
    closesocket(acceptor);
    DWORD bytes = 0;
    EXPECT_EQ(result(listener_, &bytes), static_cast<DWORD>(WSA_OPERATION_ABORTED));

    acceptor = tcp();
    start_accept(acceptor, 0);
    // CancelIo on the accept socket does not touch the listener's request.
    EXPECT_TRUE(CancelIo(reinterpret_cast<HANDLE>(acceptor)));
    EXPECT_FALSE(CancelIoEx(reinterpret_cast<HANDLE>(acceptor), &overlapped_));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_FOUND));
    EXPECT_EQ(WaitForSingleObject(overlapped_.hEvent, 0), static_cast<DWORD>(WAIT_TIMEOUT));
    closesocket(listener_);
    EXPECT_EQ(WaitForSingleObject(overlapped_.hEvent, INFINITE), WAIT_OBJECT_0);
    EXPECT_EQ(overlapped_.Internal, static_cast<ULONG_PTR>(0xC0000120));  // STATUS_CANCELLED
    listener_ = tcp();  // for TearDown
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, ConnectExToAnAcceptExWithData) {
    SOCKET acceptor = tcp();
    start_accept(acceptor, 8);
    SOCKET client = tcp();
    sockaddr_in any = loopback(0);
    ASSERT_EQ(bind(client, as_address(&any), sizeof any), 0);
    WSAOVERLAPPED ov{};
    ov.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    DWORD sent = 0;
    char data[3] = {'1', '2', '3'};
    BOOL ok = connect_ex_(client, as_address(&address_), sizeof address_, data, 3, &sent, &ov);
    if (!ok) {
        ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
        EXPECT_EQ(WaitForSingleObject(ov.hEvent, INFINITE), WAIT_OBJECT_0);
        DWORD flags = 0;
        EXPECT_TRUE(WSAGetOverlappedResult(client, &ov, &sent, FALSE, &flags));
    }
    EXPECT_EQ(sent, 3u);
    DWORD received = 0;
    EXPECT_EQ(result(listener_, &received), 0u);
    EXPECT_EQ(received, 3u);
    EXPECT_EQ(std::memcmp(buffer_, "123", 3), 0);
    EXPECT_EQ(setsockopt(client, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, nullptr, 0), 0);
    sockaddr_in peer{};
    int len = sizeof peer;
    ASSERT_EQ(getpeername(client, as_address(&peer), &len), 0);
    EXPECT_EQ(peer.sin_port, address_.sin_port);

    // Connected now: another ConnectEx is WSAEISCONN.
    EXPECT_FALSE(connect_ex_(client, as_address(&address_), sizeof address_, nullptr, 0, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAEISCONN);
    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, ConnectExErrors) {
    DWORD sent = 0;
    WSAOVERLAPPED ov{};
    ov.Internal = 0xdeadbeef;
    EXPECT_FALSE(connect_ex_(listener_, as_address(&address_), sizeof address_, nullptr, 0, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(ov.Internal, static_cast<ULONG_PTR>(STATUS_PENDING));
    EXPECT_FALSE(connect_ex_(INVALID_SOCKET, as_address(&address_), sizeof address_, nullptr, 0, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    SOCKET s = tcp();
    EXPECT_FALSE(connect_ex_(s, as_address(&address_), sizeof address_, nullptr, 0, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);  // not bound
    sockaddr_in any = loopback(0);
    ASSERT_EQ(bind(s, as_address(&any), sizeof any), 0);
    EXPECT_FALSE(connect_ex_(s, as_address(&address_), sizeof address_, nullptr, 0, &sent, nullptr));
    EXPECT_EQ(WSAGetLastError(), WSA_INVALID_PARAMETER);
    EXPECT_FALSE(connect_ex_(s, nullptr, sizeof address_, nullptr, 0, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_FALSE(connect_ex_(s, as_address(&address_), 4, nullptr, 0, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_FALSE(connect_ex_(s, as_address(&address_), sizeof address_, nullptr, 4, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(1);
    EXPECT_FALSE(connect_ex_(s, reinterpret_cast<sockaddr *>(&v6), sizeof v6, nullptr, 0, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    sockaddr_in zero_port = loopback(0);
    EXPECT_FALSE(connect_ex_(s, as_address(&zero_port), sizeof zero_port, nullptr, 0, &sent, &ov));
    EXPECT_EQ(WSAGetLastError(), WSAEADDRNOTAVAIL);
    closesocket(s);

    // A refused connection completes with WSAECONNREFUSED.
    SOCKET closed_port = tcp();
    ASSERT_EQ(bind(closed_port, as_address(&any), sizeof any), 0);
    sockaddr_in target{};
    int len = sizeof target;
    ASSERT_EQ(getsockname(closed_port, as_address(&target), &len), 0);
    closesocket(closed_port);  // nobody listens there now
    s = tcp();
    ASSERT_EQ(bind(s, as_address(&any), sizeof any), 0);
    overlapped_.Internal = 0;
    BOOL ok = connect_ex_(s, as_address(&target), sizeof target, nullptr, 0, &sent, &overlapped_);
    if (!ok && WSAGetLastError() == WSA_IO_PENDING) {
        DWORD bytes = 0;
        EXPECT_EQ(result(s, &bytes), static_cast<DWORD>(WSAECONNREFUSED));
    } else {
        EXPECT_FALSE(ok);
        EXPECT_EQ(WSAGetLastError(), WSAECONNREFUSED);
    }
    EXPECT_EQ(overlapped_.Internal, static_cast<ULONG_PTR>(0xC0000236));  // STATUS_CONNECTION_REFUSED
    int error = 0;
    len = sizeof error;
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char *>(&error), &len), 0);
    EXPECT_EQ(error, WSAECONNREFUSED);
    closesocket(s);
}

TEST_F(ExtensionFunctions, DisconnectExErrors) {
    SOCKET s = tcp();
    EXPECT_FALSE(disconnect_ex_(INVALID_SOCKET, nullptr, 0, 0));
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_FALSE(disconnect_ex_(s, nullptr, 0, 0));
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    EXPECT_FALSE(disconnect_ex_(s, nullptr, 0, 1));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_FALSE(disconnect_ex_(s, nullptr, TF_DISCONNECT, 0));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    SOCKET client = connected_client();
    EXPECT_FALSE(disconnect_ex_(client, reinterpret_cast<LPOVERLAPPED>(16), 0, 0));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(client);
    closesocket(s);
}

TEST_F(ExtensionFunctions, DisconnectExThenReuseForAnotherAcceptEx) {
    SOCKET acceptor = tcp();
    start_accept(acceptor, 0);
    SOCKET client = connected_client();
    DWORD bytes = 0;
    ASSERT_EQ(result(listener_, &bytes), 0u);

    WSAOVERLAPPED ov{};
    ov.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    EXPECT_TRUE(disconnect_ex_(acceptor, &ov, TF_REUSE_SOCKET, 0));
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    EXPECT_EQ(ov.Internal, 0u);
    // The peer sees a graceful end of the stream.
    char got[4];
    EXPECT_EQ(recv(client, got, sizeof got, 0), 0);
    closesocket(client);

    // The same handle takes a second connection.
    start_accept(acceptor, 4);
    client = connected_client();
    EXPECT_EQ(send(client, "again", 5, 0), 5);
    ASSERT_EQ(result(listener_, &bytes), 0u);
    EXPECT_EQ(bytes, 4u);
    EXPECT_EQ(std::memcmp(buffer_, "agai", 4), 0);
    EXPECT_EQ(recv(acceptor, got, 1, 0), 1);
    EXPECT_EQ(got[0], 'n');

    // Without TF_REUSE_SOCKET the handle stays, disconnected.
    EXPECT_TRUE(disconnect_ex_(acceptor, nullptr, 0, 0));
    EXPECT_EQ(recv(client, got, sizeof got, 0), 0);
    EXPECT_EQ(send(acceptor, "x", 1, 0), SOCKET_ERROR);
    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, DisconnectExThenReuseForConnectEx) {
    SOCKET client = tcp();
    sockaddr_in any = loopback(0);
    ASSERT_EQ(bind(client, as_address(&any), sizeof any), 0);
    DWORD sent = 0;
    if (!connect_ex_(client, as_address(&address_), sizeof address_, nullptr, 0, &sent, &overlapped_)) {
        ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
        ASSERT_EQ(result(client, &sent), 0u);
    }
    SOCKET first = accept(listener_, nullptr, nullptr);
    ASSERT_NE(first, INVALID_SOCKET);
    EXPECT_TRUE(disconnect_ex_(client, nullptr, TF_REUSE_SOCKET, 0));
    // Unbound again: ConnectEx needs a new bind first.
    EXPECT_FALSE(connect_ex_(client, as_address(&address_), sizeof address_, nullptr, 0, &sent, &overlapped_));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    ASSERT_EQ(bind(client, as_address(&any), sizeof any), 0);
    ResetEvent(overlapped_.hEvent);
    if (!connect_ex_(client, as_address(&address_), sizeof address_, nullptr, 0, &sent, &overlapped_)) {
        ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
        ASSERT_EQ(result(client, &sent), 0u);
    }
    SOCKET second = accept(listener_, nullptr, nullptr);
    ASSERT_NE(second, INVALID_SOCKET);
    EXPECT_EQ(send(client, "ok", 2, 0), 2);
    char got[2];
    EXPECT_EQ(recv(second, got, 2, 0), 2);
    closesocket(first);
    closesocket(second);
    closesocket(client);
}

TEST_F(ExtensionFunctions, TransmitFileSendsHeadFileAndTail) {
    auto transmit = extension<LPFN_TRANSMITFILE>(listener_, WSAID_TRANSMITFILE);
    ASSERT_NE(transmit, nullptr);
    SOCKET client = connected_client();
    SOCKET server = accept(listener_, nullptr, nullptr);
    ASSERT_NE(server, INVALID_SOCKET);
    TRANSMIT_FILE_BUFFERS parts{const_cast<char *>("HEAD"), 4, const_cast<char *>("TAIL"), 4};
    DWORD bytes = 0;
    if (!transmit(server, nullptr, 0, 0, &overlapped_, &parts, 0)) {
        ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
        ASSERT_EQ(result(server, &bytes), 0u);
    } else {
        DWORD flags = 0;
        EXPECT_EQ(WaitForSingleObject(overlapped_.hEvent, 0), WAIT_OBJECT_0);
        ASSERT_TRUE(WSAGetOverlappedResult(server, &overlapped_, &bytes, FALSE, &flags));
    }
    EXPECT_EQ(bytes, 8u);
    char got[16] = {};
    int n = 0;
    while (n < 8) {
        int r = recv(client, got + n, sizeof got - n, 0);
        ASSERT_GT(r, 0);
        n += r;
    }
    EXPECT_EQ(std::memcmp(got, "HEADTAIL", 8), 0);

    // A file, by descriptor, from its position; non-overlapped through the exported name.
    std::FILE *file = std::tmpfile();
    ASSERT_NE(file, nullptr);
    std::fputs("file contents", file);
    std::fflush(file);
    std::rewind(file);
    HANDLE handle = reinterpret_cast<HANDLE>(static_cast<std::intptr_t>(fileno(file)));
    TRANSMIT_FILE_BUFFERS head{const_cast<char *>(">"), 1, nullptr, 0};
    ASSERT_TRUE(TransmitFile(server, handle, 0, 0, nullptr, &head, TF_DISCONNECT));
    EXPECT_EQ(WSAGetLastError(), 0);
    std::string all;
    for (;;) {
        int r = recv(client, got, sizeof got, 0);
        ASSERT_GE(r, 0);
        if (r == 0) break;  // TF_DISCONNECT ended the stream
        all.append(got, static_cast<std::size_t>(r));
    }
    EXPECT_EQ(all, ">file contents");
    std::fclose(file);
    closesocket(client);
    closesocket(server);
}

TEST_F(ExtensionFunctions, TransmitFileDisconnectAndReuseForAcceptEx) {
    auto transmit = extension<LPFN_TRANSMITFILE>(listener_, WSAID_TRANSMITFILE);
    SOCKET acceptor = tcp();
    start_accept(acceptor, 0);
    SOCKET client = connected_client();
    DWORD bytes = 0;
    ASSERT_EQ(result(listener_, &bytes), 0u);
    ASSERT_TRUE(transmit(acceptor, nullptr, 0, 0, nullptr, nullptr, TF_DISCONNECT | TF_REUSE_SOCKET));
    char got[4];
    EXPECT_EQ(recv(client, got, sizeof got, 0), 0);
    closesocket(client);
    start_accept(acceptor, 0);
    client = connected_client();
    ASSERT_EQ(result(listener_, &bytes), 0u);
    EXPECT_EQ(send(client, "z", 1, 0), 1);
    EXPECT_EQ(recv(acceptor, got, 1, 0), 1);
    closesocket(client);
    closesocket(acceptor);
}

TEST_F(ExtensionFunctions, TransmitFileErrors) {
    auto transmit = extension<LPFN_TRANSMITFILE>(listener_, WSAID_TRANSMITFILE);
    EXPECT_FALSE(transmit(INVALID_SOCKET, nullptr, 0, 0, nullptr, nullptr, 0));
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    SOCKET unconnected = tcp();
    EXPECT_FALSE(transmit(unconnected, nullptr, 0, 0, nullptr, nullptr, 0));
    EXPECT_EQ(WSAGetLastError(), WSAENOTCONN);
    closesocket(unconnected);
    SOCKET client = connected_client();
    EXPECT_FALSE(transmit(client, nullptr, 0, 0, nullptr, nullptr, TF_REUSE_SOCKET));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_FALSE(transmit(client, nullptr, 0, 0, nullptr, nullptr, 0x1000));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_FALSE(transmit(client, nullptr, 0xffffffffu, 0, nullptr, nullptr, 0));
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_FALSE(transmit(client, nullptr, 0, 0, nullptr, reinterpret_cast<LPTRANSMIT_FILE_BUFFERS>(16), 0));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    TRANSMIT_FILE_BUFFERS bad{reinterpret_cast<void *>(16), 4, nullptr, 0};
    EXPECT_FALSE(transmit(client, nullptr, 0, 0, nullptr, &bad, 0));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_FALSE(transmit(client, reinterpret_cast<HANDLE>(static_cast<std::intptr_t>(100000)), 0, 0, nullptr,
                          nullptr, 0));
    EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_HANDLE);
    EXPECT_FALSE(transmit(client, nullptr, 0, 0, reinterpret_cast<LPOVERLAPPED>(16), nullptr, 0));
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(client);
    SOCKET queued = accept(listener_, nullptr, nullptr);
    closesocket(queued);
}

class MessageFunctions : public ::testing::Test {
protected:
    void SetUp() override {
        WSADATA data;
        ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
        receiver_ = udp(&receiver_address_);
        sender_ = udp(&sender_address_);
        recv_msg_ = extension<LPFN_WSARECVMSG>(receiver_, WSAID_WSARECVMSG);
        send_msg_ = extension<LPFN_WSASENDMSG>(receiver_, WSAID_WSASENDMSG);
        ASSERT_NE(recv_msg_, nullptr);
        ASSERT_NE(send_msg_, nullptr);
        DWORD on = 1;
        ASSERT_EQ(setsockopt(receiver_, IPPROTO_IP, IP_PKTINFO, reinterpret_cast<char *>(&on), sizeof on), 0);
    }
    void TearDown() override {
        closesocket(receiver_);
        closesocket(sender_);
        WSACleanup();
    }
    static SOCKET udp(sockaddr_in *bound) {
        SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int len = sizeof a;
        EXPECT_EQ(bind(s, as_address(&a), sizeof a), 0);
        EXPECT_EQ(getsockname(s, as_address(bound), &len), 0);
        return s;
    }
    // A WSAMSG over the test's buffers.
    WSAMSG receive_message(ULONG data_length, ULONG control_length) {
        data_buf_ = WSABUF{data_length, data_};
        WSAMSG m{};
        m.name = as_address(&from_);
        m.namelen = sizeof from_;
        m.lpBuffers = &data_buf_;
        m.dwBufferCount = 1;
        m.Control = WSABUF{control_length, control_};
        return m;
    }
    int send_text(const char *text) {
        WSABUF b{static_cast<ULONG>(std::strlen(text)), const_cast<char *>(text)};
        WSAMSG m{};
        m.name = as_address(&receiver_address_);
        m.namelen = sizeof receiver_address_;
        m.lpBuffers = &b;
        m.dwBufferCount = 1;
        DWORD sent = 0;
        int rc = send_msg_(sender_, &m, 0, &sent, nullptr, nullptr);
        EXPECT_EQ(sent, std::strlen(text));
        return rc;
    }
    void expect_pktinfo(const WSAMSG &m) {
        WSACMSGHDR *c = WSA_CMSG_FIRSTHDR(&m);
        ASSERT_NE(c, nullptr);
        EXPECT_EQ(c->cmsg_level, IPPROTO_IP);
        EXPECT_EQ(c->cmsg_type, IP_PKTINFO);
        EXPECT_EQ(c->cmsg_len, WSA_CMSG_LEN(sizeof(IN_PKTINFO)));
        IN_PKTINFO info;
        std::memcpy(&info, WSA_CMSG_DATA(c), sizeof info);
        EXPECT_EQ(info.ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
        EXPECT_NE(info.ipi_ifindex, 0u);
        EXPECT_GE(m.Control.len, WSA_CMSG_SPACE(sizeof(IN_PKTINFO)) - 8);
    }

    SOCKET receiver_ = INVALID_SOCKET, sender_ = INVALID_SOCKET;
    sockaddr_in receiver_address_{}, sender_address_{}, from_{};
    LPFN_WSARECVMSG recv_msg_ = nullptr;
    LPFN_WSASENDMSG send_msg_ = nullptr;
    char data_[64] = {};
    alignas(8) char control_[128] = {};
    WSABUF data_buf_{};
};

TEST_F(MessageFunctions, ReceiveWithPacketInfoAndSource) {
    ASSERT_EQ(send_text("datagram"), 0);
    WSAMSG m = receive_message(sizeof data_, sizeof control_);
    DWORD received = 0;
    ASSERT_EQ(recv_msg_(receiver_, &m, &received, nullptr, nullptr), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(received, 8u);
    EXPECT_EQ(std::memcmp(data_, "datagram", 8), 0);
    EXPECT_EQ(m.namelen, static_cast<INT>(sizeof(sockaddr_in)));
    EXPECT_EQ(from_.sin_port, sender_address_.sin_port);
    EXPECT_EQ(m.dwFlags, 0u);
    expect_pktinfo(m);
}

TEST_F(MessageFunctions, OverlappedReceiveCompletesWhenTheDatagramArrives) {
    WSAMSG m = receive_message(sizeof data_, sizeof control_);
    WSAOVERLAPPED ov{};
    ov.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    ASSERT_EQ(recv_msg_(receiver_, &m, nullptr, &ov, nullptr), SOCKET_ERROR);
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    // Sent through the exported name, choosing its source address with IP_PKTINFO.
    alignas(8) char control[WSA_CMSG_SPACE(sizeof(IN_PKTINFO))] = {};
    auto *c = reinterpret_cast<WSACMSGHDR *>(control);
    c->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    IN_PKTINFO from{};
    from.ipi_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::memcpy(WSA_CMSG_DATA(c), &from, sizeof from);
    WSABUF b{5, const_cast<char *>("hello")};
    WSAMSG out{};
    out.name = as_address(&receiver_address_);
    out.namelen = sizeof receiver_address_;
    out.lpBuffers = &b;
    out.dwBufferCount = 1;
    out.Control = WSABUF{sizeof control, control};
    DWORD sent = 0;
    ASSERT_EQ(WSASendMsg(sender_, &out, 0, &sent, nullptr, nullptr), 0);
    EXPECT_EQ(sent, 5u);
    EXPECT_EQ(WaitForSingleObject(ov.hEvent, INFINITE), WAIT_OBJECT_0);
    DWORD received = 0, flags = 0;
    ASSERT_TRUE(WSAGetOverlappedResult(receiver_, &ov, &received, FALSE, &flags));
    EXPECT_EQ(received, 5u);
    EXPECT_EQ(std::memcmp(data_, "hello", 5), 0);
    EXPECT_EQ(from_.sin_port, sender_address_.sin_port);
    expect_pktinfo(m);
    CloseHandle(ov.hEvent);
}

TEST_F(MessageFunctions, TruncationIsReportedInTheFlags) {
    ASSERT_EQ(send_text("a longer datagram"), 0);
    WSAMSG m = receive_message(4, sizeof control_);
    DWORD received = 0;
    EXPECT_EQ(recv_msg_(receiver_, &m, &received, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEMSGSIZE);
    EXPECT_EQ(m.dwFlags & MSG_TRUNC, static_cast<ULONG>(MSG_TRUNC));

    ASSERT_EQ(send_text("short"), 0);
    m = receive_message(sizeof data_, 8);  // too small for any control message
    EXPECT_EQ(recv_msg_(receiver_, &m, &received, nullptr, nullptr), 0);
    EXPECT_EQ(m.dwFlags & MSG_CTRUNC, static_cast<ULONG>(MSG_CTRUNC));
    EXPECT_EQ(m.Control.len, 0u);
}

TEST_F(MessageFunctions, Errors) {
    WSAMSG m = receive_message(sizeof data_, sizeof control_);
    DWORD n = 0;
    EXPECT_EQ(recv_msg_(INVALID_SOCKET, &m, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_EQ(recv_msg_(receiver_, nullptr, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(recv_msg_(receiver_, reinterpret_cast<LPWSAMSG>(16), &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    WSAMSG bad = m;
    bad.name = nullptr;
    EXPECT_EQ(recv_msg_(receiver_, &bad, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    bad = m;
    bad.Control.buf = nullptr;
    EXPECT_EQ(recv_msg_(receiver_, &bad, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    bad = m;
    bad.lpBuffers = reinterpret_cast<LPWSABUF>(16);
    EXPECT_EQ(recv_msg_(receiver_, &bad, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);

    SOCKET tcp = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    EXPECT_EQ(recv_msg_(tcp, &m, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
    EXPECT_EQ(send_msg_(tcp, &m, 0, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
    closesocket(tcp);
    SOCKET unbound = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    EXPECT_EQ(recv_msg_(unbound, &m, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(unbound);

    // Nothing waiting on a non-blocking socket.
    u_long on = 1;
    ASSERT_EQ(ioctlsocket(receiver_, FIONBIO, &on), 0);
    EXPECT_EQ(recv_msg_(receiver_, &m, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEWOULDBLOCK);

    // A control message with no Linux form is refused.
    alignas(8) char control[WSA_CMSG_SPACE(4)] = {};
    auto *c = reinterpret_cast<WSACMSGHDR *>(control);
    c->cmsg_len = WSA_CMSG_LEN(4);
    c->cmsg_level = 12345;
    c->cmsg_type = 1;
    WSABUF b{1, const_cast<char *>("x")};
    WSAMSG out{};
    out.name = as_address(&receiver_address_);
    out.namelen = sizeof receiver_address_;
    out.lpBuffers = &b;
    out.dwBufferCount = 1;
    out.Control = WSABUF{sizeof control, control};
    EXPECT_EQ(send_msg_(sender_, &out, 0, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    out.Control = WSABUF{0, nullptr};
    EXPECT_EQ(send_msg_(sender_, &out, 0, nullptr, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSASendMsg(INVALID_SOCKET, &out, 0, &n, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
}

DWORD g_routine_calls = 0, g_routine_error = 0, g_routine_bytes = 0;
void CALLBACK on_message(DWORD error, DWORD bytes, LPWSAOVERLAPPED, DWORD) {
    ++g_routine_calls;
    g_routine_error = error;
    g_routine_bytes = bytes;
}

TEST_F(MessageFunctions, CompletionRoutineRunsAtAnAlertableWait) {
    WSAMSG m = receive_message(sizeof data_, sizeof control_);
    WSAOVERLAPPED ov{};
    g_routine_calls = 0;
    ASSERT_EQ(recv_msg_(receiver_, &m, nullptr, &ov, on_message), SOCKET_ERROR);
    ASSERT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    ASSERT_EQ(send_text("apc"), 0);
    while (g_routine_calls == 0) EXPECT_EQ(SleepEx(INFINITE, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
    EXPECT_EQ(g_routine_calls, 1u);
    EXPECT_EQ(g_routine_error, 0u);
    EXPECT_EQ(g_routine_bytes, 3u);
    expect_pktinfo(m);
}

TEST(MessageFunctionsIpv6, ReceiveWithIpv6PacketInfo) {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET receiver = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    SOCKET sender = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr.s6_addr[15] = 1;  // ::1
    int len = sizeof a;
    if (bind(receiver, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        closesocket(receiver);
        closesocket(sender);
        WSACleanup();
        GTEST_SKIP() << "no IPv6 loopback";
    }
    ASSERT_EQ(getsockname(receiver, reinterpret_cast<sockaddr *>(&a), &len), 0);
    DWORD on = 1;
    ASSERT_EQ(setsockopt(receiver, IPPROTO_IPV6, IPV6_PKTINFO, reinterpret_cast<char *>(&on), sizeof on), 0);
    ASSERT_EQ(sendto(sender, "six", 3, 0, reinterpret_cast<sockaddr *>(&a), sizeof a), 3);
    auto recv_msg = extension<LPFN_WSARECVMSG>(receiver, WSAID_WSARECVMSG);
    char buffer[16];
    alignas(8) char control[64];
    sockaddr_in6 from{};
    WSABUF b{sizeof buffer, buffer};
    WSAMSG m{};
    m.name = reinterpret_cast<sockaddr *>(&from);
    m.namelen = sizeof from;
    m.lpBuffers = &b;
    m.dwBufferCount = 1;
    m.Control = WSABUF{sizeof control, control};
    DWORD received = 0;
    ASSERT_EQ(recv_msg(receiver, &m, &received, nullptr, nullptr), 0);
    EXPECT_EQ(received, 3u);
    EXPECT_EQ(from.sin6_family, AF_INET6);
    EXPECT_EQ(m.namelen, static_cast<INT>(sizeof(sockaddr_in6)));
    WSACMSGHDR *c = WSA_CMSG_FIRSTHDR(&m);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->cmsg_level, IPPROTO_IPV6);
    EXPECT_EQ(c->cmsg_type, IPV6_PKTINFO);
    IN6_PKTINFO info;
    std::memcpy(&info, WSA_CMSG_DATA(c), sizeof info);
    EXPECT_EQ(std::memcmp(&info.ipi6_addr, &a.sin6_addr, sizeof info.ipi6_addr), 0);
    closesocket(receiver);
    closesocket(sender);
    WSACleanup();
}

}  // namespace
