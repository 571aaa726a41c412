// The process's table of bound IP addresses and Windows' sharing rules over it.
//
// Two bindings of the same family and port overlap when their addresses are equal, or when
// either is an exclusive (SO_EXCLUSIVEADDRUSE) binding of the unspecified address, which claims
// every address of its port. An overlap is refused unless both sockets set SO_REUSEADDR; the
// answer is WSAEACCES when the newcomer asked to reuse or the holder claims the whole port, and
// WSAEADDRINUSE otherwise. A dual-stack IPv6 socket (IPV6_V6ONLY off) also holds the IPv4
// address it stands for: a v4-mapped or v4-compatible address, or, when exclusive, the
// unspecified address. These rules reproduce the exclusive-use matrix Windows answers (see
// ../shared/reference/windows-behaviour.md 3.2).
//
// The kernel is then asked to allow what Windows allows: stream sockets get Linux SO_REUSEADDR
// (Windows lets a server rebind while old connections sit in TIME_WAIT), and SO_REUSEADDR
// sockets also get SO_REUSEPORT, with a one-instruction BPF program so that connections and
// datagrams go to the first socket of the group, as Windows delivers them.
#include "providers/base/address_sharing.h"

#include <linux/filter.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace ws2::base {
namespace {

struct Key {
    bool stream = false;  // TCP and UDP ports are separate spaces
    int family = 0;  // Linux AF_INET / AF_INET6
    std::uint16_t port = 0;  // network order, as stored in the sockaddr
    unsigned char address[16] = {};
    bool claims_port = false;  // exclusive binding of the unspecified address
};

struct Holding {
    std::uint64_t socket;
    Key key;
    bool reuse;
};

bool overlaps(const Key &a, const Key &b) {
    if (a.stream != b.stream || a.family != b.family || a.port != b.port) return false;
    if (a.claims_port || b.claims_port) return true;
    return std::memcmp(a.address, b.address, a.family == AF_INET ? 4 : 16) == 0;
}

class BindingTable {
public:
    // The verdict for a new socket holding `keys`.
    SharingVerdict judge(const std::vector<Key> &keys, bool reuse) const {
        for (const Key &key : keys) {
            auto it = by_port_.find(key.port);
            if (it == by_port_.end()) continue;
            for (const Holding &held : it->second) {
                if (!overlaps(held.key, key)) continue;
                if (held.reuse && reuse) continue;
                return (reuse || held.key.claims_port) ? SharingVerdict::kAccessDenied
                                                       : SharingVerdict::kInUse;
            }
        }
        return SharingVerdict::kAllowed;
    }

    void add(std::uint64_t socket, const std::vector<Key> &keys, bool reuse) {
        for (const Key &key : keys) {
            by_port_[key.port].push_back(Holding{socket, key, reuse});
            ports_of_[socket].push_back(key.port);
        }
    }

    void remove(std::uint64_t socket) {
        auto it = ports_of_.find(socket);
        if (it == ports_of_.end()) return;
        for (std::uint16_t port : it->second) {
            auto holders = by_port_.find(port);
            if (holders == by_port_.end()) continue;
            std::erase_if(holders->second, [&](const Holding &h) { return h.socket == socket; });
            if (holders->second.empty()) by_port_.erase(holders);
        }
        ports_of_.erase(it);
    }

private:
    std::unordered_map<std::uint16_t, std::vector<Holding>> by_port_;
    std::unordered_map<std::uint64_t, std::vector<std::uint16_t>> ports_of_;
};

std::mutex &table_mutex() {
    static auto *mutex = new std::mutex();
    return *mutex;
}
BindingTable &table() {
    static auto *bindings = new BindingTable();
    return *bindings;
}

bool is_ip(const kernel::Address &address) {
    sa_family_t family;
    std::memcpy(&family, address.bytes, sizeof family);
    return family == AF_INET || family == AF_INET6;
}

bool v6_only(int fd) {
    int value = 1;
    socklen_t len = sizeof value;
    if (::getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &value, &len) < 0) return true;
    return value != 0;
}

// The keys a binding holds: its own address and, for a dual-stack IPv6 socket, the IPv4 one.
std::vector<Key> keys_for(const kernel::Address &address, bool dual_stack, bool exclusive, bool stream) {
    std::vector<Key> keys;
    Key key;
    key.stream = stream;
    sa_family_t family;
    std::memcpy(&family, address.bytes, sizeof family);
    if (family == AF_INET) {
        sockaddr_in in;
        std::memcpy(&in, address.bytes, sizeof in);
        key.family = AF_INET;
        key.port = in.sin_port;
        std::memcpy(key.address, &in.sin_addr, 4);
        key.claims_port = exclusive && in.sin_addr.s_addr == htonl(INADDR_ANY);
        keys.push_back(key);
        return keys;
    }
    sockaddr_in6 in6;
    std::memcpy(&in6, address.bytes, sizeof in6);
    key.family = AF_INET6;
    key.port = in6.sin6_port;
    std::memcpy(key.address, &in6.sin6_addr, 16);
    bool unspecified = IN6_IS_ADDR_UNSPECIFIED(&in6.sin6_addr);
    key.claims_port = exclusive && unspecified;
    keys.push_back(key);
    if (!dual_stack) return keys;
    Key v4;
    v4.stream = stream;
    v4.family = AF_INET;
    v4.port = in6.sin6_port;
    if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr) || IN6_IS_ADDR_V4COMPAT(&in6.sin6_addr)) {
        std::memcpy(v4.address, &in6.sin6_addr.s6_addr[12], 4);
        v4.claims_port = exclusive && std::memcmp(v4.address, "\0\0\0\0", 4) == 0;
        keys.push_back(v4);
    } else if (unspecified && exclusive) {
        v4.claims_port = true;
        keys.push_back(v4);
    }
    return keys;
}

std::uint16_t port_of(const kernel::Address &address) {
    // sin_port and sin6_port share their offset.
    std::uint16_t port;
    std::memcpy(&port, address.bytes + offsetof(sockaddr_in, sin_port), sizeof port);
    static_assert(offsetof(sockaddr_in, sin_port) == offsetof(sockaddr_in6, sin6_port));
    return port;
}

void let_kernel_share(int fd, SharingOptions options) {
    int one = 1;
    if (options.stream || options.reuse) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (options.reuse) ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
}

// A port-0 bind: the options its reservation takes once the kernel has chosen the port.
struct Pending {
    bool exclusive;
    bool reuse;
    bool stream;
};
std::unordered_map<std::uint64_t, Pending> &pending() {
    static auto *map = new std::unordered_map<std::uint64_t, Pending>();
    return *map;
}

}  // namespace

SharingVerdict reserve_address(std::uint64_t socket, int fd, const kernel::Address &address,
                               SharingOptions options) {
    if (!is_ip(address)) return SharingVerdict::kAllowed;
    let_kernel_share(fd, options);
    sa_family_t family;
    std::memcpy(&family, address.bytes, sizeof family);
    bool dual_stack = family == AF_INET6 && !v6_only(fd);
    std::lock_guard lock(table_mutex());
    if (port_of(address) == 0) {
        pending()[socket] = Pending{options.exclusive, options.reuse, options.stream};
        return SharingVerdict::kAllowed;
    }
    std::vector<Key> keys = keys_for(address, dual_stack, options.exclusive, options.stream);
    SharingVerdict verdict = table().judge(keys, options.reuse);
    if (verdict == SharingVerdict::kAllowed) table().add(socket, keys, options.reuse);
    return verdict;
}

void note_bound_address(std::uint64_t socket, int fd) {
    std::lock_guard lock(table_mutex());
    auto it = pending().find(socket);
    if (it == pending().end()) return;
    Pending wanted = it->second;
    pending().erase(it);
    kernel::Address local;
    socklen_t len = sizeof local.bytes;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(local.bytes), &len) < 0) return;
    local.length = len;
    sa_family_t family;
    std::memcpy(&family, local.bytes, sizeof family);
    bool dual_stack = family == AF_INET6 && !v6_only(fd);
    table().add(socket, keys_for(local, dual_stack, wanted.exclusive, wanted.stream), wanted.reuse);
}

void deliver_to_first_socket(int fd) {
    sock_filter first_socket[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
    sock_fprog program{1, first_socket};
    // Best effort: without it Linux spreads connections over the group.
    ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &program, sizeof program);
}

void release_address(std::uint64_t socket) {
    std::lock_guard lock(table_mutex());
    pending().erase(socket);
    table().remove(socket);
}

}  // namespace ws2::base
