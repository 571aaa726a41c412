// The extension functions mswsock.dll also exports by name (AcceptEx, GetAcceptExSockaddrs):
// programs call them directly as well as through SIO_GET_EXTENSION_FUNCTION_POINTER. As in
// mswsock, the named AcceptEx asks the listener's provider for its function and calls it.
#include <mswsock.h>

#include "api/dispatch.h"
#include "providers/base/base_extensions.h"
#include "win32/export.h"

using namespace ws2;

extern "C" WS2_EXPORT BOOL PASCAL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket,
                                           PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                           DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                           LPDWORD lpdwBytesReceived, LPOVERLAPPED lpOverlapped) {
    spi::SocketRecord r;
    if (!api::lookup(sListenSocket, &r)) return FALSE;
    GUID id = WSAID_ACCEPTEX;
    LPFN_ACCEPTEX function = nullptr;
    DWORD returned = 0;
    int err = 0;
    if (r.provider->table.lpWSPIoctl(sListenSocket, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id,
                                     &function, sizeof function, &returned, nullptr, nullptr, nullptr,
                                     &err) == SOCKET_ERROR) {
        api::fail(err != 0 ? err : WSASYSCALLFAILURE);
        return FALSE;
    }
    return function(sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength,
                    dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped);
}

extern "C" WS2_EXPORT VOID PASCAL GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                                       DWORD dwLocalAddressLength,
                                                       DWORD dwRemoteAddressLength,
                                                       struct sockaddr **LocalSockaddr,
                                                       LPINT LocalSockaddrLength,
                                                       struct sockaddr **RemoteSockaddr,
                                                       LPINT RemoteSockaddrLength) {
    base::get_accept_ex_sockaddrs(lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength,
                                  dwRemoteAddressLength, LocalSockaddr, LocalSockaddrLength,
                                  RemoteSockaddr, RemoteSockaddrLength);
}
