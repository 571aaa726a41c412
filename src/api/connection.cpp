// bind, listen, accept, WSAAccept, connect, WSAConnect, shutdown, getsockname, getpeername.
#include <mswsock.h>
#include <winsock2.h>

#include "api/dispatch.h"
#include "win32/export.h"

using namespace ws2;

extern "C" {

WS2_EXPORT int WSAAPI bind(SOCKET s, const struct sockaddr *name, int namelen) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPBind(s, name, namelen, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI listen(SOCKET s, int backlog) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPListen(s, backlog, &err);
    return api::finish(rc, err);
}

// The accepted socket inherits the listener's overlapped attribute: the thread's open type
// carries it to WPUModifyIFSHandle, as for WSASocket.
WS2_EXPORT SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                                   LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return INVALID_SOCKET;
    int err = 0;
    SOCKET a;
    {
        api::ParentOpenType inherit(r);
        a = r.provider->table.lpWSPAccept(s, addr, addrlen, lpfnCondition, dwCallbackData, &err);
    }
    return api::finish_socket(a, err);
}

WS2_EXPORT SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *addrlen) {
    return WSAAccept(s, addr, addrlen, nullptr, 0);
}

WS2_EXPORT int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen,
                                 LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                                 LPQOS lpGQOS) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPConnect(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI connect(SOCKET s, const struct sockaddr *name, int namelen) {
    return WSAConnect(s, name, namelen, nullptr, nullptr, nullptr, nullptr);
}

WS2_EXPORT int WSAAPI shutdown(SOCKET s, int how) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPShutdown(s, how, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI getsockname(SOCKET s, struct sockaddr *name, int *namelen) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPGetSockName(s, name, namelen, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI getpeername(SOCKET s, struct sockaddr *name, int *namelen) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPGetPeerName(s, name, namelen, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPSendDisconnect(s, lpOutboundDisconnectData, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPRecvDisconnect(s, lpInboundDisconnectData, &err);
    return api::finish(rc, err);
}

}  // extern "C"
