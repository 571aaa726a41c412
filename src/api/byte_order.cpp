// htons/htonl/ntohs/ntohl (exported as ws2_htons ...: glibc has its own) and the WSA variants.
#include <winsock2.h>

#include <bit>

#include "api/process.h"
#include "spi/socket_registry.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"

namespace {

u_long swap32(u_long v) {
    if constexpr (std::endian::native == std::endian::little) return __builtin_bswap32(v);
    return v;
}
u_short swap16(u_short v) {
    if constexpr (std::endian::native == std::endian::little) return __builtin_bswap16(v);
    return v;
}

// The WSA variants check start-up and the socket, then write through the caller's pointer.
template <class T>
int wsa_convert(SOCKET s, T value, T *out) {
    if (!ws2::api::is_started()) {
        ws2::win32::set_last_error(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    ws2::spi::SocketRecord record{};
    if (!ws2::spi::find_socket(s, &record)) {
        ws2::win32::set_last_error(WSAENOTSOCK);
        return SOCKET_ERROR;
    }
    if (!ws2::win32::write_user_value(out, value)) {
        ws2::win32::set_last_error(WSAEFAULT);
        return SOCKET_ERROR;
    }
    return 0;
}

}  // namespace

extern "C" {

WS2_EXPORT u_long WSAAPI htonl(u_long hostlong) { return swap32(hostlong); }
WS2_EXPORT u_short WSAAPI htons(u_short hostshort) { return swap16(hostshort); }
WS2_EXPORT u_long WSAAPI ntohl(u_long netlong) { return swap32(netlong); }
WS2_EXPORT u_short WSAAPI ntohs(u_short netshort) { return swap16(netshort); }

WS2_EXPORT int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong) {
    return wsa_convert(s, swap32(hostlong), lpnetlong);
}
WS2_EXPORT int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort) {
    return wsa_convert(s, swap16(hostshort), lpnetshort);
}
WS2_EXPORT int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong) {
    return wsa_convert(s, swap32(netlong), lphostlong);
}
WS2_EXPORT int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort) {
    return wsa_convert(s, swap16(netshort), lphostshort);
}

}  // extern "C"
