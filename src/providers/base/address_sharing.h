// Windows' address-sharing rules for bind (SO_REUSEADDR / SO_EXCLUSIVEADDRUSE), which Linux's
// SO_REUSEADDR does not reproduce. The process keeps a table of its bound IP addresses and
// judges each explicit bind against it before the kernel sees it; the kernel remains the judge
// between processes. See docs/architecture.md, "Address sharing".
#pragma once
#include <cstdint>

#include "providers/base/kernel_address.h"

namespace ws2::base {

enum class SharingVerdict {
    kAllowed,
    kInUse,         // WSAEADDRINUSE
    kAccessDenied,  // WSAEACCES
};

struct SharingOptions {
    bool reuse;      // SO_REUSEADDR
    bool exclusive;  // SO_EXCLUSIVEADDRUSE
    bool stream;     // only stream sockets get Linux SO_REUSEADDR unconditionally
};

// Judges a bind of `socket` (descriptor fd) to `address` and, when allowed, reserves the
// address until release_address. Addresses without a port are reserved once the kernel has
// chosen one (note_bound_address). Also sets the kernel options that let Linux accept what
// Windows accepts.
SharingVerdict reserve_address(std::uint64_t socket, int fd, const kernel::Address &address,
                               SharingOptions options);
// After a successful kernel bind: records the port the kernel chose for a port-0 bind.
void note_bound_address(std::uint64_t socket, int fd);
// For an SO_REUSEADDR socket once the kernel has put it in its sharing group (after bind for
// datagrams, after listen for streams; earlier would make a group of its own and refuse the
// sharing): connections and datagrams go to the group's first socket, as on Windows.
void deliver_to_first_socket(int fd);
// The socket's reservation ends (failed bind, closesocket).
void release_address(std::uint64_t socket);

}  // namespace ws2::base
