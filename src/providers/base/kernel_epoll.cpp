#include "providers/base/kernel_epoll.h"

#include <sys/epoll.h>

#include <cerrno>

#include "providers/base/kernel_socket.h"

namespace ws2::base::kernel {

int epoll_open() {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    return ep < 0 ? -errno : ep;
}

int epoll_watch(int ep, int fd, unsigned interest, bool add) {
    epoll_event ev{};
    ev.events = EPOLLRDHUP;
    if (interest & kReadable) ev.events |= EPOLLIN;
    if (interest & kWritable) ev.events |= EPOLLOUT;
    if (interest & kUrgent) ev.events |= EPOLLPRI;
    ev.data.fd = fd;
    return epoll_ctl(ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

int epoll_forget(int ep, int fd) { return epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr) < 0 ? -errno : 0; }

int epoll_wait_ready(int ep, int *fds, unsigned *ready, int max, int timeout_ms) {
    epoll_event events[64];
    if (max > 64) max = 64;
    int n = epoll_wait(ep, events, max, timeout_ms);
    if (n < 0) return errno == EINTR ? 0 : -errno;
    for (int i = 0; i < n; ++i) {
        unsigned r = 0;
        if (events[i].events & EPOLLIN) r |= kReadable;
        if (events[i].events & EPOLLOUT) r |= kWritable;
        if (events[i].events & EPOLLPRI) r |= kUrgent;
        if (events[i].events & EPOLLERR) r |= kError;
        if (events[i].events & (EPOLLHUP | EPOLLRDHUP)) r |= kHangUp;
        fds[i] = events[i].data.fd;
        ready[i] = r;
    }
    return n;
}

}  // namespace ws2::base::kernel
