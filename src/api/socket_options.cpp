// getsockopt / setsockopt. SO_OPENTYPE is the calling thread's own setting and never reaches a
// provider (the socket argument is ignored); SO_PROTOCOL_INFOA is served from the provider's
// SO_PROTOCOL_INFOW; every other option goes to the owning provider.
#include <mswsock.h>
#include <winsock2.h>

#include "api/dispatch.h"
#include "api/protocol_info_conversion.h"
#include "win32/export.h"
#include "win32/user_memory.h"

namespace ws2::api {
namespace {

int succeed() {
    win32::set_last_error(0);
    return 0;
}

// SO_OPENTYPE is unique in accepting optlen -1 (read as "large enough").
int get_open_type(char *optval, int *optlen) {
    int len = 0;
    if (optlen == nullptr || !win32::read_user_value(&len, optlen)) return fail(WSAEFAULT);
    if (len >= 0 && len < static_cast<int>(sizeof(DWORD))) return fail(WSAEFAULT);
    DWORD value = spi::thread_open_type();
    if (optval == nullptr || !win32::write_user(optval, &value, sizeof value))
        return fail(WSAEFAULT);
    if (!win32::write_user_value(optlen, static_cast<int>(sizeof value))) return fail(WSAEFAULT);
    return succeed();
}

int set_open_type(const char *optval, int optlen) {
    DWORD value = 0;
    if (optval == nullptr || optlen < static_cast<int>(sizeof value) ||
        !win32::read_user(&value, optval, sizeof value))
        return fail(WSAEFAULT);
    spi::thread_open_type() = value;
    return succeed();
}

int get_protocol_info_a(const spi::SocketRecord &record, SOCKET s, char *optval, int *optlen) {
    WSAPROTOCOL_INFOW wide;
    int wide_len = sizeof wide, err = 0;
    int rc = record.provider->table.lpWSPGetSockOpt(s, SOL_SOCKET, SO_PROTOCOL_INFOW,
                                                    reinterpret_cast<char *>(&wide), &wide_len, &err);
    if (rc == SOCKET_ERROR) return fail(err != 0 ? err : WSASYSCALLFAILURE);
    int len = 0;
    if (optval == nullptr || optlen == nullptr || !win32::read_user_value(&len, optlen))
        return fail(WSAEFAULT);
    if (len < static_cast<int>(sizeof(WSAPROTOCOL_INFOA))) {
        win32::write_user_value(optlen, static_cast<int>(sizeof(WSAPROTOCOL_INFOA)));
        return fail(WSAEFAULT);
    }
    WSAPROTOCOL_INFOA narrow;
    protocol_info_to_ansi(wide, &narrow);
    if (!win32::write_user(optval, &narrow, sizeof narrow)) return fail(WSAEFAULT);
    return succeed();
}

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen) {
    if (!api::is_started()) return api::fail(WSANOTINITIALISED);
    if (level == SOL_SOCKET && optname == SO_OPENTYPE) return api::get_open_type(optval, optlen);
    spi::SocketRecord record{};
    if (!spi::find_socket(s, &record)) return api::fail(WSAENOTSOCK);
    if (level == SOL_SOCKET && optname == SO_PROTOCOL_INFOA)
        return api::get_protocol_info_a(record, s, optval, optlen);
    int err = 0;
    int rc = record.provider->table.lpWSPGetSockOpt(s, level, optname, optval, optlen, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI setsockopt(SOCKET s, int level, int optname, const char *optval,
                                 int optlen) {
    if (!api::is_started()) return api::fail(WSANOTINITIALISED);
    if (level == SOL_SOCKET && optname == SO_OPENTYPE) return api::set_open_type(optval, optlen);
    spi::SocketRecord record{};
    if (!spi::find_socket(s, &record)) return api::fail(WSAENOTSOCK);
    int err = 0;
    int rc = record.provider->table.lpWSPSetSockOpt(s, level, optname, optval, optlen, &err);
    return api::finish(rc, err);
}

}  // extern "C"
