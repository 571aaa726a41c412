#include "support/private_network.h"

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

namespace ws2test {
namespace {

bool set_up(const char *name) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    ifreq request{};
    std::strncpy(request.ifr_name, name, IFNAMSIZ - 1);
    bool ok = ioctl(fd, SIOCGIFFLAGS, &request) == 0;
    request.ifr_flags |= IFF_UP;
    ok = ok && ioctl(fd, SIOCSIFFLAGS, &request) == 0;
    close(fd);
    return ok;
}

void write_sysctl(const char *path, const char *value) {
    if (FILE *f = std::fopen(path, "w")) {
        std::fputs(value, f);
        std::fclose(f);
    }
}

// An RTM_NEWLINK request built attribute by attribute.
struct Request {
    alignas(NLMSG_ALIGNTO) char buffer[512] = {};
    nlmsghdr *header = reinterpret_cast<nlmsghdr *>(buffer);

    void *tail() { return buffer + NLMSG_ALIGN(header->nlmsg_len); }
    void append(const void *data, std::size_t length) {
        std::memcpy(tail(), data, length);
        header->nlmsg_len = NLMSG_ALIGN(header->nlmsg_len) + static_cast<unsigned>(NLMSG_ALIGN(length));
    }
    rtattr *attribute(unsigned short type, const void *data, std::size_t length) {
        auto *a = static_cast<rtattr *>(tail());
        a->rta_type = type;
        a->rta_len = static_cast<unsigned short>(RTA_LENGTH(length));
        if (length > 0) std::memcpy(RTA_DATA(a), data, length);
        header->nlmsg_len = NLMSG_ALIGN(header->nlmsg_len) + RTA_ALIGN(a->rta_len);
        return a;
    }
    void end(rtattr *nest) {
        nest->rta_len = static_cast<unsigned short>(buffer + header->nlmsg_len - reinterpret_cast<char *>(nest));
    }
};

bool create_veth(const char *name, const char *peer) {
    Request r;
    r.header->nlmsg_len = NLMSG_LENGTH(0);
    r.header->nlmsg_type = RTM_NEWLINK;
    r.header->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
    ifinfomsg link{};
    link.ifi_family = AF_UNSPEC;
    r.append(&link, sizeof link);
    r.attribute(IFLA_IFNAME, name, std::strlen(name) + 1);
    rtattr *info = r.attribute(IFLA_LINKINFO, nullptr, 0);
    r.attribute(IFLA_INFO_KIND, "veth", 5);
    rtattr *data = r.attribute(IFLA_INFO_DATA, nullptr, 0);
    rtattr *peer_info = r.attribute(VETH_INFO_PEER, nullptr, 0);
    r.append(&link, sizeof link);
    r.attribute(IFLA_IFNAME, peer, std::strlen(peer) + 1);
    r.end(peer_info);
    r.end(data);
    r.end(info);

    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return false;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    bool ok = sendto(fd, r.buffer, r.header->nlmsg_len, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel) >= 0;
    alignas(NLMSG_ALIGNTO) char reply[1024];
    long n = ok ? recv(fd, reply, sizeof reply, 0) : -1;
    close(fd);
    if (n < static_cast<long>(NLMSG_LENGTH(sizeof(nlmsgerr)))) return false;
    auto *answer = reinterpret_cast<nlmsghdr *>(reply);
    return answer->nlmsg_type == NLMSG_ERROR && static_cast<nlmsgerr *>(NLMSG_DATA(answer))->error == 0;
}

// IPv6 configures an interface once its carrier is seen (asynchronously): its link-local
// address, with the multicast route, appears in /proc/net/if_inet6.
bool ipv6_ready(const char *name) {
    std::ifstream list("/proc/net/if_inet6");
    std::string line;
    while (std::getline(list, line))
        if (line.size() >= std::strlen(name) && line.compare(line.size() - std::strlen(name), std::string::npos, name) == 0)
            return true;
    return false;
}

}  // namespace

bool enter_network_namespace() {
    if (unshare(CLONE_NEWNET) != 0) return false;
    return set_up("lo");
}

unsigned add_veth_pair() {
    // Addresses usable at once (no duplicate detection on a private link).
    write_sysctl("/proc/sys/net/ipv6/conf/all/accept_dad", "0");
    write_sysctl("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
    if (!create_veth("ws2mc0", "ws2mc1") || !set_up("ws2mc0") || !set_up("ws2mc1")) return 0;
    for (int i = 0; i < 1000 && !ipv6_ready("ws2mc0"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return ipv6_ready("ws2mc0") ? if_nametoindex("ws2mc0") : 0;
}

unsigned interface_index(const char *name) { return if_nametoindex(name); }

}  // namespace ws2test
