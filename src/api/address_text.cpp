// Addresses as text: inet_addr, inet_ntoa, inet_pton, InetPtonW, inet_ntop, InetNtopW (parsed
// and printed here with Windows' rules, names/ip_text.h), and WSAAddressToStringA/W and
// WSAStringToAddressA/W, which Windows routes to a transport provider: the one the caller's
// WSAPROTOCOL_INFO names, or the first catalog entry of the address family.
#include <winsock2.h>
#include <ws2tcpip.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "api/process.h"
#include "api/protocol_info_conversion.h"
#include "names/guard.h"
#include "names/ip_text.h"
#include "names/user_strings.h"
#include "spi/provider.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"
#include "win32/wide_string.h"

namespace ws2::api {
namespace {

// Every byte of a narrow string becomes one character: the parsers only accept ASCII.
std::wstring widen_bytes(const std::string &text) {
    std::wstring out;
    out.reserve(text.size());
    for (unsigned char c : text) out.push_back(c);
    return out;
}

// inet_pton / InetPtonW once the string is read: 1, 0, or -1 with the error in *err. The
// caller's buffer is updated as Windows' parser leaves it, even when the answer is 0.
int presentation_to_network(INT family, const std::wstring &text, PVOID buffer, int *err) {
    std::size_t terminator = 0;
    if (family == AF_INET) {
        std::uint8_t address[4];
        if (!names::parse_ipv4(text.c_str(), true, &terminator, address)) return 0;
        if (!win32::write_user(buffer, address, sizeof address)) return *err = WSAEFAULT, -1;
        return text[terminator] == 0 ? 1 : 0;
    }
    if (family == AF_INET6) {
        std::uint8_t before[16], address[16];
        if (!win32::read_user(before, buffer, sizeof before)) return *err = WSAEFAULT, -1;
        std::memcpy(address, before, sizeof address);
        bool ok = names::parse_ipv6(text.c_str(), &terminator, address);
        if (std::memcmp(before, address, sizeof address) != 0 &&
            !win32::write_user(buffer, address, sizeof address))
            return *err = WSAEFAULT, -1;
        return ok && text[terminator] == 0 ? 1 : 0;
    }
    *err = WSAEAFNOSUPPORT;
    return -1;
}

// inet_ntop / InetNtopW: the text, or false with the error in *err.
bool network_to_presentation(INT family, const VOID *address, std::string *text, DWORD *err) {
    std::uint8_t bytes[16];
    if (family == AF_INET) {
        if (!win32::read_user(bytes, address, 4)) return *err = ERROR_INVALID_PARAMETER, false;
        *text = names::format_ipv4(bytes, 0);
        return true;
    }
    if (family == AF_INET6) {
        if (!win32::read_user(bytes, address, 16)) return *err = ERROR_INVALID_PARAMETER, false;
        *text = names::format_ipv6(bytes, 0, 0);
        return true;
    }
    *err = WSAEAFNOSUPPORT;
    return false;
}

// The catalog entry whose provider converts: the one lpProtocolInfo names, or the first
// selectable entry of the family. WSAEINVAL when there is none, as ws2_32 answers.
int choose_provider(const WSAPROTOCOL_INFOW *info, int family, const catalog::Entry **entry,
                    spi::Provider **provider) {
    const catalog::Catalog *cat = process_catalog();
    if (cat == nullptr) return WSANOTINITIALISED;
    *entry = nullptr;
    if (info != nullptr) {
        *entry = cat->find_by_id(info->dwCatalogEntryId);
        if (*entry != nullptr && !(*entry)->selectable()) *entry = nullptr;
    } else {
        for (const catalog::Entry &e : cat->entries) {
            if (e.selectable() && e.info.iAddressFamily == family) {
                *entry = &e;
                break;
            }
        }
    }
    if (*entry == nullptr) return WSAEINVAL;
    int err = 0;
    *provider = spi::providers().acquire(**entry, &err);
    return *provider == nullptr ? (err != 0 ? err : WSAEPROVIDERFAILEDINIT) : 0;
}

// The size of the socket address structure of a family whose text forms Windows' TCP/IP
// providers handle (0 for others).
std::size_t structure_size(int family) {
    return family == AF_INET ? sizeof(SOCKADDR_IN) : family == AF_INET6 ? sizeof(SOCKADDR_IN6) : 0;
}

// Longest text handed to a provider; far beyond any address string.
constexpr DWORD kMaxAddressText = 4096;

template <class Char>
int address_to_string(LPSOCKADDR address, DWORD address_length, const WSAPROTOCOL_INFOW *info,
                      Char *out, LPDWORD out_length) {
    if (address == nullptr || address_length == 0 || out_length == nullptr) return WSAEINVAL;
    DWORD capacity = 0;
    if (!win32::read_user_value(&capacity, out_length)) return WSAEFAULT;
    // Only as much as the family's structure (a caller may claim more than it has).
    SOCKADDR_STORAGE local{};
    ADDRESS_FAMILY family = 0;
    if (address_length >= sizeof family && !win32::read_user_value(&family, &address->sa_family))
        return WSAEFAULT;
    std::size_t copy = std::min<std::size_t>(address_length, sizeof local);
    if (structure_size(family) != 0) copy = std::min(copy, structure_size(family));
    if (!win32::read_user(&local, address, copy)) return WSAEFAULT;

    const catalog::Entry *entry;
    spi::Provider *provider;
    if (int rc = choose_provider(info, local.ss_family, &entry, &provider)) return rc;

    DWORD length = std::min(capacity, kMaxAddressText);
    std::wstring buffer(std::max<DWORD>(length, 1), L'\0');
    int err = 0;
    int rc = provider->table.lpWSPAddressToString(
        reinterpret_cast<LPSOCKADDR>(&local), static_cast<DWORD>(copy),
        const_cast<WSAPROTOCOL_INFOW *>(&entry->info), buffer.data(), &length, &err);
    if (rc == SOCKET_ERROR) {
        if (err == WSAEFAULT && length > capacity && !win32::write_user_value(out_length, length))
            return WSAEFAULT;
        return err != 0 ? err : WSASYSCALLFAILURE;
    }
    std::wstring text(buffer.c_str());
    DWORD needed;
    bool written;
    if constexpr (sizeof(Char) == 1) {
        std::string narrow = win32::to_utf8(text);
        needed = static_cast<DWORD>(narrow.size() + 1);
        written = needed <= capacity && names::write_user_string(out, narrow);
    } else {
        needed = static_cast<DWORD>(text.size() + 1);
        written = needed <= capacity && names::write_user_string(out, text);
    }
    if (needed > capacity) {
        win32::write_user_value(out_length, needed);
        return WSAEFAULT;
    }
    if (!written || !win32::write_user_value(out_length, needed)) return WSAEFAULT;
    return 0;
}

int string_to_address(const std::wstring &text, INT family, const WSAPROTOCOL_INFOW *info,
                      LPSOCKADDR address, LPINT address_length) {
    INT capacity = 0;
    if (address_length == nullptr || !win32::read_user_value(&capacity, address_length))
        return WSAEFAULT;
    const catalog::Entry *entry;
    spi::Provider *provider;
    if (int rc = choose_provider(info, family, &entry, &provider)) return rc;

    // The provider works on a copy. Windows' providers clear the family's structure and parse
    // into it in place, so a failed string leaves what was read in the caller's buffer; that
    // part (and only that part: a caller may claim more room than it has) is copied back.
    SOCKADDR_STORAGE local{};
    const std::size_t window =
        address == nullptr ? 0 : std::min<std::size_t>(std::max(capacity, 0), sizeof local);
    const std::size_t kept = std::min(window, structure_size(family));
    if (kept > 0 && !win32::read_user(&local, address, kept)) return WSAEFAULT;
    SOCKADDR_STORAGE before = local;
    INT length = address == nullptr ? std::max(capacity, 0) : static_cast<INT>(window);
    std::wstring copy = text;
    int err = 0;
    int rc = provider->table.lpWSPStringToAddress(
        copy.data(), family, const_cast<WSAPROTOCOL_INFOW *>(&entry->info),
        address == nullptr ? nullptr : reinterpret_cast<LPSOCKADDR>(&local), &length, &err);
    if (rc == SOCKET_ERROR) {
        if (err == WSAEFAULT) {
            if (length > capacity && !win32::write_user_value(address_length, length)) return WSAEFAULT;
            return WSAEFAULT;
        }
        if (kept > 0 && std::memcmp(&before, &local, kept) != 0 &&
            !win32::write_user(address, &local, kept))
            return WSAEFAULT;
        return err != 0 ? err : WSASYSCALLFAILURE;
    }
    if (address == nullptr || length < 0 || static_cast<std::size_t>(length) > window ||
        !win32::write_user(address, &local, static_cast<std::size_t>(length)) ||
        !win32::write_user_value(address_length, length))
        return WSAEFAULT;
    return 0;
}

int fail(int code) {
    win32::set_last_error(static_cast<DWORD>(code));
    return SOCKET_ERROR;
}

thread_local char t_ntoa[16];

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT unsigned long WSAAPI inet_addr(const char *cp) {
    return names::guarded([&]() -> unsigned long {
        std::string text;
        if (cp == nullptr || !names::read_user_string(cp, &text)) {
            win32::set_last_error(WSAEFAULT);
            return INADDR_NONE;
        }
        std::uint32_t address;
        return names::parse_inet_addr(text.c_str(), &address) ? address : INADDR_NONE;
    }, static_cast<unsigned long>(INADDR_NONE));
}

WS2_EXPORT char *WSAAPI inet_ntoa(struct in_addr in) {
    const std::string text = names::format_ipv4(&in.S_un.S_un_b.s_b1, 0);
    std::memcpy(api::t_ntoa, text.c_str(), text.size() + 1);
    return api::t_ntoa;
}

WS2_EXPORT INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf) {
    return names::guarded([&]() -> INT {
        std::string text;
        if (pszAddrString == nullptr || pAddrBuf == nullptr ||
            !names::read_user_string(pszAddrString, &text))
            return api::fail(WSAEFAULT);
        int err = 0;
        int rc = api::presentation_to_network(Family, api::widen_bytes(text), pAddrBuf, &err);
        if (rc < 0) win32::set_last_error(static_cast<DWORD>(err));
        return rc;
    }, INT{-1});
}

// Unlike inet_pton, a string that is not an address also sets WSAEINVAL.
WS2_EXPORT INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf) {
    return names::guarded([&]() -> INT {
        std::wstring text;
        if (pszAddrString == nullptr || pAddrBuf == nullptr ||
            !names::read_user_string(pszAddrString, &text))
            return api::fail(WSAEFAULT);
        int err = 0;
        int rc = api::presentation_to_network(Family, text, pAddrBuf, &err);
        if (rc < 0) win32::set_last_error(static_cast<DWORD>(err));
        if (rc == 0) win32::set_last_error(WSAEINVAL);
        return rc;
    }, INT{-1});
}

WS2_EXPORT PCSTR WSAAPI inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf,
                                  size_t StringBufSize) {
    return names::guarded([&]() -> PCSTR {
        DWORD err = 0;
        std::string text;
        if (pStringBuf == nullptr) {
            err = ERROR_INVALID_PARAMETER;
        } else if (api::network_to_presentation(Family, pAddr, &text, &err)) {
            if (text.size() + 1 <= StringBufSize && names::write_user_string(pStringBuf, text))
                return pStringBuf;
            err = ERROR_INVALID_PARAMETER;
        }
        win32::set_last_error(err);
        return nullptr;
    }, static_cast<PCSTR>(nullptr));
}

WS2_EXPORT PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf,
                                   size_t StringBufSize) {
    return names::guarded([&]() -> PCWSTR {
        DWORD err = 0;
        std::string text;
        if (pStringBuf == nullptr) {
            err = ERROR_INVALID_PARAMETER;
        } else if (api::network_to_presentation(Family, pAddr, &text, &err)) {
            if (text.size() + 1 <= StringBufSize &&
                names::write_user_string(pStringBuf, api::widen_bytes(text)))
                return pStringBuf;
            err = ERROR_INVALID_PARAMETER;
        }
        win32::set_last_error(err);
        return nullptr;
    }, static_cast<PCWSTR>(nullptr));
}

WS2_EXPORT INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                          LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                          LPWSTR lpszAddressString,
                                          LPDWORD lpdwAddressStringLength) {
    return names::guarded([&]() -> INT {
        if (!api::is_started()) return api::fail(WSANOTINITIALISED);
        WSAPROTOCOL_INFOW info;
        if (lpProtocolInfo != nullptr && !win32::read_user_value(&info, lpProtocolInfo))
            return api::fail(WSAEFAULT);
        int rc = api::address_to_string(lpsaAddress, dwAddressLength,
                                        lpProtocolInfo != nullptr ? &info : nullptr, lpszAddressString,
                                        lpdwAddressStringLength);
        return rc == 0 ? 0 : api::fail(rc);
    }, INT{SOCKET_ERROR});
}

WS2_EXPORT INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                          LPWSAPROTOCOL_INFOA lpProtocolInfo,
                                          LPSTR lpszAddressString,
                                          LPDWORD lpdwAddressStringLength) {
    return names::guarded([&]() -> INT {
        if (!api::is_started()) return api::fail(WSANOTINITIALISED);
        WSAPROTOCOL_INFOW info;
        if (lpProtocolInfo != nullptr)
            if (int e = api::read_protocol_info_a(lpProtocolInfo, &info)) return api::fail(e);
        int rc = api::address_to_string(lpsaAddress, dwAddressLength,
                                        lpProtocolInfo != nullptr ? &info : nullptr, lpszAddressString,
                                        lpdwAddressStringLength);
        return rc == 0 ? 0 : api::fail(rc);
    }, INT{SOCKET_ERROR});
}

WS2_EXPORT INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily,
                                          LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                                          LPINT lpAddressLength) {
    return names::guarded([&]() -> INT {
        if (!api::is_started()) return api::fail(WSANOTINITIALISED);
        WSAPROTOCOL_INFOW info;
        if (lpProtocolInfo != nullptr && !win32::read_user_value(&info, lpProtocolInfo))
            return api::fail(WSAEFAULT);
        if (AddressString == nullptr) return api::fail(WSAEINVAL);
        std::wstring text;
        if (!names::read_user_string(AddressString, &text)) return api::fail(WSAEFAULT);
        int rc = api::string_to_address(text, AddressFamily, lpProtocolInfo != nullptr ? &info : nullptr,
                                        lpAddress, lpAddressLength);
        return rc == 0 ? 0 : api::fail(rc);
    }, INT{SOCKET_ERROR});
}

WS2_EXPORT INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
                                          LPWSAPROTOCOL_INFOA lpProtocolInfo, LPSOCKADDR lpAddress,
                                          LPINT lpAddressLength) {
    return names::guarded([&]() -> INT {
        if (!api::is_started()) return api::fail(WSANOTINITIALISED);
        WSAPROTOCOL_INFOW info;
        if (lpProtocolInfo != nullptr)
            if (int e = api::read_protocol_info_a(lpProtocolInfo, &info)) return api::fail(e);
        if (AddressString == nullptr) return api::fail(WSAEINVAL);
        std::string text;
        if (!names::read_user_string(AddressString, &text)) return api::fail(WSAEFAULT);
        std::optional<std::wstring> wide = win32::from_utf8(text);
        if (!wide) return api::fail(WSAEINVAL);
        int rc = api::string_to_address(*wide, AddressFamily, lpProtocolInfo != nullptr ? &info : nullptr,
                                        lpAddress, lpAddressLength);
        return rc == 0 ? 0 : api::fail(rc);
    }, INT{SOCKET_ERROR});
}

}  // extern "C"
