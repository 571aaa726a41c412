// Group ids and per-process group membership.
//
// Ids: a 32-bit counter in a POSIX shared-memory object (/dev/shm/ws2-socket-groups) that every
// ws2 process maps and increments atomically, so ids are unique across the machine. Where the
// object cannot be opened (no /dev/shm, or another user's object without write access) ids fall
// back to the process id in the high bits and a local counter in the low ones: still unique
// among live processes.
#include "providers/base/socket_groups.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace ws2::base {
namespace {

constexpr const char *kCounterName = "/ws2-socket-groups";
constexpr std::uint32_t kFirstId = 0x100;  // clear of 0 and the SG_* request values

std::uint32_t *shared_counter() {
    static std::uint32_t *counter = [] () -> std::uint32_t * {
        int fd = shm_open(kCounterName, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) return nullptr;
        fchmod(fd, 0666);  // the creator's umask must not lock other users out
        struct stat st{};
        if (fstat(fd, &st) != 0 || (st.st_size < static_cast<off_t>(sizeof(std::uint32_t)) &&
                                    ftruncate(fd, sizeof(std::uint32_t)) != 0)) {
            close(fd);
            return nullptr;
        }
        void *p = mmap(nullptr, sizeof(std::uint32_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        return p == MAP_FAILED ? nullptr : static_cast<std::uint32_t *>(p);
    }();
    return counter;
}

std::uint32_t next_id() {
    if (std::uint32_t *counter = shared_counter()) {
        for (;;) {
            std::uint32_t n = __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
            if (n + kFirstId >= kFirstId) return n + kFirstId;  // skip the values below kFirstId on wrap
        }
    }
    static std::atomic<std::uint32_t> local{0};
    std::uint32_t n = local.fetch_add(1, std::memory_order_relaxed) & 0x3ff;
    return (static_cast<std::uint32_t>(getpid()) << 10) | n | kFirstId;
}

struct Group {
    bool constrained;
    int type, protocol;
    int members;
    bool has_peer;
    int family;
    unsigned char host[16];  // the host every member of a constrained group connects to
};

std::mutex &groups_mutex() {
    static auto *m = new std::mutex();
    return *m;
}
std::unordered_map<std::uint32_t, Group> &groups() {
    static auto *table = new std::unordered_map<std::uint32_t, Group>();
    return *table;
}

// The host part of an IP address (the port does not matter: "the same address on the same host").
bool host_of(const kernel::Address &a, int *family, unsigned char host[16]) {
    sa_family_t f;
    std::memcpy(&f, a.bytes, sizeof f);
    std::memset(host, 0, 16);
    if (f == AF_INET) {
        sockaddr_in in;
        std::memcpy(&in, a.bytes, sizeof in);
        std::memcpy(host, &in.sin_addr, 4);
    } else if (f == AF_INET6) {
        sockaddr_in6 in6;
        std::memcpy(&in6, a.bytes, sizeof in6);
        std::memcpy(host, &in6.sin6_addr, 16);
    } else {
        return false;
    }
    *family = f;
    return true;
}

}  // namespace

bool join_group(std::uint32_t g, int type, int protocol, bool connection_oriented, std::uint32_t *id) {
    *id = kNoGroup;
    if (g == kNoGroup) return true;
    std::lock_guard lock(groups_mutex());
    if (g == kNewUnconstrainedGroup || g == kNewConstrainedGroup) {
        bool constrained = g == kNewConstrainedGroup;
        if (constrained && !connection_oriented) return false;
        std::uint32_t fresh = next_id();
        while (groups().count(fresh) != 0) fresh = next_id();
        groups()[fresh] = Group{constrained, type, protocol, 1, false, 0, {}};
        *id = fresh;
        return true;
    }
    auto it = groups().find(g);
    if (it == groups().end()) return false;
    Group &group = it->second;
    if (group.constrained &&
        (!connection_oriented || type != group.type || protocol != group.protocol))
        return false;
    ++group.members;
    *id = g;
    return true;
}

void leave_group(std::uint32_t id) {
    if (id == kNoGroup) return;
    std::lock_guard lock(groups_mutex());
    auto it = groups().find(id);
    if (it != groups().end() && --it->second.members == 0) groups().erase(it);
}

bool admit_peer(std::uint32_t id, const kernel::Address &peer) {
    if (id == kNoGroup) return true;
    std::lock_guard lock(groups_mutex());
    auto it = groups().find(id);
    if (it == groups().end() || !it->second.constrained) return true;
    Group &group = it->second;
    int family = 0;
    unsigned char host[16];
    if (!host_of(peer, &family, host)) return false;
    if (!group.has_peer) {
        group.has_peer = true;
        group.family = family;
        std::memcpy(group.host, host, sizeof host);
        return true;
    }
    return group.family == family && std::memcmp(group.host, host, sizeof host) == 0;
}

}  // namespace ws2::base
