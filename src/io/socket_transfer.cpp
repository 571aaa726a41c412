// The Linux side of a transfer: msghdr construction and non-blocking sendmsg/recvmsg.
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
    msghdr *m = message(r);
    long n;
    if (r->kind == Request::Kind::kSend) {
        n = sendmsg(r->fd, m, r->flags | MSG_DONTWAIT | MSG_NOSIGNAL);
    } else {
        if (r->address_length > 0) m->msg_namelen = sizeof r->address;
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
