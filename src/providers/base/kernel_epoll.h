// epoll(7) at the kernel boundary, for the base provider's network-event reactor.
#pragma once

namespace ws2::base::kernel {

int epoll_open();  // descriptor or -errno
// Watches (or updates) `fd` for kernel::Readiness interest bits; hang-ups and errors are
// always reported. `add` selects EPOLL_CTL_ADD over EPOLL_CTL_MOD.
int epoll_watch(int ep, int fd, unsigned interest, bool add);
int epoll_forget(int ep, int fd);
// Waits for events: fills fds/ready (Readiness bits); returns the count or -errno.
int epoll_wait_ready(int ep, int *fds, unsigned *ready, int max, int timeout_ms);

}  // namespace ws2::base::kernel
