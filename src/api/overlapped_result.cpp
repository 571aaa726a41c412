// WSAGetOverlappedResult: the outcome of an overlapped request, through the socket's provider.
#include <winsock2.h>

#include "api/dispatch.h"
#include "win32/export.h"

using namespace ws2;

extern "C" WS2_EXPORT BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                                         LPDWORD lpcbTransfer, BOOL fWait,
                                                         LPDWORD lpdwFlags) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return FALSE;
    int err = 0;
    BOOL ok = r.provider->table.lpWSPGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags, &err);
    if (ok) return TRUE;
    api::finish(SOCKET_ERROR, err);
    return FALSE;
}
