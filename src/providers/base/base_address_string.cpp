// WSPAddressToString / WSPStringToAddress of the base provider: IPv4 and IPv6 addresses in the
// text forms Windows' TCP/IP providers use ("a.b.c.d[:port]", "addr[%scope]" and
// "[addr[%scope]]:port"), with Windows' parsing rules (names/ip_text.h).
//
// The API layer hands this provider copies of the caller's memory, so plain accesses are safe
// here; a provider above it in a chain is expected to do the same.
#include <ws2tcpip.h>

#include <cstring>
#include <string>

#include "names/ip_text.h"
#include "providers/base/base_state.h"

namespace ws2::base {

INT WSPAPI WSPAddressToString(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                              LPWSAPROTOCOL_INFOW, LPWSTR lpszAddressString,
                              LPDWORD lpdwAddressStringLength, LPINT lpErrno) {
    auto fail = [&](int code) {
        *lpErrno = code;
        return SOCKET_ERROR;
    };
    if (lpsaAddress == nullptr || lpdwAddressStringLength == nullptr) return fail(WSAEINVAL);
    std::string text;
    if (dwAddressLength >= sizeof(ADDRESS_FAMILY) && lpsaAddress->sa_family == AF_INET) {
        if (dwAddressLength < sizeof(SOCKADDR_IN)) return fail(WSAEINVAL);
        SOCKADDR_IN in;
        std::memcpy(&in, lpsaAddress, sizeof in);
        text = names::format_ipv4(reinterpret_cast<const std::uint8_t *>(&in.sin_addr), in.sin_port);
    } else if (dwAddressLength >= sizeof(ADDRESS_FAMILY) && lpsaAddress->sa_family == AF_INET6) {
        if (dwAddressLength < sizeof(SOCKADDR_IN6)) return fail(WSAEINVAL);
        SOCKADDR_IN6 in6;
        std::memcpy(&in6, lpsaAddress, sizeof in6);
        text = names::format_ipv6(in6.sin6_addr.s6_bytes, in6.sin6_scope_id, in6.sin6_port);
    } else {
        return fail(WSAEINVAL);
    }
    const DWORD needed = static_cast<DWORD>(text.size() + 1);
    if (*lpdwAddressStringLength < needed || lpszAddressString == nullptr) {
        *lpdwAddressStringLength = needed;
        return fail(WSAEFAULT);
    }
    for (std::size_t i = 0; i < text.size(); ++i)
        lpszAddressString[i] = static_cast<unsigned char>(text[i]);
    lpszAddressString[text.size()] = 0;
    *lpdwAddressStringLength = needed;
    return 0;
}

INT WSPAPI WSPStringToAddress(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW,
                              LPSOCKADDR lpAddress, LPINT lpAddressLength, LPINT lpErrno) {
    auto fail = [&](int code) {
        *lpErrno = code;
        return SOCKET_ERROR;
    };
    if (AddressString == nullptr || lpAddressLength == nullptr) return fail(WSAEINVAL);
    int needed;
    if (AddressFamily == AF_INET)
        needed = sizeof(SOCKADDR_IN);
    else if (AddressFamily == AF_INET6)
        needed = sizeof(SOCKADDR_IN6);
    else
        return fail(WSAEINVAL);
    if (*lpAddressLength < needed) {
        *lpAddressLength = needed;
        return fail(WSAEFAULT);
    }
    if (lpAddress == nullptr) return fail(WSAEFAULT);

    // As Windows does: the structure is cleared, the address parsed into it in place (a string
    // that fails part-way leaves what was read), and the family set only on success.
    std::memset(lpAddress, 0, static_cast<std::size_t>(needed));
    if (AddressFamily == AF_INET) {
        auto *in = reinterpret_cast<SOCKADDR_IN *>(lpAddress);
        std::uint16_t port = 0;
        if (!names::parse_ipv4_with_port(AddressString, reinterpret_cast<std::uint8_t *>(&in->sin_addr),
                                         &port))
            return fail(WSAEINVAL);
        in->sin_port = port;
        in->sin_family = AF_INET;
    } else {
        auto *in6 = reinterpret_cast<SOCKADDR_IN6 *>(lpAddress);
        std::uint32_t scope = 0;
        std::uint16_t port = 0;
        if (!names::parse_ipv6_with_scope_port(AddressString, in6->sin6_addr.s6_bytes, &scope, &port))
            return fail(WSAEINVAL);
        in6->sin6_scope_id = scope;
        in6->sin6_port = port;
        in6->sin6_family = AF_INET6;
    }
    *lpAddressLength = needed;
    return 0;
}

}  // namespace ws2::base
