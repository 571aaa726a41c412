// Overlapped transfers of the base provider: WSPSend/WSPSendTo/WSPRecv/WSPRecvFrom with an
// OVERLAPPED on an overlapped socket run through the I/O engine (src/io) and complete the
// Windows way: OVERLAPPED.Internal/InternalHigh, then the event, the completion routine (an APC
// to the issuing thread) or the completion port. WSPGetOverlappedResult reads them back.
#pragma once
#include <ws2spi.h>

#include <cstddef>

#include "io/io_request.h"
#include "providers/base/base_state.h"
#include "providers/base/kernel_address.h"
#include "providers/base/kernel_socket.h"
#include "win32/overlapped_completion.h"

namespace ws2::base {

// One overlapped request of the base provider; the extension functions (AcceptEx, ConnectEx,
// ...) derive their own from it, so CancelIo and closesocket treat them all alike.
struct OverlappedRequest : io::Request {
    SOCKET socket = INVALID_SOCKET;
    bool stream = false;
    win32::CompletionTarget target{};  // the issuer is kept for the completion routine and CancelIo
    sockaddr *from = nullptr;
    LPINT fromlen = nullptr;
    int from_capacity = 0;
    DWORD receive_buffer_total = 0;
};

// Marks the OVERLAPPED pending (readable and writable, or WSAEFAULT) before the engine sees it.
int mark_pending(LPWSAOVERLAPPED overlapped);
// The Winsock error of a request that finished with -errno `n`.
DWORD error_of(const OverlappedRequest &r, long n);

// Non-overlapped sockets ignore lpOverlapped and lpCompletionRoutine (the WSASocket seed).
inline bool runs_overlapped(const BaseSocket &socket, LPWSAOVERLAPPED overlapped) {
    return overlapped != nullptr && (socket.flags & WSA_FLAG_OVERLAPPED) != 0;
}

// Each returns 0 (completed at once: *done and *flags written, the completion still signalled),
// or SOCKET_ERROR with *err = WSA_IO_PENDING (it completes later) or the error it failed with.
int overlapped_send(SOCKET s, const BaseSocket &socket, const kernel::Buffer *buffers,
                    unsigned count, DWORD flags, const kernel::Address *to, LPDWORD sent,
                    LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                    LPINT err);
int overlapped_receive(SOCKET s, const BaseSocket &socket, const kernel::Buffer *buffers,
                       unsigned count, LPDWORD flags, sockaddr *from, LPINT fromlen,
                       int from_capacity, LPDWORD received, LPWSAOVERLAPPED overlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err);

// CancelIo / CancelIoEx: cancels the socket's requests for `overlapped` (nullptr: all), or only
// those the calling thread issued. Each completes with WSA_OPERATION_ABORTED. Returns how many.
std::size_t cancel_overlapped(SOCKET s, LPOVERLAPPED overlapped, bool calling_thread_only);
// closesocket: every request still pending completes with WSA_OPERATION_ABORTED.
void abort_overlapped(SOCKET s);

BOOL WSPAPI WSPGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                   BOOL fWait, LPDWORD lpdwFlags, LPINT lpErrno);

}  // namespace ws2::base
