#include "providers/base/kernel_multicast.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace ws2::base::kernel {
namespace {

int family(const Address &a) {
    sa_family_t f = AF_UNSPEC;
    if (a.length >= sizeof f) std::memcpy(&f, a.bytes, sizeof f);
    return f;
}

// ENODEV: no interface reaches the group (no route, or a named interface that is gone).
int join_error(int e) { return e == ENODEV ? -ENETUNREACH : -e; }

int join_ipv4(int fd, const sockaddr_in &group, bool receive, bool send) {
    in_addr chosen{};
    socklen_t len = sizeof chosen;
    if (::getsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &chosen, &len) < 0) chosen.s_addr = htonl(INADDR_ANY);
    // Without a multicast interface, a socket bound to a specific address uses that address's
    // interface both ways, so sends and receives agree (Windows' helper does the same).
    bool from_bound = false;
    if (chosen.s_addr == htonl(INADDR_ANY)) {
        sockaddr_in local{};
        socklen_t local_len = sizeof local;
        if (::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &local_len) == 0 &&
            local.sin_addr.s_addr != htonl(INADDR_ANY)) {
            chosen = local.sin_addr;
            from_bound = true;
        }
    }
    // The sending interface first: a failed join then leaves no membership behind.
    if (send && from_bound && ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &chosen, sizeof chosen) < 0)
        return join_error(errno);
    if (receive) {
        ip_mreqn request{};
        request.imr_multiaddr = group.sin_addr;
        request.imr_address = chosen;
        if (::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &request, sizeof request) < 0)
            return join_error(errno);
    }
    int off = 0;
    ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off, sizeof off);  // best effort (old kernels)
    return 0;
}

int join_ipv6(int fd, const sockaddr_in6 &group, bool receive) {
    int index = 0;
    socklen_t len = sizeof index;
    if (::getsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, &len) < 0) index = 0;
    if (index == 0) index = static_cast<int>(group.sin6_scope_id);
    if (receive) {
        ipv6_mreq request{};
        request.ipv6mr_multiaddr = group.sin6_addr;
        request.ipv6mr_interface = static_cast<unsigned>(index);
        if (::setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &request, sizeof request) < 0)
            return join_error(errno);
    }
    int off = 0;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &off, sizeof off);  // best effort
    return 0;
}

}  // namespace

bool is_multicast(const Address &group) {
    if (family(group) == AF_INET && group.length >= sizeof(sockaddr_in)) {
        sockaddr_in a;
        std::memcpy(&a, group.bytes, sizeof a);
        return IN_MULTICAST(ntohl(a.sin_addr.s_addr));
    }
    if (family(group) == AF_INET6 && group.length >= sizeof(sockaddr_in6)) {
        sockaddr_in6 a;
        std::memcpy(&a, group.bytes, sizeof a);
        return IN6_IS_ADDR_MULTICAST(&a.sin6_addr);
    }
    return false;
}

int join_multicast_session(int fd, const Address &group, bool receive, bool send) {
    if (!is_multicast(group)) return -EINVAL;
    if (family(group) == AF_INET) {
        sockaddr_in a;
        std::memcpy(&a, group.bytes, sizeof a);
        return join_ipv4(fd, a, receive, send);
    }
    sockaddr_in6 a;
    std::memcpy(&a, group.bytes, sizeof a);
    return join_ipv6(fd, a, receive);
}

int dissolve_peer(int fd) {
    sockaddr unspecified{};
    unspecified.sa_family = AF_UNSPEC;
    return ::connect(fd, &unspecified, sizeof unspecified) < 0 ? -errno : 0;
}

}  // namespace ws2::base::kernel
