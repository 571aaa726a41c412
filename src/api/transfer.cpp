// send, recv, sendto, recvfrom and WSASend, WSARecv, WSASendTo, WSARecvFrom: one WSABUF or the
// caller's array, through the owning provider.
#include <winsock2.h>

#include "api/dispatch.h"
#include "win32/export.h"

using namespace ws2;

extern "C" {

WS2_EXPORT int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                              LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                              LPWSAOVERLAPPED lpOverlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPSend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped, lpCompletionRoutine, nullptr, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                const struct sockaddr *lpTo, int iTolen,
                                LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPSendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen, lpOverlapped, lpCompletionRoutine, nullptr, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                              LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                              LPWSAOVERLAPPED lpOverlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPRecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped, lpCompletionRoutine, nullptr, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                  LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                                  struct sockaddr *lpFrom, LPINT lpFromlen,
                                  LPWSAOVERLAPPED lpOverlapped,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPRecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen, lpOverlapped, lpCompletionRoutine, nullptr, &err);
    return api::finish(rc, err);
}

// The classic calls return the byte count; a negative length is a fault, as on Windows.
WS2_EXPORT int WSAAPI send(SOCKET s, const char *buf, int len, int flags) {
    if (len < 0) return api::is_started() ? api::fail(WSAEFAULT) : api::fail(WSANOTINITIALISED);
    WSABUF b{static_cast<ULONG>(len), const_cast<char *>(buf)};
    DWORD sent = 0;
    if (WSASend(s, &b, 1, &sent, static_cast<DWORD>(flags), nullptr, nullptr) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return static_cast<int>(sent);
}

WS2_EXPORT int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags,
                             const struct sockaddr *to, int tolen) {
    if (len < 0) return api::is_started() ? api::fail(WSAEFAULT) : api::fail(WSANOTINITIALISED);
    WSABUF b{static_cast<ULONG>(len), const_cast<char *>(buf)};
    DWORD sent = 0;
    if (WSASendTo(s, &b, 1, &sent, static_cast<DWORD>(flags), to, tolen, nullptr, nullptr) ==
        SOCKET_ERROR)
        return SOCKET_ERROR;
    return static_cast<int>(sent);
}

WS2_EXPORT int WSAAPI recv(SOCKET s, char *buf, int len, int flags) {
    if (len < 0) return api::is_started() ? api::fail(WSAEFAULT) : api::fail(WSANOTINITIALISED);
    WSABUF b{static_cast<ULONG>(len), buf};
    DWORD received = 0, f = static_cast<DWORD>(flags);
    if (WSARecv(s, &b, 1, &received, &f, nullptr, nullptr) == SOCKET_ERROR) return SOCKET_ERROR;
    return static_cast<int>(received);
}

WS2_EXPORT int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from,
                               int *fromlen) {
    if (len < 0) return api::is_started() ? api::fail(WSAEFAULT) : api::fail(WSANOTINITIALISED);
    WSABUF b{static_cast<ULONG>(len), buf};
    DWORD received = 0, f = static_cast<DWORD>(flags);
    if (WSARecvFrom(s, &b, 1, &received, &f, from, fromlen, nullptr, nullptr) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return static_cast<int>(received);
}

}  // extern "C"
