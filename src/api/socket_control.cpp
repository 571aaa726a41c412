// ioctlsocket and WSAIoctl, through the owning provider's WSPIoctl.
#include <winsock2.h>

#include "api/dispatch.h"
#include "win32/export.h"

using namespace ws2;

extern "C" {

WS2_EXPORT int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
                               DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                               LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned, lpOverlapped, lpCompletionRoutine, nullptr, &err);
    return api::finish(rc, err);
}

// The argument is one u_long, read for FIONBIO and written for FIONREAD/SIOCATMARK.
WS2_EXPORT int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp) {
    DWORD returned = 0;
    return WSAIoctl(s, static_cast<DWORD>(cmd), argp, sizeof(u_long), argp, sizeof(u_long),
                    &returned, nullptr, nullptr);
}

}  // extern "C"
