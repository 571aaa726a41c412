// bind, connect (a default peer), the two names, and shutdown. Errors as Windows documents them
// for datagram sockets: bind's wrong family is WSAEFAULT (the bind page: "the first two bytes
// ... do not match the address family"), connect's is WSAEAFNOSUPPORT; a second bind is
// WSAEINVAL; an unbound socket has no name (WSAEINVAL), an unconnected one no peer (WSAENOTCONN).
#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {

int WSPAPI WSPBind(SOCKET s, const sockaddr *name, int namelen, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    USHORT port = 0;
    if (int e = read_address(name, namelen, WSAEFAULT, &port)) return fail(lpErrno, e);
    std::lock_guard lock(state().mutex);
    if (socket->closed) return fail(lpErrno, WSAENOTSOCK);
    if (socket->bound) return fail(lpErrno, WSAEINVAL);
    if (int e = bind_port(*socket, port)) return fail(lpErrno, e);
    return 0;
}

// A port sets the default peer (send/recv use it, datagrams from others are discarded); port 0
// dissolves it, as connecting a UDP socket to the all-zero address does. Binds implicitly.
int WSPAPI WSPConnect(SOCKET s, const sockaddr *name, int namelen, LPWSABUF, LPWSABUF, LPQOS, LPQOS,
                      LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    USHORT port = 0;
    if (int e = read_address(name, namelen, WSAEAFNOSUPPORT, &port)) return fail(lpErrno, e);
    std::lock_guard lock(state().mutex);
    if (socket->closed) return fail(lpErrno, WSAENOTSOCK);
    if (int e = bind_implicitly(*socket)) return fail(lpErrno, e);
    socket->connected = port != 0;
    socket->peer = port;
    return 0;
}

int WSPAPI WSPGetSockName(SOCKET s, sockaddr *name, LPINT namelen, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    USHORT port;
    {
        std::lock_guard lock(state().mutex);
        if (!socket->bound) return fail(lpErrno, WSAEINVAL);
        port = socket->port;
    }
    if (int e = write_address(port, name, namelen)) return fail(lpErrno, e);
    return 0;
}

int WSPAPI WSPGetPeerName(SOCKET s, sockaddr *name, LPINT namelen, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    USHORT port;
    {
        std::lock_guard lock(state().mutex);
        if (!socket->connected) return fail(lpErrno, WSAENOTCONN);
        port = socket->peer;
    }
    if (int e = write_address(port, name, namelen)) return fail(lpErrno, e);
    return 0;
}

// Receiving shut down: queued and later datagrams are discarded and receives fail with
// WSAESHUTDOWN (blocked ones are woken); sending shut down: sends fail with WSAESHUTDOWN.
int WSPAPI WSPShutdown(SOCKET s, int how, LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    if (how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH) return fail(lpErrno, WSAEINVAL);
    std::lock_guard lock(state().mutex);
    if (how != SD_SEND) {
        socket->receive_shut = true;
        socket->queue.clear();
        socket->queued_bytes = 0;
    }
    if (how != SD_RECEIVE) socket->send_shut = true;
    notify(*socket);
    return 0;
}

// Disconnect data does not exist in this protocol: a buffer is WSAENOPROTOOPT, as the
// WSASendDisconnect page says; without one these are shutdown's two halves.
int WSPAPI WSPSendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err);
    if (lpOutboundDisconnectData != nullptr) return fail(lpErrno, WSAENOPROTOOPT);
    return WSPShutdown(s, SD_SEND, lpErrno);
}

int WSPAPI WSPRecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err);
    if (lpInboundDisconnectData != nullptr) return fail(lpErrno, WSAENOPROTOOPT);
    return WSPShutdown(s, SD_RECEIVE, lpErrno);
}

}  // namespace udgram
