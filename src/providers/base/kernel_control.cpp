// Descriptor control at the kernel boundary: blocking mode, FIONREAD, SIOCATMARK, waits.
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "providers/base/kernel_socket.h"

namespace ws2::base::kernel {

int report_icmp_errors(int fd, int win_af) {
    int on = 1;
    int rc = win_af == 23 ? setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on)   // Windows AF_INET6
                          : setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
    return rc < 0 ? -errno : 0;
}

void drain_error_queue(int fd) {
    char control[512];
    for (int i = 0; i < 64; ++i) {
        msghdr m{};
        m.msg_control = control;
        m.msg_controllen = sizeof control;
        if (::recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return;
    }
}

int set_nonblocking(int fd, bool on) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -errno;
    flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags) < 0 ? -errno : 0;
}

int bytes_readable(int fd, unsigned long *out) {
    int n = 0;
    if (ioctl(fd, FIONREAD, &n) < 0) return -errno;
    *out = static_cast<unsigned long>(n);
    return 0;
}

// Windows answers FIONREAD on a datagram socket with all the data queued, not the first
// datagram's size as Linux does. Peeking with a peek offset walks the queue: with MSG_TRUNC a
// peek reports its datagram's full length and moves the offset past it, so the next peek sees
// the next datagram. The socket's own peek offset is restored afterwards.
int datagram_bytes_queued(int fd, unsigned long *out) {
    // A pending error (an ICMP report) would be consumed by a peek; it belongs to the next
    // receive, so count the plain way then.
    pollfd p{fd, 0, 0};
    if (::poll(&p, 1, 0) == 1 && (p.revents & POLLERR)) return bytes_readable(fd, out);
    int saved = -1;
    socklen_t len = sizeof saved;
    if (getsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &saved, &len) < 0) return bytes_readable(fd, out);
    int zero = 0;
    if (setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &zero, sizeof zero) < 0) return bytes_readable(fd, out);
    unsigned long total = 0;
    // The bound keeps a flood that arrives while counting from holding the caller forever.
    for (int i = 0; i < 1 << 16; ++i) {
        ssize_t n = recv(fd, nullptr, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        if (n < 0) break;  // queue exhausted (EAGAIN), or a pending error the next receive reports
        total += static_cast<unsigned long>(n);
    }
    setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &saved, sizeof saved);
    *out = total;
    return 0;
}

int out_of_band_pending(int fd, bool *out) {
    char byte;
    ssize_t n = ::recv(fd, &byte, 1, MSG_OOB | MSG_PEEK | MSG_DONTWAIT);
    *out = n == 1;
    return 0;
}

int set_keepalive(int fd, bool on, unsigned idle_ms, unsigned interval_ms) {
    int enable = on ? 1 : 0;
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &enable, sizeof enable) < 0) return -errno;
    if (!on) return 0;
    // Windows counts milliseconds, Linux whole seconds (at least 1).
    int idle = static_cast<int>((idle_ms + 999) / 1000), interval = static_cast<int>((interval_ms + 999) / 1000);
    if (idle < 1) idle = 1;
    if (interval < 1) interval = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle) < 0) return -errno;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval) < 0) return -errno;
    return 0;
}

int poll(const int *fds, const unsigned *interest, unsigned *ready, unsigned count, int timeout_ms) {
    std::vector<pollfd> p(count);
    for (unsigned i = 0; i < count; ++i) {
        short events = POLLRDHUP;  // a peer's graceful close, reported as kHangUp
        if (interest[i] & kReadable) events |= POLLIN;
        if (interest[i] & kWritable) events |= POLLOUT;
        if (interest[i] & kUrgent) events |= POLLPRI;
        p[i] = {fds[i], events, 0};
    }
    int rc;
    do {
        rc = ::poll(p.data(), count, timeout_ms);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) return -errno;
    for (unsigned i = 0; i < count; ++i) {
        unsigned r = 0;
        if (p[i].revents & POLLIN) r |= kReadable;
        if (p[i].revents & POLLOUT) r |= kWritable;
        if (p[i].revents & POLLERR) r |= kError;
        if (p[i].revents & (POLLHUP | POLLRDHUP)) r |= kHangUp;
        if (p[i].revents & POLLPRI) r |= kUrgent;
        ready[i] = r;
    }
    return rc;
}

void send_space(int fd, unsigned long length, bool *fits, bool *empty) {
    *fits = *empty = true;
    std::uint32_t info[SK_MEMINFO_VARS] = {};
    socklen_t len = sizeof info;
    if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, info, &len) < 0 || len <= SK_MEMINFO_WMEM_QUEUED * sizeof(std::uint32_t))
        return;
    long free_bytes = static_cast<long>(info[SK_MEMINFO_SNDBUF]) - static_cast<long>(info[SK_MEMINFO_WMEM_QUEUED]);
    *empty = info[SK_MEMINFO_WMEM_QUEUED] == 0;
    // Queued memory counts buffer overhead too: leave room for it.
    *fits = static_cast<long>(length + length / 4 + 2048) <= free_bytes;
}

int wait_writable(int fd, int timeout_ms) {
    pollfd p{fd, POLLOUT, 0};
    for (;;) {
        int rc = ::poll(&p, 1, timeout_ms);
        if (rc > 0) return 0;
        if (rc == 0) return -ETIMEDOUT;
        if (errno != EINTR) return -errno;
    }
}

}  // namespace ws2::base::kernel
