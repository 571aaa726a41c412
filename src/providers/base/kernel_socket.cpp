#include "providers/base/kernel_socket.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace ws2::base::kernel {
namespace {

// Windows values (ws2def.h); this file cannot include the Windows headers.
constexpr int kWinAfUnix = 1;
constexpr int kWinAfInet = 2;
constexpr int kWinAfInet6 = 23;
constexpr int kWinSockRaw = 3;

}  // namespace

int linux_family(int win_af) {
    switch (win_af) {
        case kWinAfUnix: return AF_UNIX;
        case kWinAfInet: return AF_INET;
        case kWinAfInet6: return AF_INET6;
        default: return -1;
    }
}

int create_socket(int win_af, int win_type, int protocol, bool inheritable) {
    int family = linux_family(win_af);
    if (family < 0) return -EAFNOSUPPORT;
    // SOCK_STREAM, SOCK_DGRAM and SOCK_RAW have the same values on both systems.
    if (win_type == kWinSockRaw && protocol == 0) protocol = IPPROTO_RAW;
    int type = win_type | (inheritable ? 0 : SOCK_CLOEXEC);
    int fd = ::socket(family, type, protocol);
    if (fd < 0) return -errno;
    // Raw sockets never see v4-mapped traffic, and Linux refuses IPV6_V6ONLY on them.
    if (family == AF_INET6 && win_type != kWinSockRaw) {
        int on = 1;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0) {
            int e = errno;
            ::close(fd);
            return -e;
        }
    }
    return fd;
}

int close_socket(int fd) { return ::close(fd) == 0 || errno == EINTR ? 0 : -errno; }

void wake_blocked_calls(int fd) { ::shutdown(fd, SHUT_RDWR); }

std::uint64_t monotonic_ms() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

void pause_briefly() {
    timespec ts{0, 200000};  // 0.2 ms
    nanosleep(&ts, nullptr);
}

}  // namespace ws2::base::kernel
