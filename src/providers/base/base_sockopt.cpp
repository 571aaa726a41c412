// WSPGetSockOpt / WSPSetSockOpt of the base provider: SO_TYPE and SO_PROTOCOL_INFOW, with
// Windows' length rules. Options of the data path arrive with it; until then an option this
// provider does not know is WSAENOPROTOOPT at a known level and WSAEINVAL at an unknown one.
#include "providers/base/base_state.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

bool known_level(int level) {
    switch (level) {
        case SOL_SOCKET:
        case IPPROTO_IP:
        case IPPROTO_IPV6:
        case IPPROTO_TCP:
        case IPPROTO_UDP:
            return true;
        default:
            return false;
    }
}

// An int-sized option: a shorter buffer (or a negative length) is WSAEFAULT; the length
// reported back is the option's natural size.
int get_int(int value, char *optval, int len, LPINT optlen, LPINT err) {
    if (optval == nullptr || len < static_cast<int>(sizeof value)) return fail(err, WSAEFAULT);
    if (!win32::write_user(optval, &value, sizeof value) ||
        !win32::write_user_value(optlen, static_cast<int>(sizeof value)))
        return fail(err, WSAEFAULT);
    return 0;
}

// SO_PROTOCOL_INFOW: a short buffer is WSAEFAULT and learns the size it needs; a larger one
// keeps the length the caller gave.
int get_protocol_info(const BaseSocket &socket, char *optval, int len, LPINT optlen, LPINT err) {
    constexpr int kSize = sizeof(WSAPROTOCOL_INFOW);
    if (optval == nullptr || len < kSize) {
        win32::write_user_value(optlen, kSize);
        return fail(err, WSAEFAULT);
    }
    if (!win32::write_user(optval, socket.entry, kSize)) return fail(err, WSAEFAULT);
    return 0;
}

}  // namespace

int WSPAPI WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen,
                         LPINT lpErrno) {
    BaseSocket socket{};
    if (!base_sockets().load(s, &socket)) return fail(lpErrno, WSAENOTSOCK);
    if (!known_level(level)) return fail(lpErrno, WSAEINVAL);
    int len = 0;
    if (optlen == nullptr || !win32::read_user_value(&len, optlen)) return fail(lpErrno, WSAEFAULT);
    if (level == SOL_SOCKET) {
        switch (optname) {
            case SO_TYPE: return get_int(socket.type, optval, len, optlen, lpErrno);
            case SO_PROTOCOL_INFOW: return get_protocol_info(socket, optval, len, optlen, lpErrno);
            default: break;
        }
    }
    return fail(lpErrno, WSAENOPROTOOPT);
}

int WSPAPI WSPSetSockOpt(SOCKET s, int level, int optname, const char *, int, LPINT lpErrno) {
    BaseSocket socket{};
    if (!base_sockets().load(s, &socket)) return fail(lpErrno, WSAENOTSOCK);
    if (!known_level(level)) return fail(lpErrno, WSAEINVAL);
    // SO_TYPE is read-only: Windows refuses it on a stream socket as an unknown option and on
    // a message-oriented socket as an invalid argument.
    if (level == SOL_SOCKET && optname == SO_TYPE)
        return fail(lpErrno, socket.type == SOCK_STREAM ? WSAENOPROTOOPT : WSAEINVAL);
    return fail(lpErrno, WSAENOPROTOOPT);
}

}  // namespace ws2::base
