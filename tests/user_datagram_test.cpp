// The user-space datagram provider (src/providers/user_datagram), loaded the way any installed
// provider is: its catalog entry is installed with WSCInstallProvider into a private catalog
// file ($WS2_CATALOG), WSAStartup reads it, and the first socket of its family makes ws2_32
// dlopen the library. The test links the shared libws2_32 so that the provider and the test
// use one ws2 instance. The test also dlopens the library itself, to read the provider's
// diagnostics (WSPStartup/WSPCleanup counts, live sockets, waiting calls) and to keep its
// code mapped across the last WSACleanup.
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <winsock2.h>
#include <ws2spi.h>
#include <ws2udgram.h>

namespace {

const GUID kProviderId = WS2_UDGRAM_PROVIDER_ID_INIT;

WSAPROTOCOL_INFOW catalog_entry() {
    WSAPROTOCOL_INFOW info{};
    info.dwServiceFlags1 = XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_GUARANTEED_ORDER;
    info.dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
    info.ProviderId = kProviderId;
    info.ProtocolChain.ChainLen = BASE_PROTOCOL;
    info.iVersion = 2;
    info.iAddressFamily = AF_UDGRAM;
    info.iMaxSockAddr = sizeof(SOCKADDR_UDGRAM);
    info.iMinSockAddr = sizeof(SOCKADDR_UDGRAM);
    info.iSocketType = SOCK_DGRAM;
    info.iProtocol = UDGRAMPROTO_DATAGRAM;
    info.iNetworkByteOrder = BIGENDIAN;
    info.iSecurityScheme = SECURITY_PROTOCOL_NONE;
    info.dwMessageSize = UDGRAM_MAX_MESSAGE;
    std::wcscpy(info.szProtocol, WS2_UDGRAM_PROTOCOL_NAME);
    return info;
}

// Once per process: a private catalog with the provider installed, and our own reference to
// the provider library.
LPFN_UDGRAM_STATISTICS g_statistics = nullptr;

void install_provider() {
    static std::once_flag once;
    std::call_once(once, [] {
        char dir[] = "/tmp/ws2-udgram-XXXXXX";
        ASSERT_NE(mkdtemp(dir), nullptr);
        std::string catalog = std::string(dir) + "/catalog.json";
        setenv("WS2_CATALOG", catalog.c_str(), 1);
        GUID id = kProviderId;
        WSAPROTOCOL_INFOW info = catalog_entry();
        std::string narrow = WS2_UDGRAM_PROVIDER_PATH;
        std::wstring path(narrow.begin(), narrow.end());
        int err = 0;
        ASSERT_EQ(WSCInstallProvider(&id, path.c_str(), &info, 1, &err), 0) << err;
        void *library = dlopen(WS2_UDGRAM_PROVIDER_PATH, RTLD_NOW);
        ASSERT_NE(library, nullptr) << dlerror();
        g_statistics = reinterpret_cast<LPFN_UDGRAM_STATISTICS>(dlsym(library, UDGRAM_STATISTICS_EXPORT));
        ASSERT_NE(g_statistics, nullptr);
    });
}

UDGRAM_STATISTICS statistics() {
    UDGRAM_STATISTICS s{};
    g_statistics(&s);
    return s;
}

// Until the provider reports `n` calls waiting (each has released the provider's lock by then).
void wait_for_waiting_calls(LONG n) {
    while (statistics().waiting_calls < n) std::this_thread::yield();
}

SOCKADDR_UDGRAM address(USHORT port) {
    SOCKADDR_UDGRAM a{};
    a.sudg_family = AF_UDGRAM;
    a.sudg_port = htons(port);
    return a;
}

const sockaddr *as_sockaddr(const SOCKADDR_UDGRAM &a) { return reinterpret_cast<const sockaddr *>(&a); }

constexpr int kLen = sizeof(SOCKADDR_UDGRAM);

class UserDatagram : public ::testing::Test {
protected:
    void SetUp() override {
        install_provider();
        WSADATA data;
        ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    }
    void TearDown() override {
        if (started_) WSACleanup();
    }

    SOCKET make_socket() {
        SOCKET s = socket(AF_UDGRAM, SOCK_DGRAM, 0);
        EXPECT_NE(s, INVALID_SOCKET) << WSAGetLastError();
        return s;
    }
    SOCKET bound_socket(USHORT port) {
        SOCKET s = make_socket();
        SOCKADDR_UDGRAM a = address(port);
        EXPECT_EQ(bind(s, as_sockaddr(a), kLen), 0) << WSAGetLastError();
        return s;
    }
    USHORT port_of(SOCKET s) {
        SOCKADDR_UDGRAM a{};
        int len = kLen;
        EXPECT_EQ(getsockname(s, reinterpret_cast<sockaddr *>(&a), &len), 0) << WSAGetLastError();
        EXPECT_EQ(len, kLen);
        EXPECT_EQ(a.sudg_family, AF_UDGRAM);
        return ntohs(a.sudg_port);
    }
    int send_to(SOCKET s, const std::string &data, USHORT port) {
        SOCKADDR_UDGRAM a = address(port);
        return sendto(s, data.data(), static_cast<int>(data.size()), 0, as_sockaddr(a), kLen);
    }
    // Receives one datagram; returns its text, the sender's port in *from.
    std::string receive(SOCKET s, USHORT *from = nullptr) {
        char buffer[256];
        SOCKADDR_UDGRAM a{};
        int len = kLen;
        int n = recvfrom(s, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr *>(&a), &len);
        EXPECT_GE(n, 0) << WSAGetLastError();
        if (n < 0) return "<error>";
        if (from != nullptr) *from = ntohs(a.sudg_port);
        return std::string(buffer, static_cast<std::size_t>(n));
    }
    void expect_error(int rc, int code) {
        EXPECT_EQ(rc, SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), code);
    }

    bool started_ = true;
};

// --- the catalog entry ----------------------------------------------------------------------

TEST_F(UserDatagram, EnumeratedEntryDescribesANonIfsDatagramTransport) {
    DWORD size = 0;
    ASSERT_EQ(WSAEnumProtocolsW(nullptr, nullptr, &size), SOCKET_ERROR);
    std::vector<char> buffer(size);
    auto *infos = reinterpret_cast<WSAPROTOCOL_INFOW *>(buffer.data());
    int n = WSAEnumProtocolsW(nullptr, infos, &size);
    ASSERT_GT(n, 0);
    const WSAPROTOCOL_INFOW *found = nullptr;
    for (int i = 0; i < n; ++i)
        if (infos[i].iAddressFamily == AF_UDGRAM) found = &infos[i];
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(std::memcmp(&found->ProviderId, &kProviderId, sizeof(GUID)), 0);
    EXPECT_EQ(found->dwServiceFlags1 & XP1_IFS_HANDLES, 0u);
    EXPECT_EQ(found->iSocketType, SOCK_DGRAM);
    EXPECT_EQ(found->iProtocol, UDGRAMPROTO_DATAGRAM);
    EXPECT_EQ(found->ProtocolChain.ChainLen, BASE_PROTOCOL);
    EXPECT_STREQ(found->szProtocol, WS2_UDGRAM_PROTOCOL_NAME);
}

// --- end to end -----------------------------------------------------------------------------

TEST_F(UserDatagram, TwoSocketsExchangeDatagramsKeepingBoundaries) {
    SOCKET a = bound_socket(4000);
    SOCKET b = bound_socket(0);
    USHORT b_port = port_of(b);
    EXPECT_GE(b_port, 49152);

    EXPECT_EQ(send_to(a, "one", b_port), 3);
    EXPECT_EQ(send_to(a, "second", b_port), 6);
    EXPECT_EQ(send_to(a, "", b_port), 0);
    USHORT from = 0;
    EXPECT_EQ(receive(b, &from), "one");
    EXPECT_EQ(from, 4000);
    EXPECT_EQ(receive(b), "second");
    EXPECT_EQ(receive(b), "");

    EXPECT_EQ(send_to(b, "reply", 4000), 5);
    EXPECT_EQ(receive(a, &from), "reply");
    EXPECT_EQ(from, b_port);
    EXPECT_EQ(closesocket(a), 0);
    EXPECT_EQ(closesocket(b), 0);
}

TEST_F(UserDatagram, WSASocketWithTheEnumeratedInfo) {
    DWORD size = 0;
    WSAEnumProtocolsW(nullptr, nullptr, &size);
    std::vector<char> buffer(size);
    auto *infos = reinterpret_cast<WSAPROTOCOL_INFOW *>(buffer.data());
    int n = WSAEnumProtocolsW(nullptr, infos, &size);
    WSAPROTOCOL_INFOW info{};
    for (int i = 0; i < n; ++i)
        if (infos[i].iAddressFamily == AF_UDGRAM) info = infos[i];
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                          WSA_FLAG_OVERLAPPED);
    ASSERT_NE(s, INVALID_SOCKET) << WSAGetLastError();
    EXPECT_EQ(WSAGetLastError(), 0);

    WSAPROTOCOL_INFOW got{};
    int len = sizeof got;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, reinterpret_cast<char *>(&got), &len), 0);
    EXPECT_EQ(got.dwCatalogEntryId, info.dwCatalogEntryId);
    EXPECT_EQ(got.iAddressFamily, AF_UDGRAM);
    EXPECT_EQ(got.iProtocol, UDGRAMPROTO_DATAGRAM);
    int type = 0;
    len = sizeof type;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), &len), 0);
    EXPECT_EQ(type, SOCK_DGRAM);
    WSAPROTOCOL_INFOA narrow{};
    len = sizeof narrow;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, reinterpret_cast<char *>(&narrow), &len), 0);
    EXPECT_STREQ(narrow.szProtocol, "ws2 user-space datagram");
    len = 8;
    expect_error(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, reinterpret_cast<char *>(&got), &len), WSAEFAULT);
    EXPECT_EQ(len, static_cast<int>(sizeof got));
    closesocket(s);
}

TEST_F(UserDatagram, SocketWithTheFamilyProtocolNumber) {
    SOCKET s = socket(AF_UDGRAM, SOCK_DGRAM, UDGRAMPROTO_DATAGRAM);
    ASSERT_NE(s, INVALID_SOCKET) << WSAGetLastError();
    closesocket(s);
    // The family has no stream type: catalog selection reports it.
    EXPECT_EQ(socket(AF_UDGRAM, SOCK_STREAM, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAESOCKTNOSUPPORT);
}

// --- bind and names -------------------------------------------------------------------------

TEST_F(UserDatagram, BindErrors) {
    SOCKET s = make_socket();
    SOCKADDR_UDGRAM a = address(4100);
    expect_error(bind(s, as_sockaddr(a), kLen - 1), WSAEFAULT);
    expect_error(bind(s, nullptr, kLen), WSAEFAULT);
    expect_error(bind(s, reinterpret_cast<const sockaddr *>(8), kLen), WSAEFAULT);
    SOCKADDR_IN inet{};
    inet.sin_family = AF_INET;
    // Windows' bind page: a family that is not the socket's is WSAEFAULT.
    expect_error(bind(s, reinterpret_cast<const sockaddr *>(&inet), sizeof inet), WSAEFAULT);
    ASSERT_EQ(bind(s, as_sockaddr(a), kLen), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    expect_error(bind(s, as_sockaddr(a), kLen), WSAEINVAL);
    SOCKET t = make_socket();
    expect_error(bind(t, as_sockaddr(a), kLen), WSAEADDRINUSE);
    // The port is free again once its socket is closed.
    closesocket(s);
    EXPECT_EQ(bind(t, as_sockaddr(a), kLen), 0);
    closesocket(t);
}

TEST_F(UserDatagram, NamesOfUnboundUnconnectedAndBoundSockets) {
    SOCKET s = make_socket();
    SOCKADDR_UDGRAM a{};
    int len = kLen;
    expect_error(getsockname(s, reinterpret_cast<sockaddr *>(&a), &len), WSAEINVAL);
    expect_error(getpeername(s, reinterpret_cast<sockaddr *>(&a), &len), WSAENOTCONN);
    SOCKADDR_UDGRAM any = address(0);
    ASSERT_EQ(bind(s, as_sockaddr(any), kLen), 0);
    len = kLen - 1;
    expect_error(getsockname(s, reinterpret_cast<sockaddr *>(&a), &len), WSAEFAULT);
    expect_error(getsockname(s, reinterpret_cast<sockaddr *>(&a), nullptr), WSAEFAULT);
    EXPECT_GE(port_of(s), 49152);
    closesocket(s);
}

// --- sending --------------------------------------------------------------------------------

TEST_F(UserDatagram, SendToBindsImplicitlyAndUnknownDestinationsDrop) {
    SOCKET receiver = bound_socket(4200);
    SOCKET sender = make_socket();
    EXPECT_EQ(send_to(sender, "nobody", 4201), 6);  // no socket on 4201: dropped, as UDP does
    EXPECT_EQ(send_to(sender, "hello", 4200), 5);
    USHORT implicit = port_of(sender);
    EXPECT_GE(implicit, 49152);
    USHORT from = 0;
    EXPECT_EQ(receive(receiver, &from), "hello");
    EXPECT_EQ(from, implicit);
    u_long queued = 1;
    EXPECT_EQ(ioctlsocket(receiver, FIONREAD, &queued), 0);
    EXPECT_EQ(queued, 0u);
    closesocket(sender);
    closesocket(receiver);
}

TEST_F(UserDatagram, SendErrors) {
    SOCKET s = make_socket();
    SOCKADDR_UDGRAM to = address(4300);
    SOCKADDR_IN inet{};
    inet.sin_family = AF_INET;
    expect_error(sendto(s, "x", 1, 0, reinterpret_cast<const sockaddr *>(&inet), sizeof inet), WSAEAFNOSUPPORT);
    expect_error(sendto(s, "x", 1, 0, as_sockaddr(to), kLen - 1), WSAEFAULT);
    SOCKADDR_UDGRAM zero = address(0);
    expect_error(sendto(s, "x", 1, 0, as_sockaddr(zero), kLen), WSAEADDRNOTAVAIL);
    std::vector<char> big(UDGRAM_MAX_MESSAGE + 1);
    expect_error(sendto(s, big.data(), static_cast<int>(big.size()), 0, as_sockaddr(to), kLen), WSAEMSGSIZE);
    EXPECT_EQ(sendto(s, big.data(), UDGRAM_MAX_MESSAGE, 0, as_sockaddr(to), kLen), UDGRAM_MAX_MESSAGE);
    expect_error(sendto(s, reinterpret_cast<const char *>(8), 4, 0, as_sockaddr(to), kLen), WSAEFAULT);
    expect_error(sendto(s, "x", 1, MSG_OOB, as_sockaddr(to), kLen), WSAEOPNOTSUPP);
    expect_error(sendto(s, "x", 1, 0x4000, as_sockaddr(to), kLen), WSAEINVAL);
    expect_error(send(s, "x", 1, 0), WSAENOTCONN);
    WSABUF buf{1, const_cast<char *>("x")};
    DWORD sent = 0;
    expect_error(WSASendTo(s, &buf, 1, &sent, 0, nullptr, 0, nullptr, nullptr), WSAEDESTADDRREQ);
    expect_error(WSASendTo(s, &buf, 1, nullptr, 0, as_sockaddr(to), kLen, nullptr, nullptr), WSAEFAULT);
    expect_error(WSASendTo(s, &buf, 0, &sent, 0, as_sockaddr(to), kLen, nullptr, nullptr), WSAEINVAL);
    WSAOVERLAPPED overlapped{};
    expect_error(WSASendTo(s, &buf, 1, &sent, 0, as_sockaddr(to), kLen, &overlapped, nullptr), WSAEOPNOTSUPP);
    ASSERT_EQ(shutdown(s, SD_SEND), 0);
    expect_error(sendto(s, "x", 1, 0, as_sockaddr(to), kLen), WSAESHUTDOWN);
    expect_error(shutdown(s, 7), WSAEINVAL);
    closesocket(s);
}

// --- receiving ------------------------------------------------------------------------------

TEST_F(UserDatagram, ReceiveErrors) {
    SOCKET s = make_socket();
    char buffer[8];
    expect_error(recvfrom(s, buffer, sizeof buffer, 0, nullptr, nullptr), WSAEINVAL);  // unbound
    SOCKADDR_UDGRAM any = address(0);
    ASSERT_EQ(bind(s, as_sockaddr(any), kLen), 0);
    USHORT port = port_of(s);

    u_long on = 1;
    ASSERT_EQ(ioctlsocket(s, FIONBIO, &on), 0);
    expect_error(recv(s, buffer, sizeof buffer, 0), WSAEWOULDBLOCK);
    expect_error(ioctlsocket(s, FIONBIO, nullptr), WSAEFAULT);

    SOCKADDR_UDGRAM from{};
    int fromlen = kLen - 1;
    expect_error(recvfrom(s, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr *>(&from), &fromlen), WSAEFAULT);
    expect_error(recv(s, buffer, sizeof buffer, MSG_OOB), WSAEOPNOTSUPP);
    expect_error(recv(s, buffer, sizeof buffer, 0x4000), WSAEINVAL);

    // A short buffer gets the beginning; the rest is lost.
    ASSERT_EQ(send_to(s, "0123456789", port), 10);
    ASSERT_EQ(send_to(s, "next", port), 4);
    std::memset(buffer, 0, sizeof buffer);
    expect_error(recv(s, buffer, 4, 0), WSAEMSGSIZE);
    EXPECT_EQ(std::string(buffer, 4), "0123");
    // A buffer that cannot be written: WSAEFAULT, and the datagram stays queued.
    expect_error(recv(s, reinterpret_cast<char *>(8), 4, 0), WSAEFAULT);
    EXPECT_EQ(receive(s), "next");

    // Peeking leaves the datagram in place.
    ASSERT_EQ(send_to(s, "peek", port), 4);
    EXPECT_EQ(recv(s, buffer, sizeof buffer, MSG_PEEK), 4);
    EXPECT_EQ(receive(s), "peek");

    ASSERT_EQ(send_to(s, "dropped", port), 7);
    ASSERT_EQ(shutdown(s, SD_RECEIVE), 0);
    expect_error(recv(s, buffer, sizeof buffer, 0), WSAESHUTDOWN);
    closesocket(s);
}

TEST_F(UserDatagram, FionreadCountsEveryQueuedByte) {
    SOCKET s = bound_socket(4400);
    ASSERT_EQ(send_to(s, "abc", 4400), 3);
    ASSERT_EQ(send_to(s, "defgh", 4400), 5);
    u_long queued = 0;
    ASSERT_EQ(ioctlsocket(s, FIONREAD, &queued), 0);
    EXPECT_EQ(queued, 8u);
    EXPECT_EQ(receive(s), "abc");
    ASSERT_EQ(ioctlsocket(s, FIONREAD, &queued), 0);
    EXPECT_EQ(queued, 5u);
    closesocket(s);
}

TEST_F(UserDatagram, AFullReceiveQueueDropsDatagrams) {
    SOCKET s = bound_socket(4500);
    int size = 100;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<const char *>(&size), sizeof size), 0);
    std::string sixty(60, 'x');
    EXPECT_EQ(send_to(s, sixty, 4500), 60);
    EXPECT_EQ(send_to(s, sixty, 4500), 60);  // does not fit: dropped, the send still succeeds
    u_long queued = 0;
    ASSERT_EQ(ioctlsocket(s, FIONREAD, &queued), 0);
    EXPECT_EQ(queued, 60u);
    int got = 0, len = sizeof got;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<char *>(&got), &len), 0);
    EXPECT_EQ(got, 100);
    closesocket(s);
}

TEST_F(UserDatagram, ReceiveTimeoutOnAnOverlappedSocket) {
    SOCKET s = bound_socket(4600);  // socket() creates overlapped sockets
    DWORD ms = 20;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char *>(&ms), sizeof ms), 0);
    DWORD got = 0;
    int len = sizeof got;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char *>(&got), &len), 0);
    EXPECT_EQ(got, 20u);
    char buffer[8];
    expect_error(recv(s, buffer, sizeof buffer, 0), WSAETIMEDOUT);
    closesocket(s);
}

// Windows applies SO_RCVTIMEO only to sockets created with WSA_FLAG_OVERLAPPED: a
// non-overlapped socket waits on, long past its timeout, until a datagram comes.
TEST_F(UserDatagram, ReceiveTimeoutIgnoredWithoutTheOverlappedAttribute) {
    SOCKET s = WSASocketW(AF_UDGRAM, SOCK_DGRAM, 0, nullptr, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET) << WSAGetLastError();
    SOCKADDR_UDGRAM a = address(4650);
    ASSERT_EQ(bind(s, as_sockaddr(a), kLen), 0);
    DWORD ms = 1;
    ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char *>(&ms), sizeof ms), 0);
    LONG before = statistics().waiting_calls;
    std::string got;
    std::thread t([&] { got = receive(s); });
    wait_for_waiting_calls(before + 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // 50 times the timeout
    EXPECT_EQ(send_to(s, "late", 4650), 4);
    t.join();
    EXPECT_EQ(got, "late");
    closesocket(s);
}

TEST_F(UserDatagram, OptionErrors) {
    SOCKET s = make_socket();
    int value = 0, len = sizeof value;
    expect_error(getsockopt(s, SOL_SOCKET, SO_BROADCAST, reinterpret_cast<char *>(&value), &len), WSAENOPROTOOPT);
    expect_error(getsockopt(s, 0x7777, SO_TYPE, reinterpret_cast<char *>(&value), &len), WSAEINVAL);
    len = 2;
    expect_error(getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&value), &len), WSAEFAULT);
    expect_error(getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&value), nullptr), WSAEFAULT);
    expect_error(setsockopt(s, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<const char *>(&value), 2), WSAEFAULT);
    expect_error(setsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<const char *>(&value), sizeof value),
                 WSAENOPROTOOPT);
    int negative = -1;
    expect_error(setsockopt(s, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<const char *>(&negative), sizeof negative),
                 WSAEINVAL);
    expect_error(WSAEventSelect(s, nullptr, FD_READ), WSAEINVAL);
    unsigned max = 0;
    len = sizeof max;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_MAX_MSG_SIZE, reinterpret_cast<char *>(&max), &len), 0);
    EXPECT_EQ(max, static_cast<unsigned>(UDGRAM_MAX_MESSAGE));
    closesocket(s);
}

// --- connect --------------------------------------------------------------------------------

TEST_F(UserDatagram, ConnectSetsTheDefaultPeerAndFilters) {
    SOCKET a = bound_socket(4700);
    SOCKET b = bound_socket(4701);
    SOCKET stranger = bound_socket(4702);
    SOCKADDR_UDGRAM to_b = address(4701), to_a = address(4700);
    ASSERT_EQ(connect(a, as_sockaddr(to_b), kLen), 0);
    ASSERT_EQ(connect(b, as_sockaddr(to_a), kLen), 0);
    SOCKADDR_UDGRAM peer{};
    int len = kLen;
    ASSERT_EQ(getpeername(a, reinterpret_cast<sockaddr *>(&peer), &len), 0);
    EXPECT_EQ(ntohs(peer.sudg_port), 4701);

    EXPECT_EQ(send_to(stranger, "ignored", 4701), 7);  // b listens only to a now
    EXPECT_EQ(send(a, "hi", 2, 0), 2);
    char buffer[16];
    EXPECT_EQ(recv(b, buffer, sizeof buffer, 0), 2);
    EXPECT_EQ(std::string(buffer, 2), "hi");
    u_long queued = 1;
    ASSERT_EQ(ioctlsocket(b, FIONREAD, &queued), 0);
    EXPECT_EQ(queued, 0u);

    SOCKADDR_IN inet{};
    inet.sin_family = AF_INET;
    expect_error(connect(a, reinterpret_cast<const sockaddr *>(&inet), sizeof inet), WSAEAFNOSUPPORT);
    expect_error(connect(a, as_sockaddr(to_b), kLen - 1), WSAEFAULT);
    // Port 0 dissolves the association.
    SOCKADDR_UDGRAM none = address(0);
    ASSERT_EQ(connect(a, as_sockaddr(none), kLen), 0);
    expect_error(send(a, "x", 1, 0), WSAENOTCONN);
    expect_error(getpeername(a, reinterpret_cast<sockaddr *>(&peer), &len), WSAENOTCONN);
    closesocket(a);
    closesocket(b);
    closesocket(stranger);
}

TEST_F(UserDatagram, ConnectionCallsAreNotSupported) {
    SOCKET s = bound_socket(4800);
    expect_error(listen(s, 5), WSAEOPNOTSUPP);
    expect_error(static_cast<int>(accept(s, nullptr, nullptr)), WSAEOPNOTSUPP);
    WSAPROTOCOL_INFOW info{};
    expect_error(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), WSAEINVAL);
    SOCKADDR_UDGRAM group = address(4801);
    EXPECT_EQ(WSAJoinLeaf(s, as_sockaddr(group), kLen, nullptr, nullptr, nullptr, nullptr, JL_BOTH),
              INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEOPNOTSUPP);
    // Disconnect data does not exist here; without it these are shutdown's halves.
    char data[4] = "bye";
    WSABUF buf{3, data};
    expect_error(WSASendDisconnect(s, &buf), WSAENOPROTOOPT);
    expect_error(WSARecvDisconnect(s, &buf), WSAENOPROTOOPT);
    ASSERT_EQ(WSARecvDisconnect(s, nullptr), 0);
    expect_error(recv(s, data, sizeof data, 0), WSAESHUTDOWN);
    ASSERT_EQ(WSASendDisconnect(s, nullptr), 0);
    expect_error(send_to(s, "x", 4800), WSAESHUTDOWN);
    closesocket(s);
    // No socket groups.
    EXPECT_EQ(WSASocketW(AF_UDGRAM, SOCK_DGRAM, 0, nullptr, SG_UNCONSTRAINED_GROUP, WSA_FLAG_OVERLAPPED),
              INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

// --- handles --------------------------------------------------------------------------------

TEST_F(UserDatagram, NonIfsHandlesNeverCollideWithDescriptors) {
    std::vector<SOCKET> sockets;
    std::vector<int> files;
    for (int i = 0; i < 40; ++i) {
        sockets.push_back(make_socket());
        files.push_back(open("/dev/null", O_RDONLY | O_CLOEXEC));
        ASSERT_GE(files.back(), 0);
    }
    std::set<UINT_PTR> numbers;
    for (SOCKET s : sockets) numbers.insert(s);
    for (int f : files) numbers.insert(static_cast<UINT_PTR>(f));
    EXPECT_EQ(numbers.size(), 80u);
    // Each handle holds a real descriptor number while it is open.
    for (SOCKET s : sockets) EXPECT_NE(fcntl(static_cast<int>(s), F_GETFD), -1);

    // Closing half the sockets leaves the files alone, and the reverse.
    for (std::size_t i = 0; i < sockets.size(); i += 2) ASSERT_EQ(closesocket(sockets[i]), 0);
    for (int f : files) EXPECT_NE(fcntl(f, F_GETFD), -1);
    for (std::size_t i = 1; i < files.size(); i += 2) ASSERT_EQ(close(files[i]), 0);
    for (std::size_t i = 1; i < sockets.size(); i += 2) {
        SOCKADDR_UDGRAM any = address(0);
        EXPECT_EQ(bind(sockets[i], as_sockaddr(any), kLen), 0) << WSAGetLastError();
    }
    // A closed handle is no socket any more; a file was never one (and stays open).
    int type = 0, len = sizeof type;
    expect_error(closesocket(sockets[0]), WSAENOTSOCK);
    expect_error(getsockopt(sockets[0], SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), &len), WSAENOTSOCK);
    expect_error(closesocket(static_cast<SOCKET>(files[0])), WSAENOTSOCK);
    EXPECT_NE(fcntl(files[0], F_GETFD), -1);

    // New descriptors and new sockets again never share a number with live ones.
    std::set<UINT_PTR> live;
    for (std::size_t i = 1; i < sockets.size(); i += 2) live.insert(sockets[i]);
    for (std::size_t i = 0; i < files.size(); i += 2) live.insert(static_cast<UINT_PTR>(files[i]));
    for (int i = 0; i < 20; ++i) {
        SOCKET s = make_socket();
        int f = open("/dev/null", O_RDONLY | O_CLOEXEC);
        EXPECT_TRUE(live.insert(s).second);
        EXPECT_TRUE(live.insert(static_cast<UINT_PTR>(f)).second);
        sockets.push_back(s);
        files.push_back(f);
    }
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        if (i >= 40 || i % 2 == 1) {
            EXPECT_EQ(closesocket(sockets[i]), 0);
        }
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (i >= 40 || i % 2 == 0) close(files[i]);
    }
}

// --- readiness ------------------------------------------------------------------------------

TEST_F(UserDatagram, SelectAcrossTwoSockets) {
    SOCKET a = bound_socket(4900);
    SOCKET b = bound_socket(4901);
    timeval zero{0, 0};
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(a, &readable);
    FD_SET(b, &readable);
    EXPECT_EQ(select(0, &readable, nullptr, nullptr, &zero), 0);
    EXPECT_EQ(readable.fd_count, 0u);

    ASSERT_EQ(send_to(a, "x", 4901), 1);
    FD_ZERO(&readable);
    FD_SET(a, &readable);
    FD_SET(b, &readable);
    fd_set writable;
    FD_ZERO(&writable);
    FD_SET(a, &writable);
    FD_SET(b, &writable);
    EXPECT_EQ(select(0, &readable, &writable, nullptr, nullptr), 3);
    EXPECT_EQ(readable.fd_count, 1u);
    EXPECT_TRUE(FD_ISSET(b, &readable));
    EXPECT_FALSE(FD_ISSET(a, &readable));
    EXPECT_EQ(writable.fd_count, 2u);

    // Listed twice, counted once.
    FD_ZERO(&readable);
    readable.fd_array[0] = b;
    readable.fd_array[1] = b;
    readable.fd_count = 2;
    EXPECT_EQ(select(0, &readable, nullptr, nullptr, &zero), 1);
    EXPECT_EQ(readable.fd_count, 1u);

    SOCKET closed = make_socket();
    closesocket(closed);
    FD_ZERO(&readable);
    FD_SET(b, &readable);
    FD_SET(closed, &readable);
    expect_error(select(0, &readable, nullptr, nullptr, &zero), WSAENOTSOCK);
    EXPECT_EQ(readable.fd_count, 2u);
    closesocket(a);
    closesocket(b);
}

TEST_F(UserDatagram, WSAPollAcrossTwoSockets) {
    SOCKET a = bound_socket(5000);
    SOCKET b = bound_socket(5001);
    WSAPOLLFD fds[3] = {{a, POLLRDNORM, 0}, {b, POLLRDNORM | POLLWRNORM, 0}, {INVALID_SOCKET, POLLRDNORM, 0}};
    EXPECT_EQ(WSAPoll(fds, 3, 0), 1);
    EXPECT_EQ(fds[0].revents, 0);
    EXPECT_EQ(fds[1].revents, POLLWRNORM);
    EXPECT_EQ(fds[2].revents, POLLNVAL);
    ASSERT_EQ(send_to(b, "x", 5000), 1);
    EXPECT_EQ(WSAPoll(fds, 3, -1), 2);
    EXPECT_EQ(fds[0].revents, POLLRDNORM);
    EXPECT_EQ(fds[1].revents, POLLWRNORM);
    closesocket(a);
    closesocket(b);
}

TEST_F(UserDatagram, EventSelectRecordsWriteAndRead) {
    SOCKET a = bound_socket(5100);
    SOCKET b = bound_socket(5101);
    WSAEVENT event = WSACreateEvent();
    ASSERT_EQ(WSAEventSelect(b, event, FD_READ | FD_WRITE), 0);
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &event, FALSE, 0, FALSE), WSA_WAIT_EVENT_0);
    WSANETWORKEVENTS events{};
    ASSERT_EQ(WSAEnumNetworkEvents(b, event, &events), 0);
    EXPECT_EQ(events.lNetworkEvents, FD_WRITE);
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &event, FALSE, 0, FALSE), static_cast<DWORD>(WSA_WAIT_TIMEOUT));

    // Registered sockets are non-blocking and stay so.
    char buffer[8];
    expect_error(recv(b, buffer, sizeof buffer, 0), WSAEWOULDBLOCK);
    u_long off = 0;
    expect_error(ioctlsocket(b, FIONBIO, &off), WSAEINVAL);

    ASSERT_EQ(send_to(a, "one", 5101), 3);
    ASSERT_EQ(send_to(a, "two", 5101), 3);
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &event, FALSE, 0, FALSE), WSA_WAIT_EVENT_0);
    ASSERT_EQ(WSAEnumNetworkEvents(b, event, &events), 0);
    EXPECT_EQ(events.lNetworkEvents, FD_READ);
    EXPECT_EQ(events.iErrorCode[FD_READ_BIT], 0);
    // A receive re-enables FD_READ, which fires again while data remains.
    EXPECT_EQ(receive(b), "one");
    ASSERT_EQ(WSAEnumNetworkEvents(b, nullptr, &events), 0);
    EXPECT_EQ(events.lNetworkEvents, FD_READ);
    expect_error(WSAEnumNetworkEvents(b, nullptr, nullptr), WSAEFAULT);
    ASSERT_EQ(WSAEventSelect(b, nullptr, 0), 0);
    WSACloseEvent(event);
    closesocket(a);
    closesocket(b);
}

TEST_F(UserDatagram, AddressText) {
    SOCKADDR_UDGRAM a = address(4242);
    wchar_t text[32];
    DWORD len = 32;
    ASSERT_EQ(WSAAddressToStringW(reinterpret_cast<LPSOCKADDR>(&a), kLen, nullptr, text, &len), 0)
        << WSAGetLastError();
    EXPECT_STREQ(text, L"4242");
    EXPECT_EQ(len, 5u);
    len = 3;
    expect_error(WSAAddressToStringW(reinterpret_cast<LPSOCKADDR>(&a), kLen, nullptr, text, &len), WSAEFAULT);
    EXPECT_EQ(len, 5u);
    SOCKADDR_UDGRAM back{};
    INT back_len = kLen;
    ASSERT_EQ(WSAStringToAddressW(const_cast<LPWSTR>(L"4243"), AF_UDGRAM, nullptr,
                                  reinterpret_cast<LPSOCKADDR>(&back), &back_len), 0);
    EXPECT_EQ(back.sudg_family, AF_UDGRAM);
    EXPECT_EQ(ntohs(back.sudg_port), 4243);
    expect_error(WSAStringToAddressW(const_cast<LPWSTR>(L"70000"), AF_UDGRAM, nullptr,
                                     reinterpret_cast<LPSOCKADDR>(&back), &back_len), WSAEINVAL);
}

// --- threads --------------------------------------------------------------------------------

TEST_F(UserDatagram, BlockingReceiveWokenBySendFromAnotherThread) {
    SOCKET receiver = bound_socket(5200);
    SOCKET sender = make_socket();
    LONG before = statistics().waiting_calls;
    std::string got;
    std::thread t([&] { got = receive(receiver); });
    wait_for_waiting_calls(before + 1);
    EXPECT_EQ(send_to(sender, "wake", 5200), 4);
    t.join();
    EXPECT_EQ(got, "wake");
    closesocket(sender);
    closesocket(receiver);
}

TEST_F(UserDatagram, ClosesocketWakesABlockedReceiverWithWSAEINTR) {
    SOCKET s = bound_socket(5300);
    LONG before = statistics().waiting_calls;
    std::atomic<int> rc{0}, error{0};
    std::thread t([&] {
        char buffer[8];
        rc = recv(s, buffer, sizeof buffer, 0);
        error = WSAGetLastError();
    });
    wait_for_waiting_calls(before + 1);
    ASSERT_EQ(closesocket(s), 0);
    t.join();
    EXPECT_EQ(rc.load(), SOCKET_ERROR);
    EXPECT_EQ(error.load(), WSAEINTR);
    expect_error(closesocket(s), WSAENOTSOCK);
}

TEST_F(UserDatagram, ClosingDuringSelectReportsReadableAndDuringPollNval) {
    SOCKET s = bound_socket(5400);
    LONG before = statistics().waiting_calls;
    int result = 0;
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(s, &readable);
    std::thread t([&] { result = select(0, &readable, nullptr, nullptr, nullptr); });
    wait_for_waiting_calls(before + 1);
    ASSERT_EQ(closesocket(s), 0);
    t.join();
    EXPECT_EQ(result, 1);
    EXPECT_TRUE(FD_ISSET(s, &readable));

    SOCKET p = bound_socket(5401);
    WSAPOLLFD fd{p, POLLRDNORM, 0};
    std::thread u([&] { result = WSAPoll(&fd, 1, -1); });
    wait_for_waiting_calls(before + 1);
    ASSERT_EQ(closesocket(p), 0);
    u.join();
    EXPECT_EQ(result, 1);
    EXPECT_EQ(fd.revents, POLLNVAL);
}

// --- WSAStartup / WSACleanup pairing --------------------------------------------------------

TEST_F(UserDatagram, EveryWSPStartupIsMatchedByOneWSPCleanupAtTheLastWSACleanup) {
    UDGRAM_STATISTICS start = statistics();
    SOCKET s = bound_socket(5500);  // the first socket of the family starts the provider
    UDGRAM_STATISTICS running = statistics();
    EXPECT_EQ(running.startups, start.startups + 1);
    EXPECT_EQ(running.references, 1);

    // A nested start-up and clean-up leaves the provider and its sockets alone.
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    ASSERT_EQ(WSACleanup(), 0);
    EXPECT_EQ(statistics().cleanups, start.cleanups);
    EXPECT_EQ(port_of(s), 5500);

    // The last one closes every socket and cleans the provider up once.
    ASSERT_EQ(WSACleanup(), 0);
    started_ = false;
    UDGRAM_STATISTICS ended = statistics();
    EXPECT_EQ(ended.startups, start.startups + 1);
    EXPECT_EQ(ended.cleanups, start.cleanups + 1);
    EXPECT_EQ(ended.references, 0);
    EXPECT_EQ(ended.live_sockets, 0);

    // A new session starts afresh: the old handle is gone, its port is free.
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    started_ = true;
    expect_error(closesocket(s), WSAENOTSOCK);
    SOCKET t = bound_socket(5500);
    EXPECT_EQ(statistics().startups, start.startups + 2);
    EXPECT_EQ(closesocket(t), 0);
}

}  // namespace
