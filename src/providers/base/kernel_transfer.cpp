// Data at the kernel boundary: sendmsg/recvmsg over the caller's WSABUFs (converted to iovecs
// on the stack for the common small counts), with Windows MSG_* flags translated.
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <vector>

#include "providers/base/kernel_address.h"
#include "providers/base/kernel_socket.h"

namespace ws2::base::kernel {
namespace {

constexpr int kWinMsgOob = 0x1, kWinMsgPeek = 0x2, kWinMsgDontRoute = 0x4, kWinMsgWaitAll = 0x8;
constexpr int kWinMsgPartial = 0x8000;
constexpr unsigned kStackBuffers = 16;

int linux_flags_impl(int win_flags) {
    int f = 0;
    if (win_flags & kWinMsgOob) f |= MSG_OOB;
    if (win_flags & kWinMsgPeek) f |= MSG_PEEK;
    if (win_flags & kWinMsgDontRoute) f |= MSG_DONTROUTE;
    if (win_flags & kWinMsgWaitAll) f |= MSG_WAITALL;
    return f;
}

// iovecs for the buffers: on the stack for up to 16, else on the heap.
struct IoVectors {
    iovec stack[kStackBuffers];
    std::vector<iovec> heap;
    iovec *data = stack;

    IoVectors(const Buffer *buffers, unsigned count) {
        if (count > kStackBuffers) {
            heap.resize(count);
            data = heap.data();
        }
        for (unsigned i = 0; i < count; ++i) data[i] = {buffers[i].data, buffers[i].length};
    }
};

}  // namespace

long send(int fd, const Buffer *buffers, unsigned count, int win_flags, const Address *to) {
    if (count == 1) {  // the common case: sendto(2) is a shorter kernel path than sendmsg(2)
        const sockaddr *name = to != nullptr ? reinterpret_cast<const sockaddr *>(to->bytes) : nullptr;
        long n = ::sendto(fd, buffers[0].data, buffers[0].length, linux_flags_impl(win_flags) | MSG_NOSIGNAL, name,
                          to != nullptr ? to->length : 0);
        return n < 0 ? -errno : n;
    }
    IoVectors iov(buffers, count);
    msghdr msg{};
    msg.msg_iov = iov.data;
    msg.msg_iovlen = count;
    if (to != nullptr) {
        msg.msg_name = const_cast<unsigned char *>(to->bytes);
        msg.msg_namelen = to->length;
    }
    long n = ::sendmsg(fd, &msg, linux_flags_impl(win_flags) | MSG_NOSIGNAL);
    return n < 0 ? -errno : n;
}

long receive(int fd, const Buffer *buffers, unsigned count, int *win_flags, Address *from,
             bool *truncated, bool message_oriented) {
    if (count == 1) {
        // recvfrom(2) is a shorter kernel path than recvmsg(2); on a datagram socket MSG_TRUNC
        // makes it report the datagram's full length, so truncation is seen.
        socklen_t len = from != nullptr ? sizeof from->bytes : 0;
        sockaddr *name = from != nullptr ? reinterpret_cast<sockaddr *>(from->bytes) : nullptr;
        int flags = linux_flags_impl(*win_flags) | (message_oriented ? MSG_TRUNC : 0);
        long n = ::recvfrom(fd, buffers[0].data, buffers[0].length, flags, name, from != nullptr ? &len : nullptr);
        if (n < 0) return -errno;
        if (from != nullptr) from->length = len;
        *truncated = static_cast<unsigned long>(n) > buffers[0].length;
        if (*truncated) n = static_cast<long>(buffers[0].length);
        *win_flags = *truncated ? kWinMsgPartial : 0;
        return n;
    }
    IoVectors iov(buffers, count);
    msghdr msg{};
    msg.msg_iov = iov.data;
    msg.msg_iovlen = count;
    if (from != nullptr) {
        msg.msg_name = from->bytes;
        msg.msg_namelen = sizeof from->bytes;
    }
    long n = ::recvmsg(fd, &msg, linux_flags_impl(*win_flags));
    if (n < 0) return -errno;
    if (from != nullptr) from->length = msg.msg_namelen;
    *truncated = (msg.msg_flags & MSG_TRUNC) != 0;
    *win_flags = *truncated ? kWinMsgPartial : 0;
    return n;
}

int linux_message_flags(int win_flags) { return linux_flags_impl(win_flags); }

bool message_truncated(int linux_msg_flags) { return (linux_msg_flags & MSG_TRUNC) != 0; }
bool message_out_of_band(int linux_msg_flags) { return (linux_msg_flags & MSG_OOB) != 0; }

}  // namespace ws2::base::kernel
