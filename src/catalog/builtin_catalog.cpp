// Field values are those Windows 10/11 reports (netsh winsock show catalog, WSAEnumProtocols,
// SO_PROTOCOL_INFO; see shared/reference/windows-behaviour.md §2): the MSAFD Tcpip entries with
// their provider GUIDs, service flags 0x20066 (TCP) and 0x20609 (UDP, RAW), RAW entries hidden
// with protocol 0 and offset 255. Ids start at 1001 in the order of a freshly reset catalog;
// Windows puts Hyper-V and RSVP entries between RAW/IP and AF_UNIX, which ws2 does not have.
#include <winsock2.h>

#include <cwchar>

#include "catalog/catalog.h"

namespace ws2::catalog {
namespace {

constexpr GUID kTcpipV4Provider = {0xE70F1AA0, 0xAB8B, 0x11CF, {0x8C, 0xA3, 0x00, 0x80, 0x5F, 0x48, 0xA1, 0x92}};
constexpr GUID kTcpipV6Provider = {0xF9EAB0C0, 0x26D4, 0x11D0, {0xBB, 0xBF, 0x00, 0xAA, 0x00, 0x6C, 0x34, 0xE4}};
constexpr GUID kAfUnixProvider = {0xA00943D9, 0x9C2E, 0x4633, {0x9B, 0x59, 0x00, 0x57, 0xA3, 0x16, 0x09, 0x94}};

constexpr DWORD kTcpFlags = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE |
                            XP1_EXPEDITED_DATA | XP1_IFS_HANDLES;                      // 0x20066
constexpr DWORD kDatagramFlags = XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST |
                                 XP1_SUPPORT_MULTIPOINT | XP1_IFS_HANDLES;          // 0x20609
constexpr DWORD kUnixStreamFlags =
    XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_IFS_HANDLES;  // 0x20026

struct Row {
    const wchar_t *name;
    const GUID *provider;
    DWORD service_flags;
    DWORD provider_flags;
    int family, max_addr, min_addr, type, protocol, max_offset;
    DWORD message_size;
};

constexpr int kWinAfUnixMaxAddr = 110;  // sizeof(SOCKADDR_UN): family + 108-byte path

const Row kRows[] = {
    {L"MSAFD Tcpip [TCP/IPv6]", &kTcpipV6Provider, kTcpFlags, PFL_MATCHES_PROTOCOL_ZERO, AF_INET6, 28, 28, SOCK_STREAM, IPPROTO_TCP, 0, 0},
    {L"MSAFD Tcpip [UDP/IPv6]", &kTcpipV6Provider, kDatagramFlags, PFL_MATCHES_PROTOCOL_ZERO, AF_INET6, 28, 28, SOCK_DGRAM, IPPROTO_UDP, 0, 65527},
    {L"MSAFD Tcpip [RAW/IPv6]", &kTcpipV6Provider, kDatagramFlags, PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN, AF_INET6, 28, 28, SOCK_RAW, 0, 255, 65527},
    {L"MSAFD Tcpip [TCP/IP]", &kTcpipV4Provider, kTcpFlags, PFL_MATCHES_PROTOCOL_ZERO, AF_INET, 16, 16, SOCK_STREAM, IPPROTO_TCP, 0, 0},
    {L"MSAFD Tcpip [UDP/IP]", &kTcpipV4Provider, kDatagramFlags, PFL_MATCHES_PROTOCOL_ZERO, AF_INET, 16, 16, SOCK_DGRAM, IPPROTO_UDP, 0, 0xFFBB},
    {L"MSAFD Tcpip [RAW/IP]", &kTcpipV4Provider, kDatagramFlags, PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN, AF_INET, 16, 16, SOCK_RAW, 0, 255, 0x8000},
    {L"AF_UNIX", &kAfUnixProvider, kUnixStreamFlags, PFL_MATCHES_PROTOCOL_ZERO, AF_UNIX, kWinAfUnixMaxAddr, 2, SOCK_STREAM, 0, 0, 0},
};

Catalog make_builtin() {
    Catalog c;
    for (const Row &r : kRows) {
        Entry e;
        WSAPROTOCOL_INFOW &i = e.info;
        i.dwServiceFlags1 = r.service_flags;
        i.dwProviderFlags = r.provider_flags;
        i.ProviderId = *r.provider;
        i.dwCatalogEntryId = c.next_catalog_entry_id++;
        i.ProtocolChain.ChainLen = BASE_PROTOCOL;
        i.iVersion = 2;
        i.iAddressFamily = r.family;
        i.iMaxSockAddr = r.max_addr;
        i.iMinSockAddr = r.min_addr;
        i.iSocketType = r.type;
        i.iProtocol = r.protocol;
        i.iProtocolMaxOffset = r.max_offset;
        i.iNetworkByteOrder = BIGENDIAN;
        i.iSecurityScheme = SECURITY_PROTOCOL_NONE;
        i.dwMessageSize = r.message_size;
        std::wcsncpy(i.szProtocol, r.name, WSAPROTOCOL_LEN);
        e.provider_path = kBuiltinBaseProviderPath;
        c.entries.push_back(e);
    }
    return c;
}

}  // namespace

const Catalog &builtin_catalog() {
    static const Catalog catalog = make_builtin();
    return catalog;
}

}  // namespace ws2::catalog
