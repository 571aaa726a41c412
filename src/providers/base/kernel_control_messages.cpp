#include "providers/base/kernel_control_messages.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>

namespace ws2::base::kernel {
namespace {

// Windows values (ws2def.h / ws2ipdef.h).
constexpr int kWinIpLevel = 0, kWinIpv6Level = 41;
constexpr int kWinIpPktinfo = 19, kWinIpTtl = 4;
constexpr int kWinIpv6Pktinfo = 19, kWinIpv6Hoplimit = 21;

struct WinPktinfo {  // IN_PKTINFO
    in_addr addr;
    std::uint32_t ifindex;
};

static_assert(sizeof(cmsghdr) == 16, "WSACMSGHDR and cmsghdr share a layout on LP64");

std::size_t align(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

// Appends one message in the common layout; false when it does not fit.
bool append(unsigned char *out, std::size_t capacity, std::size_t *used, int level, int type,
            const void *data, std::size_t length) {
    std::size_t space = sizeof(cmsghdr) + align(length);
    if (*used + sizeof(cmsghdr) + length > capacity) return false;
    cmsghdr header{};
    header.cmsg_len = sizeof(cmsghdr) + length;
    header.cmsg_level = level;
    header.cmsg_type = type;
    std::memcpy(out + *used, &header, sizeof header);
    std::memcpy(out + *used + sizeof header, data, length);
    *used = *used + space > capacity ? capacity : *used + space;
    return true;
}

}  // namespace

std::size_t linux_control_capacity(std::size_t windows_length) {
    // IN_PKTINFO grows by 4 bytes (8 aligned) in Linux form: allow for every message to grow.
    return windows_length + (windows_length / (sizeof(cmsghdr) + 8) + 1) * 8;
}

std::size_t control_to_windows(const void *linux_control, std::size_t length, void *out,
                               std::size_t capacity, bool *truncated) {
    msghdr m{};
    m.msg_control = const_cast<void *>(linux_control);
    m.msg_controllen = length;
    auto *bytes = static_cast<unsigned char *>(out);
    std::size_t used = 0;
    *truncated = false;
    for (cmsghdr *c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
        const unsigned char *data = CMSG_DATA(c);
        std::size_t data_length = c->cmsg_len - CMSG_LEN(0);
        bool fits = true;
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO && data_length >= sizeof(in_pktinfo)) {
            in_pktinfo info;
            std::memcpy(&info, data, sizeof info);
            WinPktinfo win{info.ipi_addr, static_cast<std::uint32_t>(info.ipi_ifindex)};
            fits = append(bytes, capacity, &used, kWinIpLevel, kWinIpPktinfo, &win, sizeof win);
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL && data_length >= sizeof(int)) {
            fits = append(bytes, capacity, &used, kWinIpLevel, kWinIpTtl, data, sizeof(int));
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
                   data_length >= sizeof(in6_pktinfo)) {
            fits = append(bytes, capacity, &used, kWinIpv6Level, kWinIpv6Pktinfo, data, sizeof(in6_pktinfo));
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT && data_length >= sizeof(int)) {
            fits = append(bytes, capacity, &used, kWinIpv6Level, kWinIpv6Hoplimit, data, sizeof(int));
        }
        if (!fits) {
            *truncated = true;
            break;
        }
    }
    return used;
}

bool control_truncated(int linux_msg_flags) { return (linux_msg_flags & MSG_CTRUNC) != 0; }

long control_to_linux(const void *windows_control, std::size_t length, void *out, std::size_t capacity) {
    auto *in = static_cast<const unsigned char *>(windows_control);
    auto *bytes = static_cast<unsigned char *>(out);
    std::size_t at = 0, used = 0;
    while (at + sizeof(cmsghdr) <= length) {
        cmsghdr header;
        std::memcpy(&header, in + at, sizeof header);
        if (header.cmsg_len < sizeof(cmsghdr) || header.cmsg_len > length - at) return -1;
        const unsigned char *data = in + at + sizeof(cmsghdr);
        std::size_t data_length = header.cmsg_len - sizeof(cmsghdr);
        bool ok = false;
        if (header.cmsg_level == kWinIpLevel && header.cmsg_type == kWinIpPktinfo && data_length >= sizeof(WinPktinfo)) {
            WinPktinfo win;
            std::memcpy(&win, data, sizeof win);
            in_pktinfo info{};
            info.ipi_ifindex = static_cast<int>(win.ifindex);
            info.ipi_spec_dst = win.addr;  // the source address to send from
            ok = append(bytes, capacity, &used, IPPROTO_IP, IP_PKTINFO, &info, sizeof info);
        } else if (header.cmsg_level == kWinIpv6Level && header.cmsg_type == kWinIpv6Pktinfo &&
                   data_length >= sizeof(in6_pktinfo)) {
            ok = append(bytes, capacity, &used, IPPROTO_IPV6, IPV6_PKTINFO, data, sizeof(in6_pktinfo));
        }
        if (!ok) return -1;
        at += align(header.cmsg_len);
    }
    return static_cast<long>(used);
}

}  // namespace ws2::base::kernel
