// The persistent catalog and its install API: WSCInstallProvider, WSCInstallProviderAndChains
// (and the 64_32 form), WSCDeinstallProvider, WSCUpdateProvider, WSCWriteProviderOrder,
// ws2_WSCResetCatalog, and WSCEnumProtocols / WSCGetProviderPath / WSAStartup reading the file.
// Every test works on its own catalog file (support/catalog_sandbox.h).
#include <sporder.h>
#include <ws2_catalog_reset.h>

#include <cstring>
#include <cwchar>
#include <string>
#include <vector>

#include "support/catalog_sandbox.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using ws2test::CatalogSandbox;
using ws2test::wsc_enum_protocols;

constexpr GUID kV4 = {0xE70F1AA0, 0xAB8B, 0x11CF, {0x8C, 0xA3, 0x00, 0x80, 0x5F, 0x48, 0xA1, 0x92}};
constexpr GUID kV6 = {0xF9EAB0C0, 0x26D4, 0x11D0, {0xBB, 0xBF, 0x00, 0xAA, 0x00, 0x6C, 0x34, 0xE4}};
constexpr GUID kUnix = {0xA00943D9, 0x9C2E, 0x4633, {0x9B, 0x59, 0x00, 0x57, 0xA3, 0x16, 0x09, 0x94}};
constexpr DWORD kTcp6 = 1001, kUdp6 = 1002, kTcp4 = 1004, kUdp4 = 1005;
constexpr DWORD kBuiltinCount = 7, kFirstFreeId = 1008;

GUID provider(unsigned n) { return GUID{0xC0FFEE00u + n, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}}; }

WCHAR kPath[] = L"/usr/lib/ws2/providers/libexample.so";

bool same_guid(const GUID &a, const GUID &b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// A copy of an installed entry, to install again under another name and chain.
WSAPROTOCOL_INFOW entry_info(DWORD id) {
    for (const WSAPROTOCOL_INFOW &i : wsc_enum_protocols())
        if (i.dwCatalogEntryId == id) return i;
    ADD_FAILURE() << "no entry " << id;
    return {};
}

WSAPROTOCOL_INFOW info_named(DWORD copy_of, const wchar_t *name, int chain_len,
                             std::initializer_list<DWORD> chain = {}) {
    WSAPROTOCOL_INFOW info = entry_info(copy_of);
    std::wcsncpy(info.szProtocol, name, WSAPROTOCOL_LEN);
    info.ProtocolChain.ChainLen = chain_len;
    int k = 0;
    for (DWORD id : chain) info.ProtocolChain.ChainEntries[k++] = id;
    return info;
}

int install(const GUID &id, std::vector<WSAPROTOCOL_INFOW> infos, int *err, WCHAR *path = kPath) {
    GUID copy = id;
    return WSCInstallProvider(&copy, path, infos.data(), static_cast<DWORD>(infos.size()), err);
}

int deinstall(const GUID &id, int *err) {
    GUID copy = id;
    return WSCDeinstallProvider(&copy, err);
}

std::vector<DWORD> ids() {
    std::vector<DWORD> out;
    for (const WSAPROTOCOL_INFOW &i : wsc_enum_protocols()) out.push_back(i.dwCatalogEntryId);
    return out;
}

std::vector<DWORD> ids_of(const GUID &id) {
    std::vector<DWORD> out;
    for (const WSAPROTOCOL_INFOW &i : wsc_enum_protocols())
        if (same_guid(i.ProviderId, id)) out.push_back(i.dwCatalogEntryId);
    return out;
}

std::wstring provider_path(const GUID &id) {
    GUID copy = id;
    WCHAR path[MAX_PATH] = {};
    int len = MAX_PATH, err = 0;
    if (WSCGetProviderPath(&copy, path, &len, &err) != 0) return L"<error " + std::to_wstring(err) + L">";
    return path;
}

// ---------------------------------------------------------------------------------------------
// WSCInstallProvider

TEST(CatalogInstall, InstallAppendsEntriesWithFreshIdsAndThePath) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(1), {info_named(kTcp4, L"Example [TCP]", BASE_PROTOCOL),
                                    info_named(kUdp4, L"Example [UDP]", BASE_PROTOCOL)},
                      &err),
              0);
    std::vector<WSAPROTOCOL_INFOW> all = wsc_enum_protocols();
    ASSERT_EQ(all.size(), kBuiltinCount + 2);
    EXPECT_EQ(all[7].dwCatalogEntryId, kFirstFreeId);
    EXPECT_EQ(all[8].dwCatalogEntryId, kFirstFreeId + 1);
    EXPECT_TRUE(same_guid(all[7].ProviderId, provider(1)));
    EXPECT_STREQ(all[8].szProtocol, L"Example [UDP]");
    EXPECT_EQ(all[8].iSocketType, SOCK_DGRAM);
    EXPECT_EQ(provider_path(provider(1)), kPath);
    EXPECT_TRUE(sandbox.exists());
}

TEST(CatalogInstall, InstallRejectsBadArgumentsWithTheDocumentedCodeAndChangesNothing) {
    CatalogSandbox sandbox;
    WSAPROTOCOL_INFOW good = info_named(kTcp4, L"Example", BASE_PROTOCOL);
    WSAPROTOCOL_INFOW unterminated = good;
    std::wmemset(unterminated.szProtocol, L'x', WSAPROTOCOL_LEN + 1);
    WSAPROTOCOL_INFOW chain_too_long = good;
    chain_too_long.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN + 1;
    WSAPROTOCOL_INFOW chain_negative = good;
    chain_negative.ProtocolChain.ChainLen = -1;
    WSAPROTOCOL_INFOW chain_to_nothing = info_named(kTcp4, L"Chain", 2, {4242, kTcp4});
    WSAPROTOCOL_INFOW chain_base_first = info_named(kTcp4, L"Chain", 2, {kTcp4, kTcp4});
    std::wstring long_path(260, L'a');
    std::wstring max_path(259, L'a');
    void *bad = ws2test::inaccessible_page();
    GUID id = provider(2);

    struct Case {
        const char *what;
        LPGUID guid;
        const WCHAR *path;
        WSAPROTOCOL_INFOW *list;
        DWORD count;
        int expected;
    } cases[] = {
        {"NULL provider id", nullptr, kPath, &good, 1, WSAEINVAL},
        {"unreadable provider id", static_cast<LPGUID>(bad), kPath, &good, 1, WSAEFAULT},
        {"NULL path", &id, nullptr, &good, 1, WSAEINVAL},
        {"empty path", &id, L"", &good, 1, WSAEINVAL},
        {"path longer than MAX_PATH", &id, long_path.c_str(), &good, 1, WSAEINVAL},
        {"unreadable path", &id, static_cast<const WCHAR *>(bad), &good, 1, WSAEFAULT},
        {"NULL list", &id, kPath, nullptr, 1, WSAEINVAL},
        {"no entries", &id, kPath, &good, 0, WSAEINVAL},
        {"unreadable list", &id, kPath, static_cast<WSAPROTOCOL_INFOW *>(bad), 1, WSAEFAULT},
        {"unterminated szProtocol", &id, kPath, &unterminated, 1, WSAEINVAL},
        {"ChainLen past MAX_PROTOCOL_CHAIN", &id, kPath, &chain_too_long, 1, WSAEINVAL},
        {"negative ChainLen", &id, kPath, &chain_negative, 1, WSAEINVAL},
        {"chain naming no installed entry", &id, kPath, &chain_to_nothing, 1, WSAEINVAL},
        {"chain with a base on top", &id, kPath, &chain_base_first, 1, WSAEINVAL},
    };
    for (const Case &c : cases) {
        int err = 0;
        EXPECT_EQ(WSCInstallProvider(c.guid, c.path, c.list, c.count, &err), SOCKET_ERROR) << c.what;
        EXPECT_EQ(err, c.expected) << c.what;
    }
    EXPECT_FALSE(sandbox.exists()) << "a failed install wrote the catalog";

    int err = 0;
    EXPECT_EQ(WSCInstallProvider(&id, max_path.c_str(), &good, 1, &err), 0) << "259 characters fit";
}

TEST(CatalogInstall, InstallWithoutUsableErrnoDoesNothing) {
    CatalogSandbox sandbox;
    GUID id = provider(3);
    WSAPROTOCOL_INFOW info = info_named(kTcp4, L"Example", BASE_PROTOCOL);
    EXPECT_EQ(WSCInstallProvider(&id, kPath, &info, 1, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSCInstallProvider(&id, kPath, &info, 1, static_cast<LPINT>(ws2test::inaccessible_page())),
              SOCKET_ERROR);
    EXPECT_FALSE(sandbox.exists());
}

TEST(CatalogInstall, AnAlreadyInstalledProviderIsWsaNoRecovery) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(4), {info_named(kTcp4, L"Example", BASE_PROTOCOL)}, &err), 0);
    std::string before = sandbox.text();
    EXPECT_EQ(install(provider(4), {info_named(kUdp4, L"Again", BASE_PROTOCOL)}, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSANO_RECOVERY);
    EXPECT_EQ(install(kV4, {info_named(kUdp4, L"Built-in id", BASE_PROTOCOL)}, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSANO_RECOVERY);
    EXPECT_EQ(sandbox.text(), before);
}

TEST(CatalogInstall, ChainsOnlyAfterTheirComponentsAndNoLayerTwice) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(5), {info_named(kTcp4, L"Layer", LAYERED_PROTOCOL)}, &err), 0);
    DWORD layer = ids_of(provider(5)).at(0);
    // Components installed: the chain goes in, layer on top and base last.
    ASSERT_EQ(install(provider(6), {info_named(kTcp4, L"Layer over TCP", 2, {layer, kTcp4})}, &err), 0);
    EXPECT_EQ(entry_info(ids_of(provider(6)).at(0)).ProtocolChain.ChainEntries[1], kTcp4);

    struct Case {
        const char *what;
        WSAPROTOCOL_INFOW info;
    } cases[] = {
        {"the same layer twice", info_named(kTcp4, L"Twice", 3, {layer, layer, kTcp4})},
        {"a base first", info_named(kTcp4, L"Upside down", 2, {kTcp4, layer})},
        {"a chain as a component", info_named(kTcp4, L"Chain in chain", 2, {layer, ids_of(provider(6))[0]})},
        {"a component not installed yet", info_named(kTcp4, L"Early", 2, {kFirstFreeId + 2, kTcp4})},
    };
    for (const Case &c : cases) {
        EXPECT_EQ(install(provider(7), {c.info}, &err), SOCKET_ERROR) << c.what;
        EXPECT_EQ(err, WSAEINVAL) << c.what;
    }
}

// ---------------------------------------------------------------------------------------------
// WSCDeinstallProvider

TEST(CatalogInstall, DeinstallRemovesEveryEntryOfTheProvider) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(8), {info_named(kTcp4, L"A", BASE_PROTOCOL), info_named(kUdp4, L"B", BASE_PROTOCOL)},
                      &err),
              0);
    ASSERT_EQ(deinstall(provider(8), &err), 0);
    EXPECT_TRUE(ids_of(provider(8)).empty());
    EXPECT_EQ(wsc_enum_protocols().size(), kBuiltinCount);
}

TEST(CatalogInstall, DeinstallErrors) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(9), {info_named(kTcp4, L"Layer", LAYERED_PROTOCOL)}, &err), 0);
    DWORD layer = ids_of(provider(9)).at(0);
    ASSERT_EQ(install(provider(10), {info_named(kTcp4, L"Chain", 2, {layer, kTcp4})}, &err), 0);
    std::string before = sandbox.text();

    EXPECT_EQ(deinstall(provider(99), &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEINVAL) << "unknown provider";
    EXPECT_EQ(WSCDeinstallProvider(nullptr, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEINVAL) << "NULL provider";
    EXPECT_EQ(WSCDeinstallProvider(static_cast<LPGUID>(ws2test::inaccessible_page()), &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "unreadable provider id";
    // The layer is a component of another provider's chain: removing it would break the chain.
    EXPECT_EQ(deinstall(provider(9), &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEINVAL);
    GUID id = provider(10);
    EXPECT_EQ(WSCDeinstallProvider(&id, nullptr), SOCKET_ERROR);
    EXPECT_EQ(sandbox.text(), before);
    // Chain first, then its layer.
    EXPECT_EQ(deinstall(provider(10), &err), 0);
    EXPECT_EQ(deinstall(provider(9), &err), 0);
}

TEST(CatalogInstall, IdsAreNeverReusedNotEvenAcrossAReset) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(11), {info_named(kTcp4, L"A", BASE_PROTOCOL)}, &err), 0);
    EXPECT_EQ(ids_of(provider(11)), std::vector<DWORD>{kFirstFreeId});
    ASSERT_EQ(deinstall(provider(11), &err), 0);
    ASSERT_EQ(install(provider(12), {info_named(kTcp4, L"B", BASE_PROTOCOL)}, &err), 0);
    EXPECT_EQ(ids_of(provider(12)), std::vector<DWORD>{kFirstFreeId + 1});
    ASSERT_EQ(ws2_WSCResetCatalog(&err), 0);
    EXPECT_EQ(ids(), (std::vector<DWORD>{1001, 1002, 1003, 1004, 1005, 1006, 1007}));
    ASSERT_EQ(install(provider(11), {info_named(kTcp4, L"A again", BASE_PROTOCOL)}, &err), 0);
    EXPECT_EQ(ids_of(provider(11)), std::vector<DWORD>{kFirstFreeId + 2});
}

// ---------------------------------------------------------------------------------------------
// No right to write the catalog: WSANO_RECOVERY from every writer, and nothing changes.

TEST(CatalogInstall, ACallerWhoCannotWriteTheCatalogGetsWsaNoRecovery) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(13), {info_named(kTcp4, L"A", BASE_PROTOCOL)}, &err), 0);
    std::string before = sandbox.text();
    // The directory stays root's (0755): a process that is not root cannot create the lock or
    // the new file there. As root we drop to nobody in a child; otherwise we remove our own
    // write permission.
    namespace fs = std::filesystem;
    bool as_root = ws2test::running_as_root();
    fs::permissions(sandbox.dir(), as_root ? fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                                 fs::perms::others_read | fs::perms::others_exec
                                           : fs::perms::owner_read | fs::perms::owner_exec);
    int status = ws2test::run_in_child([&] {
        if (as_root && !ws2test::drop_root_privileges()) return 100;
        int e = 0, failures = 0;
        auto expect = [&](int rc, int code) { failures += !(rc != 0 && e == code); };
        expect(install(provider(14), {info_named(kTcp4, L"B", BASE_PROTOCOL)}, &e), WSANO_RECOVERY);
        expect(deinstall(provider(13), &e), WSANO_RECOVERY);
        WSAPROTOCOL_INFOW update = entry_info(kFirstFreeId);
        GUID id = provider(13);
        expect(WSCUpdateProvider(&id, kPath, &update, 1, &e), WSANO_RECOVERY);
        std::vector<DWORD> order = ids();
        e = WSCWriteProviderOrder(order.data(), static_cast<DWORD>(order.size()));
        failures += e != WSANO_RECOVERY;
        expect(ws2_WSCResetCatalog(&e), WSANO_RECOVERY);
        GUID layer = provider(15);
        DWORD layer_id = 0;
        expect(WSCInstallProviderAndChains(&layer, kPath, const_cast<LPWSTR>(L"Layer"), XP1_IFS_HANDLES,
                                           nullptr, 0, &layer_id, &e),
               WSANO_RECOVERY);
        // Reading still works.
        failures += wsc_enum_protocols().size() != kBuiltinCount + 1;
        return failures;
    });
    EXPECT_EQ(status, 0);
    EXPECT_EQ(sandbox.text(), before);
}

// ---------------------------------------------------------------------------------------------
// WSCEnumProtocols and WSCGetProviderPath on an installed catalog

TEST(CatalogInstall, WSCEnumProtocolsShowsLayeredAndHiddenEntriesWithItsErrors) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(16), {info_named(kTcp4, L"Layer", LAYERED_PROTOCOL)}, &err), 0);
    DWORD len = 0;
    EXPECT_EQ(WSCEnumProtocols(nullptr, nullptr, &len, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAENOBUFS);
    EXPECT_EQ(len, (kBuiltinCount + 1) * sizeof(WSAPROTOCOL_INFOW));
    std::vector<WSAPROTOCOL_INFOW> buffer(kBuiltinCount + 1);
    DWORD short_len = len - 1;
    EXPECT_EQ(WSCEnumProtocols(nullptr, buffer.data(), &short_len, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAENOBUFS);
    EXPECT_EQ(short_len, len);
    ASSERT_EQ(WSCEnumProtocols(nullptr, buffer.data(), &len, &err), static_cast<int>(kBuiltinCount + 1));
    EXPECT_EQ(buffer.back().ProtocolChain.ChainLen, LAYERED_PROTOCOL);
    EXPECT_TRUE(buffer[2].dwProviderFlags & PFL_HIDDEN);

    EXPECT_EQ(WSCEnumProtocols(nullptr, buffer.data(), nullptr, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "NULL length";
    EXPECT_EQ(WSCEnumProtocols(nullptr, static_cast<LPWSAPROTOCOL_INFOW>(ws2test::inaccessible_page()), &len,
                               &err),
              SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "unwritable buffer";
    EXPECT_EQ(WSCEnumProtocols(static_cast<LPINT>(ws2test::inaccessible_page()), buffer.data(), &len, &err),
              SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "unreadable filter";
    EXPECT_EQ(WSCEnumProtocols(nullptr, buffer.data(), &len, nullptr), SOCKET_ERROR) << "no lpErrno";
}

TEST(CatalogInstall, WSCGetProviderPathReturnsTheInstalledPathUnexpanded) {
    CatalogSandbox sandbox;
    int err = 0;
    WCHAR with_variable[] = L"%WS2_PROVIDERS%\\libexample.so";
    ASSERT_EQ(install(provider(17), {info_named(kTcp4, L"A", BASE_PROTOCOL)}, &err, with_variable), 0);
    EXPECT_EQ(provider_path(provider(17)), with_variable);

    GUID id = provider(17);
    WCHAR path[MAX_PATH];
    int len = 3;
    EXPECT_EQ(WSCGetProviderPath(&id, path, &len, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "length too small";
    EXPECT_EQ(len, static_cast<int>(std::wcslen(with_variable) + 1));
    EXPECT_EQ(WSCGetProviderPath(&id, nullptr, &len, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "NULL path";
    EXPECT_EQ(WSCGetProviderPath(&id, path, nullptr, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "NULL length";
    len = MAX_PATH;
    EXPECT_EQ(WSCGetProviderPath(&id, static_cast<WCHAR *>(ws2test::inaccessible_page()), &len, &err),
              SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "unwritable path";
    EXPECT_EQ(WSCGetProviderPath(static_cast<LPGUID>(ws2test::inaccessible_page()), path, &len, &err),
              SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT) << "unreadable provider id";
    GUID gone = provider(18);
    EXPECT_EQ(WSCGetProviderPath(&gone, path, &len, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEINVAL) << "unknown provider";
    EXPECT_EQ(WSCGetProviderPath(&id, path, &len, nullptr), SOCKET_ERROR) << "no lpErrno";
}

// ---------------------------------------------------------------------------------------------
// A process sees a changed catalog at its next WSAStartup from zero, not during a session.

TEST(CatalogInstall, ASessionKeepsItsCatalogAndTheNextStartupSeesTheChange) {
    CatalogSandbox sandbox;
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    std::size_t visible = ws2test::enum_protocols_w().size();
    int err = 0;
    GUID layer = provider(19);
    WSAPROTOCOL_INFOW tcp4 = entry_info(kTcp4);
    ASSERT_EQ(WSCInstallProviderAndChains(&layer, kPath, const_cast<LPWSTR>(L"Session layer"),
                                          XP1_IFS_HANDLES, &tcp4, 1, nullptr, &err),
              0);
    EXPECT_EQ(ws2test::enum_protocols_w().size(), visible) << "the open session changed";
    EXPECT_EQ(wsc_enum_protocols().size(), kBuiltinCount);
    // A nested WSAStartup is not a start from zero.
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    EXPECT_EQ(ws2test::enum_protocols_w().size(), visible);
    ASSERT_EQ(WSACleanup(), 0);
    ASSERT_EQ(WSACleanup(), 0);

    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    std::vector<WSAPROTOCOL_INFOW> now = ws2test::enum_protocols_w();
    ASSERT_EQ(now.size(), visible + 1) << "the chain is visible, its layered entry is not";
    EXPECT_STREQ(now[0].szProtocol, L"Session layer over [MSAFD Tcpip [TCP/IP]]");
    EXPECT_EQ(wsc_enum_protocols().size(), kBuiltinCount + 2);
    ASSERT_EQ(WSACleanup(), 0);
}

// ---------------------------------------------------------------------------------------------
// A damaged catalog file: WSAStartup fails with WSASYSNOTREADY and says why; nothing crashes.

TEST(CatalogInstall, ADamagedCatalogFileIsReportedAndRefused) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(20), {info_named(kTcp4, L"A", BASE_PROTOCOL)}, &err), 0);
    const std::string good = sandbox.text();
    auto replaced = [&](const std::string &from, const std::string &to) {
        std::string text = good;
        std::size_t at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return at == std::string::npos ? text : text.replace(at, from.size(), to);
    };
    struct Case {
        const char *what;
        std::string text;
        const char *said;  // part of the reason the library gives
    } cases[] = {
        {"garbage", "\x7f" "ELF\x01\x02 not a catalog", "not valid JSON"},
        {"empty file", "", "not valid JSON"},
        {"truncated JSON", good.substr(0, good.size() / 2), "not valid JSON"},
        {"top level not an object", "[1, 2, 3]", "not an object"},
        {"another format", replaced("\"format\": 1", "\"format\": 2"), "\"format\""},
        {"a field of the wrong type", replaced("\"iSocketType\": 1", "\"iSocketType\": \"stream\""),
         "\"iSocketType\""},
        {"a field missing", replaced("\"iProtocol\": 6,", ""), "\"iProtocol\" is missing"},
        {"a duplicate id", replaced("\"dwCatalogEntryId\": 1002", "\"dwCatalogEntryId\": 1001"),
         "appears twice"},
        {"an id not below next_catalog_entry_id",
         replaced("\"next_catalog_entry_id\": 1009", "\"next_catalog_entry_id\": 1005"),
         "next_catalog_entry_id"},
        {"a chain naming a missing entry",
         replaced("\"ChainLen\": 1,\n      \"ChainEntries\": [\n        0\n      ],",
                  "\"ChainLen\": 2,\n      \"ChainEntries\": [1001, 4242],"),
         "names missing entry 4242"},
        {"a bad GUID", replaced("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", "{E70F1AA0}"), "\"ProviderId\""},
    };
    WSAPROTOCOL_INFOW other = info_named(kTcp4, L"B", BASE_PROTOCOL);
    for (const Case &c : cases) {
        sandbox.write(c.text);
        testing::internal::CaptureStderr();
        WSADATA data;
        EXPECT_EQ(WSAStartup(MAKEWORD(2, 2), &data), WSASYSNOTREADY) << c.what;
        std::string said = testing::internal::GetCapturedStderr();
        EXPECT_NE(said.find(sandbox.path()), std::string::npos) << c.what << ": " << said;
        EXPECT_NE(said.find(c.said), std::string::npos) << c.what << ": " << said;
        EXPECT_EQ(WSACleanup(), SOCKET_ERROR) << c.what << ": the failed startup counted";

        testing::internal::CaptureStderr();
        DWORD len = 0;
        EXPECT_EQ(WSCEnumProtocols(nullptr, nullptr, &len, &err), SOCKET_ERROR) << c.what;
        EXPECT_EQ(err, WSANO_RECOVERY) << c.what;
        EXPECT_EQ(install(provider(21), {other}, &err), SOCKET_ERROR);
        EXPECT_EQ(err, WSANO_RECOVERY) << c.what << ": a writer must not overwrite a damaged file";
        testing::internal::GetCapturedStderr();
        EXPECT_EQ(sandbox.text(), c.text) << c.what;
    }
}

TEST(CatalogInstall, ResetRepairsADamagedFileAndKeepsIdsUnique) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(22), {info_named(kTcp4, L"A", BASE_PROTOCOL)}, &err), 0);
    // Damaged, but the next id can still be read from it.
    std::string text = sandbox.text();
    text.replace(text.find("\"iSocketType\": 1"), 16, "\"iSocketType\": []");
    sandbox.write(text);
    testing::internal::CaptureStderr();
    EXPECT_EQ(ws2_WSCResetCatalog(&err), 0);
    testing::internal::GetCapturedStderr();
    EXPECT_EQ(wsc_enum_protocols().size(), kBuiltinCount);
    ASSERT_EQ(install(provider(23), {info_named(kTcp4, L"B", BASE_PROTOCOL)}, &err), 0);
    EXPECT_EQ(ids_of(provider(23)), std::vector<DWORD>{kFirstFreeId + 1});

    // Nothing readable at all: back to the built-in catalog.
    sandbox.write("garbage");
    testing::internal::CaptureStderr();
    EXPECT_EQ(ws2_WSCResetCatalog(&err), 0);
    testing::internal::GetCapturedStderr();
    EXPECT_EQ(ids(), (std::vector<DWORD>{1001, 1002, 1003, 1004, 1005, 1006, 1007}));
    EXPECT_EQ(ws2_WSCResetCatalog(nullptr), SOCKET_ERROR);
}

// ---------------------------------------------------------------------------------------------
// WSCInstallProviderAndChains / WSCInstallProviderAndChains64_32

int install_layer(const GUID &id, const wchar_t *name, std::vector<WSAPROTOCOL_INFOW> over, DWORD *layer_id,
                  int *err, bool whole_catalog = false) {
    GUID copy = id;
    return WSCInstallProviderAndChains64_32(&copy, kPath, kPath, const_cast<LPWSTR>(name), XP1_IFS_HANDLES,
                                            whole_catalog ? nullptr : over.data(),
                                            static_cast<DWORD>(over.size()), layer_id, err);
}

TEST(CatalogInstall, AndChainsPutsTheLayerAndOneChainPerProtocolAtTheFront) {
    CatalogSandbox sandbox;
    int err = 0;
    DWORD layer = 0;
    // TCP/IPv4 twice: duplicates are ignored. Only af, type and protocol count.
    WSAPROTOCOL_INFOW tcp4 = entry_info(kTcp4), udp6 = entry_info(kUdp6), tcp4_again = tcp4;
    tcp4_again.dwServiceFlags1 = 0;
    ASSERT_EQ(install_layer(provider(30), L"Pass", {tcp4, udp6, tcp4_again}, &layer, &err), 0);
    EXPECT_EQ(layer, kFirstFreeId);
    std::vector<WSAPROTOCOL_INFOW> all = wsc_enum_protocols();
    ASSERT_EQ(all.size(), kBuiltinCount + 3);
    EXPECT_EQ(all[0].dwCatalogEntryId, layer);
    EXPECT_EQ(all[0].ProtocolChain.ChainLen, LAYERED_PROTOCOL);
    EXPECT_EQ(all[0].dwServiceFlags1, static_cast<DWORD>(XP1_IFS_HANDLES));
    EXPECT_STREQ(all[0].szProtocol, L"Pass");
    EXPECT_EQ(all[1].ProtocolChain.ChainLen, 2);
    EXPECT_EQ(all[1].ProtocolChain.ChainEntries[0], layer);
    EXPECT_EQ(all[1].ProtocolChain.ChainEntries[1], kTcp4);
    EXPECT_EQ(all[1].iAddressFamily, AF_INET);
    EXPECT_EQ(all[1].dwServiceFlags1, tcp4.dwServiceFlags1);
    EXPECT_EQ(all[2].ProtocolChain.ChainEntries[1], kUdp6);
    EXPECT_STREQ(all[2].szProtocol, L"Pass over [MSAFD Tcpip [UDP/IPv6]]");
    for (int k = 0; k < 3; ++k) EXPECT_TRUE(same_guid(all[k].ProviderId, provider(30)));
    EXPECT_EQ(provider_path(provider(30)), kPath);

    // A second layer goes over the first one's chain: [second, first, base].
    ASSERT_EQ(install_layer(provider(31), L"Outer", {tcp4}, &layer, &err), 0);
    all = wsc_enum_protocols();
    EXPECT_EQ(all[1].ProtocolChain.ChainLen, 3);
    EXPECT_EQ(all[1].ProtocolChain.ChainEntries[0], layer);
    EXPECT_EQ(all[1].ProtocolChain.ChainEntries[1], kFirstFreeId);
    EXPECT_EQ(all[1].ProtocolChain.ChainEntries[2], kTcp4);

    // Removing the provider removes the layer and its chains together.
    ASSERT_EQ(deinstall(provider(31), &err), 0);
    ASSERT_EQ(deinstall(provider(30), &err), 0);
    EXPECT_EQ(ids(), (std::vector<DWORD>{1001, 1002, 1003, 1004, 1005, 1006, 1007}));
}

TEST(CatalogInstall, AndChainsWithoutAListLayersOverEveryDistinctBaseProtocol) {
    CatalogSandbox sandbox;
    int err = 0;
    DWORD layer = 0;
    // A second TCP/IPv4 base entry is an inaccessible duplicate: no chain over it.
    ASSERT_EQ(install(provider(32), {info_named(kTcp4, L"Shadow TCP", BASE_PROTOCOL)}, &err), 0);
    ASSERT_EQ(install_layer(provider(33), L"Everything", {}, &layer, &err, true), 0);
    std::vector<WSAPROTOCOL_INFOW> all = wsc_enum_protocols();
    ASSERT_EQ(all.size(), kBuiltinCount + 1 + 1 + kBuiltinCount);
    for (DWORD k = 1; k <= kBuiltinCount; ++k) {
        EXPECT_EQ(all[k].ProtocolChain.ChainLen, 2);
        EXPECT_EQ(all[k].ProtocolChain.ChainEntries[1], 1000 + k);
    }
}

TEST(CatalogInstall, AndChainsErrors) {
    CatalogSandbox sandbox;
    int err = 0;
    DWORD layer = 0;
    WSAPROTOCOL_INFOW tcp4 = entry_info(kTcp4);
    WSAPROTOCOL_INFOW nothing = tcp4;
    nothing.iProtocol = 99;
    ASSERT_EQ(install_layer(provider(34), L"Taken", {tcp4}, &layer, &err), 0);
    std::string before = sandbox.text();
    std::wstring long_path(260, L'p'), long_name(WSAPROTOCOL_LEN + 1, L'n');
    void *bad = ws2test::inaccessible_page();
    GUID fresh = provider(35), taken = provider(34);
    LPWSTR name = const_cast<LPWSTR>(L"Fresh");

    struct Case {
        const char *what;
        LPGUID guid;
        const WCHAR *path, *path32;
        const WCHAR *name;
        WSAPROTOCOL_INFOW *list;
        DWORD count;
        LPDWORD id;
        int expected;
    } cases[] = {
        {"NULL provider id", nullptr, kPath, kPath, name, &tcp4, 1, &layer, WSAEINVAL},
        {"unreadable provider id", static_cast<LPGUID>(bad), kPath, kPath, name, &tcp4, 1, &layer, WSAEFAULT},
        {"NULL path", &fresh, nullptr, kPath, name, &tcp4, 1, &layer, WSAEINVAL},
        {"path past MAX_PATH", &fresh, long_path.c_str(), kPath, name, &tcp4, 1, &layer, WSAEINVAL},
        {"unreadable path", &fresh, static_cast<WCHAR *>(bad), kPath, name, &tcp4, 1, &layer, WSAEFAULT},
        {"NULL 32-bit path, library outside %windir%\\system32", &fresh, kPath, nullptr, name, &tcp4, 1, &layer,
         WSAEINVAL},
        {"32-bit path past MAX_PATH", &fresh, kPath, long_path.c_str(), name, &tcp4, 1, &layer, WSAEINVAL},
        {"NULL name", &fresh, kPath, kPath, nullptr, &tcp4, 1, &layer, WSAEINVAL},
        {"name past WSAPROTOCOL_LEN", &fresh, kPath, kPath, long_name.c_str(), &tcp4, 1, &layer, WSAEINVAL},
        {"unreadable name", &fresh, kPath, kPath, static_cast<WCHAR *>(bad), &tcp4, 1, &layer, WSAEFAULT},
        {"a list with no entries", &fresh, kPath, kPath, name, &tcp4, 0, &layer, WSAEINVAL},
        {"unreadable list", &fresh, kPath, kPath, name, static_cast<WSAPROTOCOL_INFOW *>(bad), 1, &layer,
         WSAEFAULT},
        {"a provider id already installed", &taken, kPath, kPath, name, &tcp4, 1, &layer, WSAEINVAL},
        {"a layer name already installed", &fresh, kPath, kPath, L"Taken", &tcp4, 1, &layer, WSAEINVAL},
        {"no entry for (af, type, protocol)", &fresh, kPath, kPath, name, &nothing, 1, &layer, WSAEINVAL},
        {"unwritable catalog id", &fresh, kPath, kPath, name, &tcp4, 1, static_cast<LPDWORD>(bad), WSAEFAULT},
    };
    for (const Case &c : cases) {
        EXPECT_EQ(WSCInstallProviderAndChains64_32(c.guid, const_cast<LPWSTR>(c.path), const_cast<LPWSTR>(c.path32),
                                                   const_cast<LPWSTR>(c.name), XP1_IFS_HANDLES, c.list, c.count,
                                                   c.id, &err),
                  SOCKET_ERROR)
            << c.what;
        EXPECT_EQ(err, c.expected) << c.what;
    }
    EXPECT_EQ(WSCInstallProviderAndChains64_32(&fresh, kPath, kPath, name, XP1_IFS_HANDLES, &tcp4, 1, &layer,
                                               nullptr),
              SOCKET_ERROR)
        << "no lpErrno";
    EXPECT_EQ(sandbox.text(), before);

    // The 32-bit name checks the same things (it has no 32-bit path).
    EXPECT_EQ(WSCInstallProviderAndChains(&taken, kPath, name, XP1_IFS_HANDLES, &tcp4, 1, &layer, &err),
              SOCKET_ERROR);
    EXPECT_EQ(err, WSAEINVAL);
    // A NULL 32-bit path is fine for a library in %windir%\system32, and the id is optional.
    WCHAR system_path[] = L"%WINDIR%\\System32\\layer.dll";
    EXPECT_EQ(WSCInstallProviderAndChains64_32(&fresh, system_path, nullptr, name, 0, &tcp4, 1, nullptr, &err), 0);
    // A non-IFS layer's chains do not promise IFS handles.
    EXPECT_EQ(wsc_enum_protocols()[1].dwServiceFlags1 & XP1_IFS_HANDLES, 0u);
}

TEST(CatalogInstall, AndChainsFailsWithWsaNoRecoveryWhenNoChainIsPossible) {
    CatalogSandbox sandbox;
    int err = 0;
    DWORD layer = 0;
    WSAPROTOCOL_INFOW tcp4 = entry_info(kTcp4);
    // Six layers stacked over TCP/IPv4 make a chain of seven: the seventh layer has no room.
    for (unsigned k = 0; k < MAX_PROTOCOL_CHAIN - 1; ++k) {
        std::wstring name = L"Layer " + std::to_wstring(k);
        ASSERT_EQ(install_layer(provider(40 + k), name.c_str(), {tcp4}, &layer, &err), 0) << k;
    }
    EXPECT_EQ(wsc_enum_protocols()[1].ProtocolChain.ChainLen, MAX_PROTOCOL_CHAIN);
    EXPECT_EQ(install_layer(provider(50), L"One too many", {tcp4}, &layer, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSANO_RECOVERY);

    // No base provider at all and no list: nothing to layer over.
    ws2_WSCResetCatalog(&err);
    ASSERT_EQ(deinstall(kV4, &err), 0);
    ASSERT_EQ(deinstall(kV6, &err), 0);
    ASSERT_EQ(deinstall(kUnix, &err), 0);
    EXPECT_EQ(install_layer(provider(51), L"Over nothing", {}, &layer, &err, true), SOCKET_ERROR);
    EXPECT_EQ(err, WSANO_RECOVERY);
}

// ---------------------------------------------------------------------------------------------
// WSCUpdateProvider

TEST(CatalogInstall, UpdateChangesTheProvidersEntriesInPlace) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(60), {info_named(kTcp4, L"Old name", BASE_PROTOCOL)}, &err), 0);
    WSAPROTOCOL_INFOW info = entry_info(kFirstFreeId);
    std::wcscpy(info.szProtocol, L"New name");
    info.dwMessageSize = 1234;
    GUID id = provider(60);
    WCHAR new_path[] = L"/opt/example/libexample2.so";
    ASSERT_EQ(WSCUpdateProvider(&id, new_path, &info, 1, &err), 0);
    WSAPROTOCOL_INFOW now = entry_info(kFirstFreeId);
    EXPECT_STREQ(now.szProtocol, L"New name");
    EXPECT_EQ(now.dwMessageSize, 1234u);
    EXPECT_EQ(ids().back(), kFirstFreeId) << "the entry keeps its id and place";
    EXPECT_EQ(provider_path(provider(60)), new_path);
}

TEST(CatalogInstall, UpdateErrors) {
    CatalogSandbox sandbox;
    int err = 0;
    ASSERT_EQ(install(provider(61), {info_named(kTcp4, L"Mine", BASE_PROTOCOL)}, &err), 0);
    std::string before = sandbox.text();
    WSAPROTOCOL_INFOW mine = entry_info(kFirstFreeId), not_mine = entry_info(kTcp4);
    WSAPROTOCOL_INFOW broken_chain = mine;
    broken_chain.ProtocolChain.ChainLen = 2;
    broken_chain.ProtocolChain.ChainEntries[0] = 4242;
    GUID id = provider(61), unknown = provider(62);
    void *bad = ws2test::inaccessible_page();
    struct Case {
        const char *what;
        LPGUID guid;
        const WCHAR *path;
        WSAPROTOCOL_INFOW *list;
        DWORD count;
        int expected;
    } cases[] = {
        {"NULL provider id", nullptr, kPath, &mine, 1, WSAEINVAL},
        {"unreadable provider id", static_cast<LPGUID>(bad), kPath, &mine, 1, WSAEFAULT},
        {"unknown provider", &unknown, kPath, &mine, 1, WSAEINVAL},
        {"an entry of another provider", &id, kPath, &not_mine, 1, WSAEINVAL},
        {"a chain naming a missing entry", &id, kPath, &broken_chain, 1, WSAEINVAL},
        {"NULL path", &id, nullptr, &mine, 1, WSAEINVAL},
        {"unreadable path", &id, static_cast<WCHAR *>(bad), &mine, 1, WSAEFAULT},
        {"NULL list", &id, kPath, nullptr, 1, WSAEINVAL},
        {"no entries", &id, kPath, &mine, 0, WSAEINVAL},
        {"unreadable list", &id, kPath, static_cast<WSAPROTOCOL_INFOW *>(bad), 1, WSAEFAULT},
    };
    for (const Case &c : cases) {
        EXPECT_EQ(WSCUpdateProvider(c.guid, c.path, c.list, c.count, &err), SOCKET_ERROR) << c.what;
        EXPECT_EQ(err, c.expected) << c.what;
    }
    EXPECT_EQ(WSCUpdateProvider(&id, kPath, &mine, 1, nullptr), SOCKET_ERROR);
    EXPECT_EQ(sandbox.text(), before);
}

// ---------------------------------------------------------------------------------------------
// WSCWriteProviderOrder

TEST(CatalogInstall, WriteProviderOrderTakesAFullPermutation) {
    CatalogSandbox sandbox;
    std::vector<DWORD> order = {1007, 1006, 1005, 1004, 1003, 1002, 1001};
    ASSERT_EQ(WSCWriteProviderOrder(order.data(), static_cast<DWORD>(order.size())), ERROR_SUCCESS);
    EXPECT_EQ(ids(), order);
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    EXPECT_EQ(ws2test::enum_protocols_w().front().iAddressFamily, AF_UNIX) << "the new priority order";
    ASSERT_EQ(WSACleanup(), 0);
}

TEST(CatalogInstall, WriteProviderOrderRefusesAnythingElseAndChangesNothing) {
    CatalogSandbox sandbox;
    std::vector<DWORD> order = {1007, 1006, 1005, 1004, 1003, 1002, 1001};
    ASSERT_EQ(WSCWriteProviderOrder(order.data(), static_cast<DWORD>(order.size())), 0);
    std::string before = sandbox.text();
    struct Case {
        const char *what;
        std::vector<DWORD> ids;
        DWORD count;
    } cases[] = {
        {"one missing", {1001, 1002, 1003, 1004, 1005, 1006}, 6},
        {"one twice", {1001, 1002, 1003, 1004, 1005, 1006, 1006}, 7},
        {"an unknown id", {1001, 1002, 1003, 1004, 1005, 1006, 4242}, 7},
        {"one too many", {1001, 1002, 1003, 1004, 1005, 1006, 1007, 1001}, 8},
    };
    for (Case &c : cases) {
        EXPECT_EQ(WSCWriteProviderOrder(c.ids.data(), c.count), WSAEINVAL) << c.what;
    }
    EXPECT_EQ(WSCWriteProviderOrder(nullptr, 7), WSAEINVAL) << "NULL array";
    EXPECT_EQ(WSCWriteProviderOrder(static_cast<LPDWORD>(ws2test::inaccessible_page()), 7), WSAEINVAL)
        << "unreadable array";
    EXPECT_EQ(WSCWriteProviderOrder(order.data(), 0), WSAEINVAL) << "no entries";
    EXPECT_EQ(sandbox.text(), before);
}

}  // namespace
