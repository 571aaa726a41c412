#include "providers/base/base_readiness.h"

#include "providers/base/kernel_socket.h"
#include "win32/errno_map.h"

namespace ws2::base {

Verdict judge(SOCKET s, unsigned ready) {
    Verdict v;
    BaseSocket socket{};
    if (!base_sockets().load(s, &socket)) {
        v.read = v.closed = true;  // closed while we waited
        return v;
    }
    bool oob_inline = (socket.state & BaseSocket::kOobInline) != 0;
    if (socket.state & BaseSocket::kListening) {
        v.read = (ready & kernel::kReadable) != 0;
        return v;
    }
    if (socket.stream() && (socket.state & BaseSocket::kConnecting)) {
        if (ready & kernel::kError) {
            int e = kernel::pending_error(static_cast<int>(s));
            int code = e != 0 ? win32::wsa_error_from_errno(e) : WSAECONNREFUSED;
            base_sockets().update(s, [code](BaseSocket &b) {
                b.state &= ~BaseSocket::kConnecting;
                b.connect_error = code;
            });
            v.except = true;
        } else if (ready & kernel::kWritable) {
            base_sockets().update(s, [](BaseSocket &b) {
                b.state = (b.state | BaseSocket::kConnected) & ~BaseSocket::kConnecting;
                b.connect_error = 0;
            });
            v.write = true;
        }
        return v;
    }
    if (socket.stream() && !(socket.state & BaseSocket::kConnected)) return v;  // never connected
    v.read = (ready & (kernel::kReadable | kernel::kHangUp | kernel::kError)) != 0;
    v.hang_up = (ready & kernel::kHangUp) != 0;
    v.error = (ready & kernel::kError) != 0;
    v.write = (ready & kernel::kWritable) != 0;
    if (ready & kernel::kUrgent) (oob_inline ? v.read : v.except) = true;
    return v;
}

}  // namespace ws2::base
