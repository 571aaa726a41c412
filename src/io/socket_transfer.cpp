// The Linux side of a transfer: msghdr construction and non-blocking sendmsg/recvmsg, accept
// and connect.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

#include "io/fd_queues.h"

namespace ws2::io {
namespace {

static_assert(sizeof(msghdr) <= sizeof(Request::kernel_message));
static_assert(sizeof(Buffer) == sizeof(iovec));

msghdr *message(Request *r) { return reinterpret_cast<msghdr *>(r->kernel_message); }

bool ready(int fd, short events) {
    pollfd p{fd, events, 0};
    return poll(&p, 1, 0) > 0;
}

// Runs `call` with the descriptor non-blocking (Linux has no per-call flag for accept and
// connect); a blocking socket is restored afterwards.
template <class Call>
long without_blocking(int fd, Call call) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -errno;
    bool toggle = (flags & O_NONBLOCK) == 0;
    if (toggle) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    long n = call();
    int e = errno;
    if (toggle) fcntl(fd, F_SETFL, flags);
    return n < 0 ? -e : n;
}

// A connection waiting on the listener becomes a new close-on-exec descriptor.
long accept_now(Request *r) {
    if (!ready(r->fd, POLLIN)) return -EAGAIN;
    if (r->wait_only) return 0;
    r->address_length = sizeof r->address;
    return without_blocking(r->fd, [r] {
        auto *length = reinterpret_cast<socklen_t *>(&r->address_length);
        return static_cast<long>(accept4(r->fd, reinterpret_cast<sockaddr *>(r->address), length, SOCK_CLOEXEC));
    });
}

// The first attempt starts the connection; later ones (once writable) read its outcome.
long connect_now(Request *r) {
    if (!r->connect_started) {
        long n = without_blocking(r->fd, [r] {
            return static_cast<long>(connect(r->fd, reinterpret_cast<const sockaddr *>(r->address), r->address_length));
        });
        if (n != -EINPROGRESS) return n;
        r->connect_started = true;
        return -EAGAIN;
    }
    if (!ready(r->fd, POLLOUT)) return -EAGAIN;
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(r->fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return -errno;
    return -static_cast<long>(error);
}

}  // namespace

// The buffers become iovecs in place: Buffer {u32 length, pointer} and iovec {pointer, size}
// differ, so a separate iovec array would be needed; instead the request keeps its Buffers and
// the msghdr points at a converted copy stored after them.
void prepare_message(Request *r) {
    msghdr *m = message(r);
    std::memset(m, 0, sizeof *m);
    // Convert in place: each Buffer slot is exactly iovec-sized, so rewrite it as an iovec.
    auto *iov = reinterpret_cast<iovec *>(r->buffers);
    for (unsigned i = 0; i < r->count; ++i) {
        Buffer b = r->buffers[i];
        iov[i].iov_base = b.data;
        iov[i].iov_len = b.length;
    }
    m->msg_iov = iov;
    m->msg_iovlen = r->count;
    if (r->control != nullptr) {
        m->msg_control = r->control;
        m->msg_controllen = r->control_length;
    }
    if (r->kind == Request::Kind::kSend) {
        if (r->address_length > 0) {
            m->msg_name = r->address;
            m->msg_namelen = r->address_length;
        }
    } else if (r->address_length > 0) {
        m->msg_name = r->address;
        m->msg_namelen = sizeof r->address;
    }
}

long transfer_now(Request *r) {
    if (r->kind == Request::Kind::kAccept) return accept_now(r);
    if (r->kind == Request::Kind::kConnect) return connect_now(r);
    msghdr *m = message(r);
    long n;
    if (r->kind == Request::Kind::kSend) {
        n = sendmsg(r->fd, m, r->flags | MSG_DONTWAIT | MSG_NOSIGNAL);
    } else {
        if (r->address_length > 0) m->msg_namelen = sizeof r->address;
        if (r->control != nullptr) m->msg_controllen = r->control_length;
        n = recvmsg(r->fd, m, r->flags | MSG_DONTWAIT);
    }
    if (n < 0) return -errno;
    record_outcome(r, n);
    return n;
}

void record_outcome(Request *r, long n) {
    if (r->kind == Request::Kind::kReceive && n >= 0) {
        msghdr *m = message(r);
        r->result_flags = m->msg_flags;
        if (r->address_length > 0) r->address_length = m->msg_namelen;
        if (r->control != nullptr) r->control_length = static_cast<std::uint32_t>(m->msg_controllen);
    }
}

bool advance(Request *r, long n) {
    r->moved += static_cast<std::uint64_t>(n);
    msghdr *m = message(r);
    auto left = static_cast<std::size_t>(n);
    while (m->msg_iovlen > 0 && left >= m->msg_iov[0].iov_len) {
        left -= m->msg_iov[0].iov_len;
        ++m->msg_iov;
        --m->msg_iovlen;
    }
    if (m->msg_iovlen == 0) return false;
    m->msg_iov[0].iov_base = static_cast<char *>(m->msg_iov[0].iov_base) + left;
    m->msg_iov[0].iov_len -= left;
    return true;
}

}  // namespace ws2::io
