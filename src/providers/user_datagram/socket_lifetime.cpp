// WSPSocket and WSPCloseSocket. A socket is an object of this provider; its handle comes from
// WPUCreateSocketHandle with the object as context (a non-IFS handle: ws2_32 reserves a real
// descriptor number, so handles never collide with files), and WPUCloseSocketHandle releases it.
// Closing wakes every call blocked on the socket; they hold their own reference, so the object
// outlives them.
#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {

SOCKET WSPAPI WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                        DWORD dwFlags, LPINT lpErrno) {
    auto socket = std::make_shared<Socket>();
    if (lpProtocolInfo == nullptr || !read_user_value(&socket->info, lpProtocolInfo))
        return fail(lpErrno, WSAEFAULT), INVALID_SOCKET;
    // 0 and FROM_PROTOCOL_INFO take the entry's value; anything else must be the entry's own.
    if (af != 0 && af != FROM_PROTOCOL_INFO && af != AF_UDGRAM)
        return fail(lpErrno, WSAEAFNOSUPPORT), INVALID_SOCKET;
    if (type != 0 && type != FROM_PROTOCOL_INFO && type != SOCK_DGRAM)
        return fail(lpErrno, WSAESOCKTNOSUPPORT), INVALID_SOCKET;
    if (protocol != 0 && protocol != FROM_PROTOCOL_INFO && protocol != UDGRAMPROTO_DATAGRAM)
        return fail(lpErrno, WSAEPROTONOSUPPORT), INVALID_SOCKET;
    if (socket->info.iAddressFamily != AF_UDGRAM || socket->info.iSocketType != SOCK_DGRAM)
        return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;  // an entry this provider does not serve
    if (g != 0) return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;  // no socket groups here
    socket->info.iProtocol = UDGRAMPROTO_DATAGRAM;
    socket->create_flags = dwFlags;

    State &st = state();
    LPWPUCREATESOCKETHANDLE create;
    {
        std::lock_guard lock(st.mutex);
        if (st.references == 0) return fail(lpErrno, WSANOTINITIALISED), INVALID_SOCKET;
        st.live.emplace(socket.get(), socket);
        create = st.upcalls.lpWPUCreateSocketHandle;
    }
    int err = 0;
    SOCKET handle = create(socket->info.dwCatalogEntryId, reinterpret_cast<DWORD_PTR>(socket.get()), &err);
    std::lock_guard lock(st.mutex);
    if (handle == INVALID_SOCKET) {
        st.live.erase(socket.get());
        return fail(lpErrno, err != 0 ? err : WSAENOBUFS), INVALID_SOCKET;
    }
    socket->handle = handle;
    return handle;
}

int WSPAPI WSPCloseSocket(SOCKET s, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    State &st = state();
    LPWPUCLOSESOCKETHANDLE close_handle;
    {
        std::lock_guard lock(st.mutex);
        if (socket->closed) return fail(lpErrno, WSAENOTSOCK);  // a racing close won
        detach(*socket);
        close_handle = st.upcalls.lpWPUCloseSocketHandle;
    }
    // The number goes back only now: nothing of ours refers to it any more.
    if (close_handle(s, &err) != 0) return fail(lpErrno, err != 0 ? err : WSAENOTSOCK);
    return 0;
}

}  // namespace udgram
