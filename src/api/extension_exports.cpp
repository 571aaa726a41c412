// The extension functions exported by name (mswsock.dll's AcceptEx, GetAcceptExSockaddrs, TransmitFile;
// ws2_32's WSASendMsg): programs call them directly as well as through
// SIO_GET_EXTENSION_FUNCTION_POINTER. As in Windows, the named function asks the socket's
// provider for its extension and calls it.
#include <mswsock.h>

#include "api/dispatch.h"
#include "providers/base/base_extensions.h"
#include "win32/export.h"

using namespace ws2;

namespace {

// The provider's extension function `id` for socket `s`, or nullptr with the last error set.
template <class F>
F provider_extension(SOCKET s, GUID id) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return nullptr;
    F function = nullptr;
    DWORD returned = 0;
    int err = 0;
    if (r.provider->table.lpWSPIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &function,
                                     sizeof function, &returned, nullptr, nullptr, nullptr, &err) == SOCKET_ERROR) {
        api::fail(err != 0 ? err : WSASYSCALLFAILURE);
        return nullptr;
    }
    return function;
}

}  // namespace

extern "C" WS2_EXPORT int WSAAPI WSASendMsg(SOCKET Handle, LPWSAMSG lpMsg, DWORD dwFlags,
                                            LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED lpOverlapped,
                                            LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    auto function = provider_extension<LPFN_WSASENDMSG>(Handle, WSAID_WSASENDMSG);
    if (function == nullptr) return SOCKET_ERROR;
    return function(Handle, lpMsg, dwFlags, lpNumberOfBytesSent, lpOverlapped, lpCompletionRoutine);
}

extern "C" WS2_EXPORT BOOL PASCAL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket,
                                           PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                           DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                           LPDWORD lpdwBytesReceived, LPOVERLAPPED lpOverlapped) {
    auto function = provider_extension<LPFN_ACCEPTEX>(sListenSocket, WSAID_ACCEPTEX);
    if (function == nullptr) return FALSE;
    return function(sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength,
                    dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped);
}

extern "C" WS2_EXPORT BOOL PASCAL TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                                               DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                                               LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved) {
    auto function = provider_extension<LPFN_TRANSMITFILE>(hSocket, WSAID_TRANSMITFILE);
    if (function == nullptr) return FALSE;
    return function(hSocket, hFile, nNumberOfBytesToWrite, nNumberOfBytesPerSend, lpOverlapped,
                    lpTransmitBuffers, dwReserved);
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
