// How per-socket API calls reach the owning provider: check start-up, look the handle up
// (WSAENOTSOCK on a miss), call the provider's WSPxxx, and turn *lpErrno into the thread's last
// error (WSASYSCALLFAILURE if a provider fails without saying why; 0 after success).
#pragma once
#include <winsock2.h>
#include <mswsock.h>

#include "api/process.h"
#include "spi/provider.h"
#include "spi/socket_registry.h"
#include "win32/last_error.h"

namespace ws2::api {

inline int fail(int code) {
    win32::set_last_error(static_cast<DWORD>(code));
    return SOCKET_ERROR;
}

inline SOCKET fail_socket(int code) {
    win32::set_last_error(static_cast<DWORD>(code));
    return INVALID_SOCKET;
}

// False (with the last error set) when Winsock is not started or `s` is not a socket.
inline bool lookup(SOCKET s, spi::SocketRecord *record) {
    if (!is_started()) {
        win32::set_last_error(WSANOTINITIALISED);
        return false;
    }
    if (!spi::find_socket(s, record)) {
        win32::set_last_error(WSAENOTSOCK);
        return false;
    }
    return true;
}

// For calls that make a socket from another (WSAAccept, WSAJoinLeaf): while the provider runs,
// the thread's open type carries the parent's overlapped attribute to WPUModifyIFSHandle, as for
// WSASocket; the caller's own value comes back on return.
class ParentOpenType {
public:
    explicit ParentOpenType(const spi::SocketRecord &parent)
        : open_type_(spi::thread_open_type()), saved_(open_type_) {
        open_type_ = (parent.flags & spi::SocketRecord::kOverlapped) ? 0 : SO_SYNCHRONOUS_NONALERT;
    }
    ~ParentOpenType() { open_type_ = saved_; }
    ParentOpenType(const ParentOpenType &) = delete;
    ParentOpenType &operator=(const ParentOpenType &) = delete;

private:
    DWORD &open_type_;
    DWORD saved_;
};

// The result of a provider call that returns a new socket.
inline SOCKET finish_socket(SOCKET s, int err) {
    if (s == INVALID_SOCKET) return fail_socket(err != 0 ? err : WSASYSCALLFAILURE);
    win32::set_last_error(0);
    return s;
}

// The result of a provider call returning 0 / SOCKET_ERROR.
inline int finish(int rc, int err) {
    if (rc == SOCKET_ERROR) return fail(err != 0 ? err : WSASYSCALLFAILURE);
    win32::set_last_error(0);
    return rc;
}

}  // namespace ws2::api
