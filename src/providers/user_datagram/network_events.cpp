// WSAEventSelect / WSAEnumNetworkEvents: Windows' latched network events for a datagram socket.
// FD_READ is recorded when a datagram arrives (or at registration if one waits) and re-armed by
// each receive; FD_WRITE is recorded at registration, since a send never has to wait, and would
// be re-armed only by a send that failed with WSAEWOULDBLOCK, which cannot happen here. Other
// events never occur on this transport. Registering makes the socket non-blocking; the event
// is signalled with WPUSetEvent and reset with WPUResetEvent.
#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {

int WSPAPI WSPEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    State &st = state();
    std::lock_guard lock(st.mutex);
    if (socket->closed) return fail(lpErrno, WSAENOTSOCK);
    socket->non_blocking = true;
    socket->pending = 0;
    if (lNetworkEvents == 0) {
        socket->event = nullptr;
        socket->event_mask = socket->armed = 0;
        return 0;
    }
    if (hEventObject == nullptr) return fail(lpErrno, WSAEINVAL);
    socket->event = hEventObject;
    socket->event_mask = lNetworkEvents & FD_ALL_EVENTS;
    socket->armed = socket->event_mask;
    LONG now = 0;
    if (!socket->send_shut) now |= FD_WRITE;
    if (!socket->queue.empty()) now |= FD_READ;
    // An event handle that cannot be set is not an event: refuse it while nothing is recorded.
    if (now & socket->armed) {
        int ignored = 0;
        if (!st.upcalls.lpWPUSetEvent(hEventObject, &ignored)) {
            socket->event = nullptr;
            socket->event_mask = socket->armed = 0;
            return fail(lpErrno, WSAEINVAL);
        }
        record_events(*socket, now);
    }
    return 0;
}

int WSPAPI WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents,
                                LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    if (lpNetworkEvents == nullptr) return fail(lpErrno, WSAEFAULT);
    State &st = state();
    std::lock_guard lock(st.mutex);
    WSANETWORKEVENTS result{};
    result.lNetworkEvents = socket->pending;  // every error code is 0: no event here fails
    if (!write_user_value(lpNetworkEvents, result)) return fail(lpErrno, WSAEFAULT);
    if (hEventObject != nullptr) {
        int ignored = 0;
        if (!st.upcalls.lpWPUResetEvent(hEventObject, &ignored)) return fail(lpErrno, WSAEINVAL);
    }
    socket->pending = 0;  // cleared together with the reset, as Windows does
    return 0;
}

// Window messages need a window system; ws2 has none (its WPUPostMessage always fails), so
// asynchronous selection cannot be offered.
int WSPAPI WSPAsyncSelect(SOCKET s, HWND, unsigned int, LONG, LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err);
    return fail(lpErrno, WSAEOPNOTSUPP);
}

}  // namespace udgram
