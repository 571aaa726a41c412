// The built-in protocol catalog (Windows 10/11's base entries, bit-exact), WSAEnumProtocolsA/W,
// WSCEnumProtocols and WSCGetProviderPath (windows-behaviour.md §2, spi-rules.md §4).
#include <cstddef>
#include <cstring>
#include <cwchar>

#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using ws2test::WinsockTest;

constexpr GUID kV4 = {0xE70F1AA0, 0xAB8B, 0x11CF, {0x8C, 0xA3, 0x00, 0x80, 0x5F, 0x48, 0xA1, 0x92}};
constexpr GUID kV6 = {0xF9EAB0C0, 0x26D4, 0x11D0, {0xBB, 0xBF, 0x00, 0xAA, 0x00, 0x6C, 0x34, 0xE4}};
constexpr GUID kUnix = {0xA00943D9, 0x9C2E, 0x4633, {0x9B, 0x59, 0x00, 0x57, 0xA3, 0x16, 0x09, 0x94}};

struct ExpectedEntry {
    DWORD id;
    const wchar_t *name;
    const GUID *provider;
    DWORD service_flags, provider_flags;
    int family, max_addr, min_addr, type, protocol, max_offset;
    DWORD message_size;
};

const ExpectedEntry kCatalog[] = {
    {1001, L"MSAFD Tcpip [TCP/IPv6]", &kV6, 0x20066, 0x8, AF_INET6, 28, 28, SOCK_STREAM, IPPROTO_TCP, 0, 0},
    {1002, L"MSAFD Tcpip [UDP/IPv6]", &kV6, 0x20609, 0x8, AF_INET6, 28, 28, SOCK_DGRAM, IPPROTO_UDP, 0, 65527},
    {1003, L"MSAFD Tcpip [RAW/IPv6]", &kV6, 0x20609, 0xC, AF_INET6, 28, 28, SOCK_RAW, 0, 255, 65527},
    {1004, L"MSAFD Tcpip [TCP/IP]", &kV4, 0x20066, 0x8, AF_INET, 16, 16, SOCK_STREAM, IPPROTO_TCP, 0, 0},
    {1005, L"MSAFD Tcpip [UDP/IP]", &kV4, 0x20609, 0x8, AF_INET, 16, 16, SOCK_DGRAM, IPPROTO_UDP, 0, 0xFFBB},
    {1006, L"MSAFD Tcpip [RAW/IP]", &kV4, 0x20609, 0xC, AF_INET, 16, 16, SOCK_RAW, 0, 255, 0x8000},
    {1007, L"AF_UNIX", &kUnix, 0x20026, 0x8, AF_UNIX, 110, 2, SOCK_STREAM, 0, 0, 0},
};

void expect_entry(const WSAPROTOCOL_INFOW &got, const ExpectedEntry &want) {
    SCOPED_TRACE(::testing::Message() << "catalog id " << want.id);
    EXPECT_EQ(got.dwCatalogEntryId, want.id);
    EXPECT_EQ(ws2test::name_of(got), want.name);
    EXPECT_EQ(std::memcmp(&got.ProviderId, want.provider, sizeof(GUID)), 0);
    EXPECT_EQ(got.dwServiceFlags1, want.service_flags);
    EXPECT_EQ(got.dwServiceFlags2, 0u);
    EXPECT_EQ(got.dwServiceFlags3, 0u);
    EXPECT_EQ(got.dwServiceFlags4, 0u);
    EXPECT_EQ(got.dwProviderFlags, want.provider_flags);
    EXPECT_EQ(got.ProtocolChain.ChainLen, BASE_PROTOCOL);
    EXPECT_EQ(got.iVersion, 2);
    EXPECT_EQ(got.iAddressFamily, want.family);
    EXPECT_EQ(got.iMaxSockAddr, want.max_addr);
    EXPECT_EQ(got.iMinSockAddr, want.min_addr);
    EXPECT_EQ(got.iSocketType, want.type);
    EXPECT_EQ(got.iProtocol, want.protocol);
    EXPECT_EQ(got.iProtocolMaxOffset, want.max_offset);
    EXPECT_EQ(got.iNetworkByteOrder, BIGENDIAN);
    EXPECT_EQ(got.iSecurityScheme, SECURITY_PROTOCOL_NONE);
    EXPECT_EQ(got.dwMessageSize, want.message_size);
    EXPECT_EQ(got.dwProviderReserved, 0u);
}

TEST(Catalog, WSCEnumProtocolsListsEveryEntryWithWindowsValues) {
    // WSCEnumProtocols needs no WSAStartup and shows hidden entries too.
    auto all = ws2test::wsc_enum_protocols();
    ASSERT_EQ(all.size(), std::size(kCatalog));
    for (std::size_t i = 0; i < all.size(); ++i) expect_entry(all[i], kCatalog[i]);
}

TEST_F(WinsockTest, EnumProtocolsWHidesHiddenEntriesAndKeepsOrder) {
    auto visible = ws2test::enum_protocols_w();
    std::vector<DWORD> ids;
    for (auto &e : visible) ids.push_back(e.dwCatalogEntryId);
    EXPECT_EQ(ids, (std::vector<DWORD>{1001, 1002, 1004, 1005, 1007}));
    for (auto &e : visible) {
        EXPECT_EQ(e.dwProviderFlags & PFL_HIDDEN, 0u);
        EXPECT_FALSE(ws2test::name_of(e).empty());
        for (const ExpectedEntry &want : kCatalog)
            if (want.id == e.dwCatalogEntryId) expect_entry(e, want);
    }
}

TEST_F(WinsockTest, EnumProtocolsReportsTheSizeItNeeds) {
    DWORD len = 0;
    ws2test::arm_last_error();
    EXPECT_EQ(WSAEnumProtocolsW(nullptr, nullptr, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOBUFS);
    EXPECT_EQ(len, 5 * sizeof(WSAPROTOCOL_INFOW));

    WSAPROTOCOL_INFOW one;
    len = 0;
    EXPECT_EQ(WSAEnumProtocolsW(nullptr, &one, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOBUFS);
    EXPECT_EQ(len, 5 * sizeof(WSAPROTOCOL_INFOW));

    len = sizeof one;  // still too small
    EXPECT_EQ(WSAEnumProtocolsW(nullptr, &one, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOBUFS);

    std::vector<WSAPROTOCOL_INFOA> narrow(5);
    len = 0;
    EXPECT_EQ(WSAEnumProtocolsA(nullptr, nullptr, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOBUFS);
    EXPECT_EQ(len, 5 * sizeof(WSAPROTOCOL_INFOA));
    ws2test::arm_last_error();
    EXPECT_EQ(WSAEnumProtocolsA(nullptr, narrow.data(), &len), 5);
    EXPECT_EQ(WSAGetLastError(), static_cast<int>(ws2test::kSentinel)) << "success leaves it";
}

TEST_F(WinsockTest, EnumProtocolsAMatchesTheWideEntries) {
    auto wide = ws2test::enum_protocols_w();
    DWORD len = 0;
    WSAEnumProtocolsA(nullptr, nullptr, &len);
    std::vector<WSAPROTOCOL_INFOA> narrow(len / sizeof(WSAPROTOCOL_INFOA));
    ASSERT_EQ(WSAEnumProtocolsA(nullptr, narrow.data(), &len), static_cast<int>(wide.size()));
    for (std::size_t i = 0; i < wide.size(); ++i) {
        EXPECT_EQ(std::memcmp(&narrow[i], &wide[i], offsetof(WSAPROTOCOL_INFOW, szProtocol)), 0);
        std::wstring name = ws2test::name_of(wide[i]);
        EXPECT_EQ(std::string(narrow[i].szProtocol), std::string(name.begin(), name.end()));
    }
}

TEST_F(WinsockTest, EnumProtocolsFilterMatchesListedProtocolsOnly) {
    int tcp_udp[] = {0xdead, IPPROTO_TCP, 0xcafe, IPPROTO_UDP, 0xbeef, 0};
    auto got = ws2test::enum_protocols_w(tcp_udp);
    ASSERT_EQ(got.size(), 4u);
    for (auto &e : got) EXPECT_TRUE(e.iProtocol == IPPROTO_TCP || e.iProtocol == IPPROTO_UDP);

    int tcp[] = {IPPROTO_TCP, IPPROTO_IP};
    got = ws2test::enum_protocols_w(tcp);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].iAddressFamily, AF_INET6) << "IPv6 comes first, as on Windows 10/11";

    // Only the hidden RAW entries serve ICMP: nothing is listed and nothing is needed.
    int icmp[] = {IPPROTO_ICMP, 0};
    DWORD len = 0;
    EXPECT_EQ(WSAEnumProtocolsW(icmp, nullptr, &len), 0);
}

TEST_F(WinsockTest, EnumProtocolsFaultsOnBadPointers) {
    ws2test::arm_last_error();
    EXPECT_EQ(WSAEnumProtocolsW(nullptr, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);

    DWORD len = 1 << 20;
    auto *bad_filter = static_cast<int *>(ws2test::inaccessible_page());
    EXPECT_EQ(WSAEnumProtocolsW(bad_filter, nullptr, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);

    auto *bad_buffer = static_cast<WSAPROTOCOL_INFOW *>(ws2test::inaccessible_page());
    EXPECT_EQ(WSAEnumProtocolsW(nullptr, bad_buffer, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);

    auto *bad_len = static_cast<DWORD *>(ws2test::inaccessible_page());
    EXPECT_EQ(WSAEnumProtocolsA(nullptr, nullptr, bad_len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST(Catalog, WSCGetProviderPathReturnsTheStoredPath) {
    GUID id = kV4;
    WCHAR path[MAX_PATH];
    int len = MAX_PATH, err = 0;
    ASSERT_EQ(WSCGetProviderPath(&id, path, &len, &err), 0);
    EXPECT_STREQ(path, L"%SystemRoot%\\system32\\mswsock.dll");

    int small = 4;
    EXPECT_EQ(WSCGetProviderPath(&id, path, &small, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT);
    EXPECT_EQ(small, static_cast<int>(std::wcslen(L"%SystemRoot%\\system32\\mswsock.dll") + 1));

    GUID unknown = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
    EXPECT_EQ(WSCGetProviderPath(&unknown, path, &len, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEINVAL);
    // NULL names no provider: WSAEINVAL, the code Windows documents for that.
    EXPECT_EQ(WSCGetProviderPath(nullptr, path, &len, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEINVAL);
}

TEST(Catalog, WSCEnumProtocolsReportsErrorsThroughLpErrno) {
    int err = 0;
    DWORD len = 0;
    EXPECT_EQ(WSCEnumProtocols(nullptr, nullptr, &len, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAENOBUFS);
    EXPECT_EQ(len, 7 * sizeof(WSAPROTOCOL_INFOW));
    EXPECT_EQ(WSCEnumProtocols(nullptr, nullptr, nullptr, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT);
}

}  // namespace
