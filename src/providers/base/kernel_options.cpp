#include "providers/base/kernel_options.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace ws2::base::kernel {
namespace {

// Windows values (ws2def.h, ws2ipdef.h); this file cannot include the Windows headers.
constexpr int kWinSolSocket = 0xffff, kWinIp = 0, kWinTcp = 6, kWinIpv6 = 41;

struct Mapping {
    int win_level, win_name, level, name;
};

// Options whose Linux counterpart has the same meaning and value representation.
constexpr Mapping kMappings[] = {
    {kWinSolSocket, 0x0008, SOL_SOCKET, SO_KEEPALIVE},
    {kWinSolSocket, 0x0010, SOL_SOCKET, SO_DONTROUTE},
    {kWinSolSocket, 0x0020, SOL_SOCKET, SO_BROADCAST},
    {kWinSolSocket, 0x0100, SOL_SOCKET, SO_OOBINLINE},
    {kWinTcp, 1, IPPROTO_TCP, TCP_NODELAY},
    {kWinTcp, 3, IPPROTO_TCP, TCP_KEEPIDLE},   // TCP_KEEPALIVE: idle seconds
    {kWinTcp, 4, IPPROTO_TCP, TCP_MAXSEG},
    {kWinTcp, 16, IPPROTO_TCP, TCP_KEEPCNT},
    {kWinTcp, 17, IPPROTO_TCP, TCP_KEEPINTVL},
    {kWinIp, 2, IPPROTO_IP, IP_HDRINCL},
    {kWinIp, 3, IPPROTO_IP, IP_TOS},
    {kWinIp, 4, IPPROTO_IP, IP_TTL},
    {kWinIp, 9, IPPROTO_IP, IP_MULTICAST_IF},
    {kWinIp, 10, IPPROTO_IP, IP_MULTICAST_TTL},
    {kWinIp, 11, IPPROTO_IP, IP_MULTICAST_LOOP},
    {kWinIp, 12, IPPROTO_IP, IP_ADD_MEMBERSHIP},
    {kWinIp, 13, IPPROTO_IP, IP_DROP_MEMBERSHIP},
    {kWinIp, 19, IPPROTO_IP, IP_PKTINFO},
    {kWinIp, 21, IPPROTO_IP, IP_RECVTTL},
    {kWinIp, 40, IPPROTO_IP, IP_RECVTOS},
    {kWinIpv6, 2, IPPROTO_IPV6, IPV6_HDRINCL},
    {kWinIpv6, 4, IPPROTO_IPV6, IPV6_UNICAST_HOPS},
    {kWinIpv6, 9, IPPROTO_IPV6, IPV6_MULTICAST_IF},
    {kWinIpv6, 10, IPPROTO_IPV6, IPV6_MULTICAST_HOPS},
    {kWinIpv6, 11, IPPROTO_IPV6, IPV6_MULTICAST_LOOP},
    {kWinIpv6, 12, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP},
    {kWinIpv6, 13, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP},
    {kWinIpv6, 14, IPPROTO_IPV6, IPV6_DONTFRAG},
    {kWinIpv6, 19, IPPROTO_IPV6, IPV6_RECVPKTINFO},
    {kWinIpv6, 21, IPPROTO_IPV6, IPV6_RECVHOPLIMIT},
    {kWinIpv6, 27, IPPROTO_IPV6, IPV6_V6ONLY},
    {kWinIpv6, 40, IPPROTO_IPV6, IPV6_RECVTCLASS},
};

int result(int rc) { return rc < 0 ? -errno : 0; }

}  // namespace

bool linux_option(int win_level, int win_name, int *linux_level, int *linux_name) {
    for (const Mapping &m : kMappings)
        if (m.win_level == win_level && m.win_name == win_name) {
            *linux_level = m.level;
            *linux_name = m.name;
            return true;
        }
    return false;
}

int get_option(int fd, int level, int name, void *value, unsigned *length) {
    socklen_t len = *length;
    if (::getsockopt(fd, level, name, value, &len) < 0) return -errno;
    *length = len;
    return 0;
}

int set_option(int fd, int level, int name, const void *value, unsigned length) {
    return result(::setsockopt(fd, level, name, value, length));
}

int get_int_option(int fd, int level, int name, int *value) {
    unsigned len = sizeof *value;
    *value = 0;
    return get_option(fd, level, name, value, &len);
}

int set_int_option(int fd, int level, int name, int value) {
    return set_option(fd, level, name, &value, sizeof value);
}


int get_linger(int fd, unsigned short *on, unsigned short *seconds) {
    linger l{};
    socklen_t len = sizeof l;
    if (::getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &len) < 0) return -errno;
    *on = static_cast<unsigned short>(l.l_onoff != 0);
    *seconds = static_cast<unsigned short>(l.l_linger);
    return 0;
}

int set_linger(int fd, unsigned short on, unsigned short seconds) {
    linger l{on != 0 ? 1 : 0, seconds};
    return result(::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l));
}

int set_timeout(int fd, bool receive, unsigned ms) {
    timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
    return result(::setsockopt(fd, SOL_SOCKET, receive ? SO_RCVTIMEO : SO_SNDTIMEO, &tv, sizeof tv));
}

int set_buffer_size(int fd, bool receive, int bytes) {
    return set_int_option(fd, SOL_SOCKET, receive ? SO_RCVBUF : SO_SNDBUF, bytes);
}

int get_buffer_size(int fd, bool receive, int *bytes) {
    return get_int_option(fd, SOL_SOCKET, receive ? SO_RCVBUF : SO_SNDBUF, bytes);
}

int set_ipv4_dont_fragment(int fd, bool on) {
    return set_int_option(fd, IPPROTO_IP, IP_MTU_DISCOVER, on ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT);
}

int get_ipv4_dont_fragment(int fd, bool *on) {
    int mode = 0;
    int rc = get_int_option(fd, IPPROTO_IP, IP_MTU_DISCOVER, &mode);
    *on = mode == IP_PMTUDISC_DO || mode == IP_PMTUDISC_PROBE;
    return rc;
}

}  // namespace ws2::base::kernel
