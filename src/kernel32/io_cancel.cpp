// CancelIo / CancelIoEx on socket handles: the pending overlapped requests of the calling thread
// (CancelIo), of one OVERLAPPED or of every thread (CancelIoEx) complete with
// ERROR_OPERATION_ABORTED (WSA_OPERATION_ABORTED). As on Windows, where these reach the socket's
// driver directly, they go to the base provider's requests; a handle that is not a socket is
// ERROR_INVALID_HANDLE.
#include <winsock2.h>

#include "providers/base/base_overlapped.h"
#include "spi/socket_registry.h"
#include "win32/export.h"
#include "win32/last_error.h"

using namespace ws2;

namespace {

bool is_socket(HANDLE h) {
    spi::SocketRecord record;
    return spi::find_socket(reinterpret_cast<SOCKET>(h), &record) &&
           !(record.flags & spi::SocketRecord::kNonIfs);
}

}  // namespace

extern "C" {

WS2_EXPORT BOOL WINAPI CancelIo(HANDLE hFile) {
    if (!is_socket(hFile)) {
        win32::set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    base::cancel_overlapped(reinterpret_cast<SOCKET>(hFile), nullptr, /*calling_thread_only=*/true);
    return TRUE;
}

WS2_EXPORT BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped) {
    if (!is_socket(hFile)) {
        win32::set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (base::cancel_overlapped(reinterpret_cast<SOCKET>(hFile), lpOverlapped, false) == 0) {
        win32::set_last_error(ERROR_NOT_FOUND);
        return FALSE;
    }
    return TRUE;
}

}  // extern "C"
