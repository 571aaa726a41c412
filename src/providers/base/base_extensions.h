// The Microsoft extension functions of the base provider (mswsock's role), handed out by
// SIO_GET_EXTENSION_FUNCTION_POINTER. Programs call them directly, not through ws2_32, so each
// looks its sockets up itself and sets the thread's last error.
#pragma once
#include <mswsock.h>

#include "providers/base/base_overlapped.h"
#include "win32/last_error.h"

namespace ws2::base {

// The function behind a GUID, or nullptr for an unknown one (base_extension_table.cpp).
void *extension_function(const GUID &id);

// base_accept_ex.cpp
BOOL PASCAL accept_ex(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer,
                      DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                      DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                      LPOVERLAPPED lpOverlapped);
// closesocket of an sAcceptSocket: its pending AcceptEx completes with WSA_OPERATION_ABORTED.
void abort_accepts_into(SOCKET s);
// base_accept_ex_addresses.cpp: how AcceptEx lays the addresses out after the data.
void write_accept_addresses(char *area, DWORD length, const void *address, int address_length);
VOID PASCAL get_accept_ex_sockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                    DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                    sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
                                    sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength);
// base_connect_ex.cpp
BOOL PASCAL connect_ex(SOCKET s, const sockaddr *name, int namelen, PVOID lpSendBuffer,
                       DWORD dwSendDataLength, LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped);
// base_disconnect_ex.cpp
BOOL PASCAL disconnect_ex(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags, DWORD dwReserved);
// base_message_io.cpp
INT PASCAL wsa_recv_msg(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd,
                        LPWSAOVERLAPPED lpOverlapped,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
INT WSAAPI wsa_send_msg(SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags, LPDWORD lpNumberOfBytesSent,
                        LPWSAOVERLAPPED lpOverlapped,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
// base_transmit_file.cpp (dwReserved carries the TF_* flags, as in mswsock.h's prototype)
BOOL PASCAL transmit_file(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                          DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                          LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved);
// base_socket_reuse.cpp: TF_REUSE_SOCKET: a fresh, unbound socket behind the same handle.
int reuse_socket(SOCKET s, const BaseSocket &socket);

// Sets the thread's last error and answers FALSE, as the extension functions report failure.
inline BOOL extension_failure(int code) {
    win32::set_last_error(static_cast<DWORD>(code));
    return FALSE;
}

}  // namespace ws2::base
