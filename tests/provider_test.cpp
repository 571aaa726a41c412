// Loadable providers end to end: each failure of a provider's start-up (table-driven), protocol
// chains of depth 1 to 3 through test builds of the shipped pass-through layer (the protocol
// info every layer receives is asserted), a layer with its own non-IFS handles, WSPStartup /
// WSPCleanup pairing, and unloading. Each test installs its catalog in a fresh WS2_CATALOG file.
#include <winsock2.h>
#include <windows.h>
#include <ws2spi.h>
#include <dlfcn.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/posix.h"

namespace {

constexpr DWORD kTcpIp = 1004, kUdpIp = 1005;

std::string provider_path(const std::string &name) {
    return std::string(WS2_TEST_PROVIDER_DIR) + "/lib" + name + ".so";
}

std::wstring wide(const std::string &s) { return std::wstring(s.begin(), s.end()); }

GUID make_guid(unsigned n) {
    return GUID{0xB2B2B2B2, static_cast<unsigned short>(n), 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 1}};
}

// The ProviderIds the test layers are built with (tests/providers/CMakeLists.txt, handle_layer.cpp):
// a layer finds its own layered entry by it.
GUID test_layer_id(int k) {
    return GUID{0xA1A1A1A1, static_cast<unsigned short>(k + 1), 0x4000,
                {0x80, 0, 0, 0, 0, 0, 0, static_cast<unsigned char>(0x0A + k)}};
}
const GUID kHandleLayerId = {0x7C1B2E44, 0x90A1, 0x4F3C, {0x8D, 0x2E, 0x5A, 0x6B, 0x7C, 0x8D, 0x9E, 0x01}};

std::vector<WSAPROTOCOL_INFOW> all_entries() {
    DWORD length = 0;
    int err = 0;
    EXPECT_EQ(WSCEnumProtocols(nullptr, nullptr, &length, &err), SOCKET_ERROR);
    std::vector<WSAPROTOCOL_INFOW> all(length / sizeof(WSAPROTOCOL_INFOW));
    int n = WSCEnumProtocols(nullptr, all.data(), &length, &err);
    EXPECT_GE(n, 0);
    all.resize(n < 0 ? 0 : n);
    return all;
}

WSAPROTOCOL_INFOW entry(DWORD id) {
    for (const WSAPROTOCOL_INFOW &e : all_entries())
        if (e.dwCatalogEntryId == id) return e;
    ADD_FAILURE() << "no catalog entry " << id;
    return {};
}

// The ids WSCInstallProvider gave a provider's entries, in catalog order.
std::vector<DWORD> ids_of(const GUID &provider) {
    std::vector<DWORD> ids;
    for (const WSAPROTOCOL_INFOW &e : all_entries())
        if (std::memcmp(&e.ProviderId, &provider, sizeof provider) == 0) ids.push_back(e.dwCatalogEntryId);
    return ids;
}

void install(GUID provider, const std::string &path, std::vector<WSAPROTOCOL_INFOW> infos) {
    int err = 0;
    std::wstring p = wide(path);
    ASSERT_EQ(WSCInstallProvider(&provider, p.c_str(), infos.data(), static_cast<DWORD>(infos.size()), &err), 0)
        << "WSCInstallProvider error " << err;
}

// A layered entry (ChainLen 0) for a layer library; returns its catalog id.
DWORD install_layer(GUID provider, const std::string &path) {
    WSAPROTOCOL_INFOW info = entry(kTcpIp);
    info.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    std::wcsncpy(info.szProtocol, L"ws2 test layer", WSAPROTOCOL_LEN);
    install(provider, path, {info});
    std::vector<DWORD> ids = ids_of(provider);
    return ids.empty() ? 0 : ids[0];
}

// A chain entry: layers (top first) over a base entry, served by the top layer's library.
WSAPROTOCOL_INFOW chain_over(DWORD base, const std::vector<DWORD> &layers, const wchar_t *name) {
    WSAPROTOCOL_INFOW info = entry(base);
    info.ProtocolChain.ChainLen = static_cast<int>(layers.size()) + 1;
    for (std::size_t k = 0; k < layers.size(); ++k) info.ProtocolChain.ChainEntries[k] = layers[k];
    info.ProtocolChain.ChainEntries[layers.size()] = base;
    std::wcsncpy(info.szProtocol, name, WSAPROTOCOL_LEN);
    return info;
}

struct LogLine {
    std::string who, event;
    std::vector<DWORD> numbers;  // catalog id, chain length, chain entries
};

class ProviderTest : public ::testing::Test {
protected:
    void SetUp() override {
        char templ[] = "/tmp/ws2-provider-test-XXXXXX";
        ASSERT_NE(mkdtemp(templ), nullptr);
        dir_ = templ;
        setenv("WS2_CATALOG", (dir_ + "/catalog.json").c_str(), 1);
        setenv("WS2_TEST_PROVIDER_LOG", (dir_ + "/log").c_str(), 1);
    }
    void TearDown() override {
        while (WSACleanup() == 0) {
        }
        unsetenv("WS2_CATALOG");
        unsetenv("WS2_TEST_PROVIDER_LOG");
        std::system(("rm -rf " + dir_).c_str());
    }
    void start() {
        WSADATA data;
        ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    }
    std::vector<LogLine> log(const std::string &who = "") const {
        std::vector<LogLine> lines;
        std::ifstream in(dir_ + "/log");
        for (std::string text; std::getline(in, text);) {
            std::istringstream fields(text);
            LogLine line;
            fields >> line.who >> line.event;
            for (DWORD n; fields >> n;) line.numbers.push_back(n);
            if (who.empty() || line.who == who) lines.push_back(line);
        }
        return lines;
    }
    int count(const std::string &who, const std::string &event) const {
        int n = 0;
        for (const LogLine &l : log(who)) n += l.event == event;
        return n;
    }
    std::string dir_;
};

bool loaded(const std::string &path) {
    void *h = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (h != nullptr) dlclose(h);
    return h != nullptr;
}

// --- Start-up failures -------------------------------------------------------------------

struct StartFailure {
    const char *library;  // test provider name, or a path that does not exist
    int error;
    int startups, cleanups;  // per attempt
};

class StartFailureTest : public ProviderTest, public ::testing::WithParamInterface<StartFailure> {};

TEST_P(StartFailureTest, SocketCreationReportsTheDocumentedErrorAndRetries) {
    const StartFailure &c = GetParam();
    std::string path = std::string(c.library).find('/') == std::string::npos ? provider_path(c.library)
                                                                              : c.library;
    WSAPROTOCOL_INFOW base = entry(kUdpIp);
    std::wcsncpy(base.szProtocol, L"misbehaving provider", WSAPROTOCOL_LEN);
    GUID id = make_guid(1);
    install(id, path, {base});
    start();
    WSAPROTOCOL_INFOW info = entry(ids_of(id).at(0));
    for (int attempt = 1; attempt <= 2; ++attempt) {
        SCOPED_TRACE(attempt);
        EXPECT_EQ(WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0),
                  INVALID_SOCKET);
        EXPECT_EQ(WSAGetLastError(), c.error);
        // A failed start leaves nothing behind: the library is unloaded, the next use retries.
        EXPECT_EQ(count(c.library, "startup"), c.startups * attempt);
        EXPECT_EQ(count(c.library, "cleanup"), c.cleanups * attempt);
        EXPECT_FALSE(loaded(path));
    }
    // The base providers still work.
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_NE(s, INVALID_SOCKET);
    closesocket(s);
    ASSERT_EQ(WSACleanup(), 0);
    EXPECT_EQ(count(c.library, "cleanup"), c.cleanups * 2);  // never a cleanup without a start
}

INSTANTIATE_TEST_SUITE_P(
    Providers, StartFailureTest,
    ::testing::Values(StartFailure{"ws2_test_wrong_version", WSAEINVALIDPROVIDER, 1, 1},
                      StartFailure{"ws2_test_table_hole", WSAEINVALIDPROCTABLE, 1, 1},
                      StartFailure{"ws2_test_startup_fails", WSAEPROVIDERFAILEDINIT, 1, 0},
                      StartFailure{"ws2_test_no_wspstartup", WSAEPROVIDERFAILEDINIT, 0, 0},
                      StartFailure{"/nonexistent/libws2_missing_provider.so", WSAEPROVIDERFAILEDINIT, 0, 0}),
    [](const auto &info) {
        std::string name = info.param.library;
        return name.find('/') == std::string::npos ? name.substr(9) : std::string("missing_library");
    });

// --- Chains ------------------------------------------------------------------------------

// A connected pair: `client` made by the caller, connected to a plain base listener.
SOCKET accept_from(SOCKET client) {
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof addr;
    EXPECT_EQ(bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listener, 1), 0);
    EXPECT_EQ(getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    EXPECT_EQ(connect(client, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0) << WSAGetLastError();
    SOCKET server = accept(listener, nullptr, nullptr);
    closesocket(listener);
    return server;
}

void expect_round_trip(SOCKET client, SOCKET server) {
    char buffer[16] = {};
    EXPECT_EQ(send(client, "through", 7, 0), 7);
    EXPECT_EQ(recv(server, buffer, sizeof buffer, 0), 7);
    EXPECT_EQ(std::string(buffer, 7), "through");
    EXPECT_EQ(send(server, "back", 4, 0), 4);
    EXPECT_EQ(recv(client, buffer, sizeof buffer, 0), 4);
    EXPECT_EQ(std::string(buffer, 4), "back");
}

class ChainTest : public ProviderTest, public ::testing::WithParamInterface<int> {};

TEST_P(ChainTest, EveryLayerGetsTheChainAndTheBaseGetsItsOwnEntry) {
    const int depth = GetParam();
    const char *names[] = {"ws2_test_layer_a", "ws2_test_layer_b", "ws2_test_layer_c"};
    std::vector<DWORD> layers;
    for (int k = 0; k < depth; ++k) layers.push_back(install_layer(test_layer_id(k), provider_path(names[k])));
    GUID chain_id = make_guid(20);
    install(chain_id, provider_path(names[0]), {chain_over(kTcpIp, layers, L"test chain over TCP/IP")});
    const DWORD chain = ids_of(chain_id).at(0);
    start();

    WSAPROTOCOL_INFOW info = entry(chain);
    SOCKET client = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    ASSERT_NE(client, INVALID_SOCKET) << WSAGetLastError();
    SOCKET server = accept_from(client);
    ASSERT_NE(server, INVALID_SOCKET);
    expect_round_trip(client, server);

    // The application's socket describes the chain entry.
    WSAPROTOCOL_INFOW seen{};
    int len = sizeof seen;
    ASSERT_EQ(getsockopt(client, SOL_SOCKET, SO_PROTOCOL_INFOW, reinterpret_cast<char *>(&seen), &len), 0);
    EXPECT_EQ(seen.dwCatalogEntryId, chain);
    EXPECT_EQ(seen.ProtocolChain.ChainLen, depth + 1);

    for (int k = 0; k < depth; ++k) {
        SCOPED_TRACE(names[k]);
        std::vector<LogLine> lines = log(names[k]);
        ASSERT_GE(lines.size(), 3u);
        // WSPStartup and WSPSocket: the chain entry itself, unchanged, at every depth.
        for (int i = 0; i < 2; ++i) {
            EXPECT_EQ(lines[i].event, i == 0 ? "startup" : "socket");
            ASSERT_GE(lines[i].numbers.size(), 2u);
            EXPECT_EQ(lines[i].numbers[0], chain);
            EXPECT_EQ(lines[i].numbers[1], static_cast<DWORD>(depth + 1));
        }
        // Passed down: the chain to a layer, the base's own entry to the base.
        EXPECT_EQ(lines[2].event, "next-socket");
        bool base_next = k + 1 == depth;
        EXPECT_EQ(lines[2].numbers.at(0), base_next ? kTcpIp : chain);
        EXPECT_EQ(lines[2].numbers.at(1), base_next ? 1u : static_cast<DWORD>(depth + 1));
    }

    EXPECT_EQ(closesocket(client), 0);
    EXPECT_EQ(closesocket(server), 0);
    EXPECT_EQ(send(client, "x", 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    ASSERT_EQ(WSACleanup(), 0);
    for (int k = 0; k < depth; ++k) {
        EXPECT_EQ(count(names[k], "startup"), 1) << names[k];
        EXPECT_EQ(count(names[k], "cleanup"), 1) << names[k];
        EXPECT_FALSE(loaded(provider_path(names[k]))) << names[k];
    }
}

INSTANTIATE_TEST_SUITE_P(Depths, ChainTest, ::testing::Values(1, 2, 3));

TEST_F(ProviderTest, DatagramsGoThroughAChain) {
    DWORD layer = install_layer(test_layer_id(0), provider_path("ws2_test_layer_a"));
    GUID chain_id = make_guid(20);
    install(chain_id, provider_path("ws2_test_layer_a"), {chain_over(kUdpIp, {layer}, L"test chain over UDP/IP")});
    start();
    WSAPROTOCOL_INFOW info = entry(ids_of(chain_id).at(0));
    SOCKET a = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    SOCKET b = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ASSERT_NE(a, INVALID_SOCKET);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof addr;
    ASSERT_EQ(bind(a, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    ASSERT_EQ(getsockname(a, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    ASSERT_EQ(sendto(b, "dgram", 5, 0, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 5);
    char buffer[8];
    sockaddr_in from{};
    int fromlen = sizeof from;
    EXPECT_EQ(recvfrom(a, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr *>(&from), &fromlen), 5);
    EXPECT_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(a, &readable);
    timeval zero{0, 0};
    EXPECT_EQ(select(0, &readable, nullptr, nullptr, &zero), 0);
    closesocket(a);
    closesocket(b);
}

TEST_F(ProviderTest, AcceptedSocketsOfALayeredListenerGoThroughTheLayer) {
    DWORD layer = install_layer(test_layer_id(0), provider_path("ws2_test_layer_a"));
    GUID chain_id = make_guid(20);
    install(chain_id, provider_path("ws2_test_layer_a"), {chain_over(kTcpIp, {layer}, L"layer over TCP/IP")});
    start();
    WSAPROTOCOL_INFOW info = entry(ids_of(chain_id).at(0));
    SOCKET listener = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    ASSERT_NE(listener, INVALID_SOCKET);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof addr;
    ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(listener, 1), 0);
    ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    SOCKET client = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(connect(client, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    SOCKET server = accept(listener, nullptr, nullptr);
    ASSERT_NE(server, INVALID_SOCKET) << WSAGetLastError();
    WSAPROTOCOL_INFOW seen{};
    len = sizeof seen;
    ASSERT_EQ(getsockopt(server, SOL_SOCKET, SO_PROTOCOL_INFOW, reinterpret_cast<char *>(&seen), &len), 0);
    EXPECT_EQ(seen.dwCatalogEntryId, info.dwCatalogEntryId);
    expect_round_trip(client, server);
    EXPECT_EQ(closesocket(server), 0);
    EXPECT_EQ(closesocket(listener), 0);
    closesocket(client);
}

// --- A layer with its own handles --------------------------------------------------------

TEST_F(ProviderTest, NonIfsLayerGivesItsOwnHandlesAndTranslatesEveryCall) {
    const std::string path = provider_path("ws2_test_handle_layer");
    DWORD layer = install_layer(kHandleLayerId, path);
    WSAPROTOCOL_INFOW chain = chain_over(kTcpIp, {layer}, L"handle layer over TCP/IP");
    chain.dwServiceFlags1 &= ~XP1_IFS_HANDLES;  // its handles are not file-system handles
    GUID chain_id = make_guid(31);
    install(chain_id, path, {chain});
    start();
    WSAPROTOCOL_INFOW info = entry(ids_of(chain_id).at(0));
    SOCKET client = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    ASSERT_NE(client, INVALID_SOCKET) << WSAGetLastError();
    SOCKET server = accept_from(client);
    ASSERT_NE(server, INVALID_SOCKET);
    expect_round_trip(client, server);

    // The handle is the layer's own: not a socket to Linux.
    std::vector<LogLine> lines = log("ws2_test_handle_layer");
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines[2].event, "next-socket");
    EXPECT_EQ(lines[2].numbers.at(0), kTcpIp);

    // select translates the layer's handles and back.
    EXPECT_EQ(send(server, "r", 1, 0), 1);
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(client, &readable);
    timeval wait{5, 0};
    EXPECT_EQ(select(0, &readable, nullptr, nullptr, &wait), 1);
    EXPECT_TRUE(FD_ISSET(client, &readable));
    char c;
    EXPECT_EQ(recv(client, &c, 1, 0), 1);

    EXPECT_EQ(closesocket(client), 0);
    EXPECT_EQ(send(client, "x", 1, 0), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    // The peer sees the connection end: the layer closed the base socket under it.
    EXPECT_EQ(recv(server, &c, 1, 0), 0);
    closesocket(server);
}

// A non-IFS provider completes its own overlapped requests through ws2.
TEST_F(ProviderTest, WPUCompleteOverlappedRequestCompletesANonIfsProvidersRequest) {
    const std::string path = provider_path("ws2_test_handle_layer");
    DWORD layer = install_layer(kHandleLayerId, path);
    WSAPROTOCOL_INFOW chain = chain_over(kUdpIp, {layer}, L"handle layer over UDP/IP");
    chain.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    GUID chain_id = make_guid(31);
    install(chain_id, path, {chain});
    start();
    WSAPROTOCOL_INFOW info = entry(ids_of(chain_id).at(0));
    SOCKET h = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    ASSERT_NE(h, INVALID_SOCKET) << WSAGetLastError();

    WSAOVERLAPPED ov{};
    ov.Internal = STATUS_PENDING;
    ov.hEvent = WSACreateEvent();
    int err = 0;
    ASSERT_EQ(WPUCompleteOverlappedRequest(h, &ov, 0, 42, &err), 0);
    EXPECT_TRUE(HasOverlappedIoCompleted(&ov));
    EXPECT_EQ(ov.Internal, 0u);
    EXPECT_EQ(ov.InternalHigh, 42u);
    EXPECT_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);

    // A failure status is kept for WSAGetOverlappedResult-style readers.
    WSAOVERLAPPED failed{};
    ASSERT_EQ(WPUCompleteOverlappedRequest(h, &failed, WSAECONNRESET, 0, &err), 0);
    EXPECT_EQ(failed.Internal, 0xC000020Du);  // STATUS_CONNECTION_RESET

    // Only handles made by WPUCreateSocketHandle: an IFS socket is refused.
    SOCKET ifs = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_EQ(WPUCompleteOverlappedRequest(ifs, &ov, 0, 1, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEINVAL);
    EXPECT_EQ(WPUCompleteOverlappedRequest(h, nullptr, 0, 1, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT);
    closesocket(ifs);
    closesocket(h);
    WSACloseEvent(ov.hEvent);
}

// --- Pairing and sharing -----------------------------------------------------------------

TEST_F(ProviderTest, OneStartupPerProviderIdAndOneCleanupAtTheLastWSACleanup) {
    const std::string path = provider_path("ws2_test_layer_a");
    DWORD layer = install_layer(test_layer_id(0), path);
    GUID chains = make_guid(20);
    install(chains, path, {chain_over(kTcpIp, {layer}, L"layer over TCP"), chain_over(kUdpIp, {layer}, L"layer over UDP")});
    start();
    start();  // a second reference: providers stay until the last WSACleanup
    for (DWORD id : ids_of(chains)) {
        WSAPROTOCOL_INFOW info = entry(id);
        SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
        ASSERT_NE(s, INVALID_SOCKET) << WSAGetLastError();
        EXPECT_EQ(closesocket(s), 0);
    }
    // Two entries, one ProviderId: one WSPStartup in this process.
    EXPECT_EQ(count("ws2_test_layer_a", "startup"), 1);
    EXPECT_TRUE(loaded(path));
    ASSERT_EQ(WSACleanup(), 0);
    EXPECT_EQ(count("ws2_test_layer_a", "cleanup"), 0);
    EXPECT_TRUE(loaded(path));
    ASSERT_EQ(WSACleanup(), 0);
    EXPECT_EQ(count("ws2_test_layer_a", "cleanup"), 1);
    EXPECT_FALSE(loaded(path));

    // A new session starts the provider again, and a socket left open is closed for the
    // application by the last WSACleanup.
    start();
    WSAPROTOCOL_INFOW info = entry(ids_of(chains).at(0));
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    ASSERT_EQ(WSACleanup(), 0);
    EXPECT_EQ(count("ws2_test_layer_a", "startup"), 2);
    EXPECT_EQ(count("ws2_test_layer_a", "cleanup"), 2);
    EXPECT_FALSE(ws2test::fd_is_open(static_cast<int>(s)));
}

TEST_F(ProviderTest, ProviderPathsExpandEnvironmentVariables) {
    setenv("WS2_TEST_PROVIDER_HOME", WS2_TEST_PROVIDER_DIR, 1);
    DWORD layer = install_layer(test_layer_id(0), "%WS2_TEST_PROVIDER_HOME%/libws2_test_layer_a.so");
    GUID chain_id = make_guid(20);
    install(chain_id, "%WS2_TEST_PROVIDER_HOME%/libws2_test_layer_a.so",
            {chain_over(kTcpIp, {layer}, L"layer over TCP")});
    start();
    WSAPROTOCOL_INFOW info = entry(ids_of(chain_id).at(0));
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    EXPECT_NE(s, INVALID_SOCKET) << WSAGetLastError();
    closesocket(s);
    unsetenv("WS2_TEST_PROVIDER_HOME");
}

// The shipped layer, as installed by a user: its own ProviderId and library.
TEST_F(ProviderTest, ShippedPassThroughLayerCarriesAConnection) {
    GUID shipped = {0x5F2A9C1E, 0x3B7D, 0x4E8A, {0x9C, 0x61, 0x7D, 0x2E, 0x4B, 0x0A, 0x1F, 0x93}};
    DWORD layer = install_layer(shipped, WS2_PASSTHROUGH_PATH);
    GUID chain_id = make_guid(40);
    install(chain_id, WS2_PASSTHROUGH_PATH, {chain_over(kTcpIp, {layer}, L"pass-through over TCP/IP")});
    start();
    WSAPROTOCOL_INFOW info = entry(ids_of(chain_id).at(0));
    SOCKET client = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    ASSERT_NE(client, INVALID_SOCKET) << WSAGetLastError();
    SOCKET server = accept_from(client);
    expect_round_trip(client, server);
    closesocket(client);
    closesocket(server);
}

}  // namespace
