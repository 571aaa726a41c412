// DisconnectEx: a graceful close of the connection (FIN, both directions shut) that keeps the
// handle; with TF_REUSE_SOCKET the handle can then take another AcceptEx or ConnectEx. The
// disconnect finishes at once (the kernel sends the FIN itself), so an overlapped call returns
// TRUE with its completion already signalled.
#include "providers/base/base_extensions.h"
#include "win32/errno_map.h"
#include "win32/io_status.h"
#include "win32/thread_object.h"
#include "win32/user_memory.h"

namespace ws2::base {

BOOL PASCAL disconnect_ex(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags, DWORD dwReserved) {
    BaseSocket socket{};
    if (!base_sockets().load(s, &socket)) return extension_failure(WSAENOTSOCK);
    if (dwReserved != 0 || (dwFlags & ~static_cast<DWORD>(TF_REUSE_SOCKET)) != 0) return extension_failure(WSAEINVAL);
    if (lpOverlapped != nullptr && mark_pending(lpOverlapped) != 0) return extension_failure(WSAEFAULT);
    if (!socket.stream() || !(socket.state & BaseSocket::kConnected)) return extension_failure(WSAENOTCONN);
    int rc = kernel::shutdown(static_cast<int>(s), SD_BOTH);
    int error = rc < 0 ? win32::wsa_error_from_errno(-rc) : 0;
    if (error == 0 && (dwFlags & TF_REUSE_SOCKET)) error = reuse_socket(s, socket);
    else if (error == 0)
        base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kSendShut | BaseSocket::kReceiveShut; });
    if (error != 0) {
        if (lpOverlapped != nullptr) lpOverlapped->Internal = win32::status_from_error(static_cast<DWORD>(error));
        return extension_failure(error);
    }
    if (lpOverlapped != nullptr) {
        win32::CompletionTarget target = win32::target_for(s, lpOverlapped, nullptr);
        win32::complete_overlapped(target, 0, 0, 0, /*at_once=*/true);
    }
    win32::set_last_error(0);
    return TRUE;
}

}  // namespace ws2::base
