// getsockopt / setsockopt at SOL_SOCKET: SO_TYPE, SO_PROTOCOL_INFOW, SO_MAX_MSG_SIZE and
// SO_ERROR (read-only: there is never a pending error), SO_RCVBUF (the receive queue limit),
// SO_RCVTIMEO and SO_SNDTIMEO (DWORD milliseconds; sends never wait). Other options of
// SOL_SOCKET are WSAENOPROTOOPT; other levels are WSAEINVAL. A buffer or length that is absent
// or too short is WSAEFAULT.
#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {
namespace {

int put(const void *value, int size, char *optval, LPINT optlen) {
    int capacity = 0;
    if (optlen == nullptr || !read_user_value(&capacity, optlen)) return WSAEFAULT;
    if (optval == nullptr || capacity < size) return WSAEFAULT;
    if (!write_user(optval, value, static_cast<std::size_t>(size)) || !write_user_value(optlen, size))
        return WSAEFAULT;
    return 0;
}

template <typename T>
int put_value(const T &value, char *optval, LPINT optlen) {
    return put(&value, static_cast<int>(sizeof value), optval, optlen);
}

}  // namespace

int WSPAPI WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    if (level != SOL_SOCKET) return fail(lpErrno, WSAEINVAL);
    // Copied under the mutex, written out after it.
    WSAPROTOCOL_INFOW info;
    DWORD receive_buffer, receive_timeout_ms, send_timeout_ms;
    {
        std::lock_guard lock(state().mutex);
        info = socket->info;
        receive_buffer = socket->receive_buffer;
        receive_timeout_ms = socket->receive_timeout_ms;
        send_timeout_ms = socket->send_timeout_ms;
    }
    int e;
    switch (optname) {
        case SO_TYPE: e = put_value(static_cast<int>(SOCK_DGRAM), optval, optlen); break;
        case SO_PROTOCOL_INFOW: {
            e = put_value(info, optval, optlen);
            // A short buffer learns the size it needs, as Windows reports it.
            int capacity = 0;
            if (e == WSAEFAULT && optlen != nullptr && read_user_value(&capacity, optlen) &&
                capacity < static_cast<int>(sizeof info))
                write_user_value(optlen, static_cast<int>(sizeof info));
            break;
        }
        case SO_MAX_MSG_SIZE: e = put_value(static_cast<unsigned>(UDGRAM_MAX_MESSAGE), optval, optlen); break;
        case SO_ERROR: e = put_value(0, optval, optlen); break;
        case SO_RCVBUF: e = put_value(static_cast<int>(receive_buffer), optval, optlen); break;
        case SO_RCVTIMEO: e = put_value(receive_timeout_ms, optval, optlen); break;
        case SO_SNDTIMEO: e = put_value(send_timeout_ms, optval, optlen); break;
        default: e = WSAENOPROTOOPT; break;
    }
    return e != 0 ? fail(lpErrno, e) : 0;
}

int WSPAPI WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    if (level != SOL_SOCKET) return fail(lpErrno, WSAEINVAL);
    if (optname != SO_RCVBUF && optname != SO_RCVTIMEO && optname != SO_SNDTIMEO)
        return fail(lpErrno, WSAENOPROTOOPT);
    DWORD value = 0;
    if (optval == nullptr || optlen < static_cast<int>(sizeof value) || !read_user(&value, optval, sizeof value))
        return fail(lpErrno, WSAEFAULT);
    std::lock_guard lock(state().mutex);
    switch (optname) {
        case SO_RCVBUF:
            // A negative size is not a size.
            if (static_cast<int>(value) < 0) return fail(lpErrno, WSAEINVAL);
            socket->receive_buffer = value;
            break;
        case SO_RCVTIMEO: socket->receive_timeout_ms = value; break;
        case SO_SNDTIMEO: socket->send_timeout_ms = value; break;
    }
    return 0;
}

}  // namespace udgram
