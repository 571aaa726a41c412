#include "providers/base/kernel_interfaces.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "providers/base/kernel_socket.h"

namespace ws2::base::kernel {

int interface_addresses(int win_af, std::vector<Address> *out) {
    int family = linux_family(win_af);
    ifaddrs *list = nullptr;
    if (getifaddrs(&list) < 0) return -errno;
    for (ifaddrs *i = list; i != nullptr; i = i->ifa_next) {
        if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != family) continue;
        if (!(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK)) continue;
        Address a;
        std::memset(a.bytes, 0, sizeof a.bytes);
        a.length = family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
        std::memcpy(a.bytes, i->ifa_addr, a.length);
        out->push_back(a);
    }
    freeifaddrs(list);
    return 0;
}

}  // namespace ws2::base::kernel
