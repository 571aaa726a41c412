// Connections at the kernel boundary: bind, listen, accept, connect, shutdown, names.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "providers/base/kernel_address.h"
#include "providers/base/kernel_socket.h"

namespace ws2::base::kernel {
namespace {

const sockaddr *as_sockaddr(const Address &a) { return reinterpret_cast<const sockaddr *>(a.bytes); }
sockaddr *as_sockaddr(Address *a) { return reinterpret_cast<sockaddr *>(a->bytes); }

int result(int rc) { return rc < 0 ? -errno : rc; }

}  // namespace

int bind(int fd, const Address &address) {
    return result(::bind(fd, as_sockaddr(address), address.length));
}

int bind_ephemeral(int fd, int win_af) {
    sockaddr_storage any{};
    any.ss_family = static_cast<sa_family_t>(linux_family(win_af));
    socklen_t len = any.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    return result(::bind(fd, reinterpret_cast<sockaddr *>(&any), len));
}

int listen(int fd, int backlog) { return result(::listen(fd, backlog)); }

int accept(int fd, Address *peer, bool inheritable, bool nonblocking) {
    socklen_t len = sizeof peer->bytes;
    int flags = (inheritable ? 0 : SOCK_CLOEXEC) | (nonblocking ? SOCK_NONBLOCK : 0);
    int s = ::accept4(fd, as_sockaddr(peer), &len, flags);
    if (s < 0) return -errno;
    peer->length = len;
    return s;
}

int connect(int fd, const Address &address) {
    return result(::connect(fd, as_sockaddr(address), address.length));
}

int shutdown(int fd, int win_how) { return result(::shutdown(fd, win_how)); }

int local_address(int fd, Address *out) {
    socklen_t len = sizeof out->bytes;
    std::memset(out->bytes, 0, sizeof out->bytes);
    if (::getsockname(fd, as_sockaddr(out), &len) < 0) return -errno;
    out->length = len;
    return 0;
}

int peer_address(int fd, Address *out) {
    socklen_t len = sizeof out->bytes;
    std::memset(out->bytes, 0, sizeof out->bytes);
    if (::getpeername(fd, as_sockaddr(out), &len) < 0) return -errno;
    out->length = len;
    return 0;
}

int pending_error(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
    return err;
}

}  // namespace ws2::base::kernel
