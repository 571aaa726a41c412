#include "providers/base/kernel_address.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "win32/user_memory.h"

namespace ws2::base::kernel {
namespace {

// Windows values (ws2def.h / winerror.h); this file cannot include the Windows headers.
constexpr int kWinAfUnix = 1, kWinAfInet = 2, kWinAfInet6 = 23;
constexpr int kWsaEfault = 10014, kWsaEafnosupport = 10047;
constexpr int kWinSockaddrUnLength = 110;

static_assert(sizeof(sockaddr_in) == 16 && sizeof(sockaddr_in6) == 28);
static_assert(sizeof(sockaddr_un) == kWinSockaddrUnLength);

int linux_af(int win_af) {
    switch (win_af) {
        case kWinAfInet: return AF_INET;
        case kWinAfInet6: return AF_INET6;
        case kWinAfUnix: return AF_UNIX;
        default: return -1;
    }
}

// The smallest length Windows accepts for each family.
int minimum_length(int win_af) {
    switch (win_af) {
        case kWinAfInet: return sizeof(sockaddr_in);
        case kWinAfInet6: return sizeof(sockaddr_in6);
        case kWinAfUnix: return sizeof(sa_family_t);
        default: return 0;
    }
}

}  // namespace

int address_to_kernel(const void *win_addr, int win_len, Address *out) {
    std::uint16_t family = 0;
    if (win_addr == nullptr || win_len < static_cast<int>(sizeof family) ||
        !win32::read_user(&family, win_addr, sizeof family))
        return kWsaEfault;
    // IP addresses, the common case, with their fixed sizes (copies the compiler can inline).
    if (family == kWinAfInet || family == kWinAfInet6) {
        bool v4 = family == kWinAfInet;
        int size = v4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        if (win_len < size) return kWsaEfault;
        bool ok = v4 ? win32::read_user(out->bytes, win_addr, sizeof(sockaddr_in))
                     : win32::read_user(out->bytes, win_addr, sizeof(sockaddr_in6));
        if (!ok) return kWsaEfault;
        sa_family_t linux_family = v4 ? AF_INET : AF_INET6;
        std::memcpy(out->bytes, &linux_family, sizeof linux_family);
        out->length = static_cast<std::uint32_t>(size);
        return 0;
    }
    int af = linux_af(family);
    if (af < 0) return kWsaEafnosupport;
    if (win_len < minimum_length(family)) return kWsaEfault;
    std::size_t copy = static_cast<std::size_t>(win_len);
    if (af == AF_INET) copy = sizeof(sockaddr_in);
    if (af == AF_INET6) copy = sizeof(sockaddr_in6);
    if (copy > sizeof out->bytes) copy = sizeof out->bytes;
    if (!win32::read_user(out->bytes, win_addr, copy)) return kWsaEfault;
    if (af == AF_UNIX) std::memset(out->bytes + copy, 0, sizeof out->bytes - copy);  // path ends
    sa_family_t linux_family = static_cast<sa_family_t>(af);
    std::memcpy(out->bytes, &linux_family, sizeof linux_family);
    out->length = static_cast<std::uint32_t>(copy);
    return 0;
}

int windows_family(const Address &in) {
    sa_family_t family;
    std::memcpy(&family, in.bytes, sizeof family);
    switch (family) {
        case AF_INET: return kWinAfInet;
        case AF_INET6: return kWinAfInet6;
        case AF_UNIX: return kWinAfUnix;
        default: return 0;
    }
}

bool is_unspecified(const Address &in) {
    switch (windows_family(in)) {
        case kWinAfInet: {
            sockaddr_in a;
            std::memcpy(&a, in.bytes, sizeof a);
            return a.sin_addr.s_addr == htonl(INADDR_ANY);
        }
        case kWinAfInet6: {
            sockaddr_in6 a;
            std::memcpy(&a, in.bytes, sizeof a);
            return IN6_IS_ADDR_UNSPECIFIED(&a.sin6_addr);
        }
        default: return false;
    }
}

int port(const Address &in) {
    switch (windows_family(in)) {
        case kWinAfInet: {
            sockaddr_in a;
            std::memcpy(&a, in.bytes, sizeof a);
            return ntohs(a.sin_port);
        }
        case kWinAfInet6: {
            sockaddr_in6 a;
            std::memcpy(&a, in.bytes, sizeof a);
            return ntohs(a.sin6_port);
        }
        default: return 0;
    }
}

bool is_bound_local_address(const Address &in) {
    if (windows_family(in) == kWinAfUnix) return in.length > sizeof(sa_family_t);
    return port(in) != 0;
}

int windows_length(const Address &in) {
    switch (windows_family(in)) {
        case kWinAfInet: return sizeof(sockaddr_in);
        case kWinAfInet6: return sizeof(sockaddr_in6);
        case kWinAfUnix: return static_cast<int>(in.length < sizeof(sa_family_t) ? sizeof(sa_family_t) : in.length);
        default: return static_cast<int>(in.length);
    }
}

int address_to_windows(const Address &in, void *win_addr, int *win_len) {
    int capacity = 0;
    if (win_len == nullptr || !win32::read_user_value(&capacity, win_len)) return kWsaEfault;
    return address_to_windows(in, win_addr, win_len, capacity);
}

int address_to_windows(const Address &in, void *win_addr, int *win_len, int capacity) {
    sa_family_t linux_family;
    std::memcpy(&linux_family, in.bytes, sizeof linux_family);
    // IP addresses, the common case, with their fixed sizes (copies the compiler can inline).
    if (linux_family == AF_INET || linux_family == AF_INET6) {
        bool v4 = linux_family == AF_INET;
        int size = v4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        if (win_addr == nullptr || capacity < size) return kWsaEfault;
        unsigned char out[sizeof(sockaddr_in6)];
        std::memcpy(out, in.bytes, sizeof out);
        std::uint16_t family = v4 ? kWinAfInet : kWinAfInet6;
        std::memcpy(out, &family, sizeof family);
        bool ok = v4 ? win32::write_user(win_addr, out, sizeof(sockaddr_in))
                     : win32::write_user(win_addr, out, sizeof(sockaddr_in6));
        if (!ok || !win32::write_user_value(win_len, size)) return kWsaEfault;
        return 0;
    }
    int length = windows_length(in);
    if (win_addr == nullptr || capacity < length) return kWsaEfault;
    if (length > static_cast<int>(sizeof in.bytes)) length = sizeof in.bytes;
    unsigned char out[sizeof in.bytes];
    std::memcpy(out, in.bytes, static_cast<std::size_t>(length));
    std::uint16_t family = static_cast<std::uint16_t>(windows_family(in));
    std::memcpy(out, &family, sizeof family);
    if (!win32::write_user(win_addr, out, static_cast<std::size_t>(length)) ||
        !win32::write_user_value(win_len, length))
        return kWsaEfault;
    return 0;
}

}  // namespace ws2::base::kernel
