// TF_REUSE_SOCKET (DisconnectEx, TransmitFile): after the disconnect the handle is good for
// another AcceptEx or ConnectEx. Windows keeps its socket object and resets it; Linux cannot
// reconnect a TCP socket, so a fresh kernel socket of the same triple is moved behind the same
// descriptor number and the provider's state starts over (options set before are not carried).
#include "io/io_engine.h"
#include "providers/base/address_sharing.h"
#include "providers/base/base_extensions.h"
#include "providers/base/kernel_descriptor_swap.h"
#include "win32/errno_map.h"

namespace ws2::base {

int reuse_socket(SOCKET s, const BaseSocket &socket) {
    bool inheritable = (socket.flags & WSA_FLAG_NO_HANDLE_INHERIT) == 0;
    int fd = kernel::create_socket(socket.af, socket.type, socket.protocol, inheritable);
    if (fd < 0) return win32::wsa_error_from_errno(-fd);
    bool nonblocking = (socket.state & BaseSocket::kNonBlocking) != 0;
    if (nonblocking) kernel::set_nonblocking(fd, true);
    if (int rc = kernel::move_descriptor(fd, static_cast<int>(s), inheritable)) {
        kernel::close_socket(fd);
        return win32::wsa_error_from_errno(-rc);
    }
    if (io::Engine *engine = io::started_engine()) engine->forget(static_cast<int>(s));
    if (socket.state & BaseSocket::kHoldsAddress) release_address(s);
    // The event registration watched the old socket.
    if (socket.state & BaseSocket::kEventSelect) forget_network_events(s);
    BaseSocket fresh = new_socket_state(socket.entry, socket.af, socket.type, socket.protocol, socket.flags);
    fresh.group = socket.group;
    fresh.group_priority = socket.group_priority;
    if (nonblocking) fresh.state |= BaseSocket::kNonBlocking;
    base_sockets().update(s, [&fresh](BaseSocket &b) { b = fresh; });
    return 0;
}

}  // namespace ws2::base
