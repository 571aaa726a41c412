// WSPSocket / WSPCloseSocket of the base provider.
#include <span>

#include "catalog/selection.h"
#include "providers/base/access_security.h"
#include "providers/base/address_sharing.h"
#include "providers/base/base_join_leaf.h"
#include "providers/base/base_extensions.h"
#include "providers/base/base_overlapped.h"
#include "providers/base/base_state.h"
#include "providers/base/bind_audit.h"
#include "providers/base/kernel_share.h"
#include "providers/base/kernel_socket.h"
#include "providers/base/socket_groups.h"
#include "spi/counter_table.h"
#include "win32/errno_map.h"

namespace ws2::base {
namespace {

SOCKET fail(LPINT err, int code) {
    *err = code;
    return INVALID_SOCKET;
}

spi::CounterTable &in_flight_counters() {
    static auto *table = new spi::CounterTable();
    return *table;
}

// Set in a counter when a shared socket's descriptor was closed under running calls: the number
// holds a placeholder until the last of them leaves, which closes it.
constexpr std::uint32_t kRetired = 1u << 31;

void close_if_retired_and_idle(std::atomic<std::uint32_t> *c, std::uint64_t fd) {
    std::uint32_t idle = kRetired;
    if (c->compare_exchange_strong(idle, 0, std::memory_order_acq_rel))
        kernel::close_socket(static_cast<int>(fd));
}

// 0 and FROM_PROTOCOL_INFO take the value from the protocol info, as WSPSocket must accept.
int resolve(int value, int from_info) {
    return (value == 0 || value == FROM_PROTOCOL_INFO) ? from_info : value;
}

// The entry describing the socket to create, or the Winsock error when none of this
// provider's entries serves the triple.
const WSAPROTOCOL_INFOW *find_entry(const WSAPROTOCOL_INFOW *given, int af, int type, int protocol,
                                    int *err) {
    std::span<const catalog::Entry> entries(own_entries());
    // Usually ws2 hands over the very entry that matched: take it without searching again.
    if (given != nullptr) {
        for (const catalog::Entry &e : entries)
            if (e.id() == given->dwCatalogEntryId) {
                if (catalog::entry_matches(e, af, type, protocol)) return &e.info;
                break;
            }
    }
    // Otherwise the catalog's matching and ranking rules, over this provider's own entries.
    auto all = [](const catalog::Entry &) { return true; };
    const catalog::Entry *e = catalog::find_first_match(entries, af, type, protocol, all);
    if (e == nullptr) {
        *err = catalog::rank_no_match_error(entries, af, type, protocol, all);
        return nullptr;
    }
    return &e->info;
}

}  // namespace

SOCKET WSPAPI WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                        GROUP g, DWORD dwFlags, LPINT lpErrno) {
    // An info from WSADuplicateSocket names an existing socket (base_duplicate.cpp).
    if (is_duplicate_info(lpProtocolInfo)) return adopt_shared_socket(*lpProtocolInfo, dwFlags, lpErrno);
    bool protocol_from_info =
        lpProtocolInfo != nullptr && (protocol == 0 || protocol == FROM_PROTOCOL_INFO);
    bool type_given = type != 0 && type != FROM_PROTOCOL_INFO;
    if (lpProtocolInfo != nullptr) {
        af = resolve(af, lpProtocolInfo->iAddressFamily);
        type = resolve(type, lpProtocolInfo->iSocketType);
        protocol = resolve(protocol, lpProtocolInfo->iProtocol);
    }
    if (af == AF_UNSPEC && protocol == 0) return fail(lpErrno, WSAEINVAL);
    if (af == AF_UNSPEC && lpProtocolInfo != nullptr) return fail(lpErrno, WSAEAFNOSUPPORT);

    int err = 0;
    const WSAPROTOCOL_INFOW *entry = find_entry(lpProtocolInfo, af, type, protocol, &err);
    if (entry == nullptr) {
        // The protocol the WSAPROTOCOL_INFO names does not fit the type the caller asked for.
        if (err == WSAEPROTONOSUPPORT && protocol_from_info && type_given) err = WSAEPROTOTYPE;
        return fail(lpErrno, err);
    }
    af = entry->iAddressFamily;
    type = entry->iSocketType;
    if (protocol == 0) protocol = entry->iProtocol;
    // A SACL needs SE_SECURITY_NAME; its Linux counterpart is CAP_AUDIT_CONTROL (access denied).
    if ((dwFlags & WSA_FLAG_ACCESS_SYSTEM_SECURITY) && !holds_security_privilege())
        return fail(lpErrno, WSAEACCES);

    // g: no group, a new group with this socket as its first member, or an existing group whose
    // rules admit the socket; anything else is WSAEINVAL.
    std::uint32_t group = kNoGroup;
    bool connection_oriented = (entry->dwServiceFlags1 & XP1_CONNECTIONLESS) == 0;
    if (!join_group(g, type, protocol, connection_oriented, &group)) return fail(lpErrno, WSAEINVAL);

    bool inheritable = (dwFlags & WSA_FLAG_NO_HANDLE_INHERIT) == 0;
    int fd = kernel::create_socket(af, type, protocol, inheritable);
    if (fd < 0) {
        leave_group(group);
        return fail(lpErrno, win32::wsa_error_from_errno(-fd));
    }

    BaseSocket state = new_socket_state(entry, af, type, protocol, dwFlags);
    state.group = group;
    if (!base_sockets().store(static_cast<std::uint64_t>(fd), state)) {
        kernel::close_socket(fd);
        leave_group(group);
        return fail(lpErrno, WSAENOBUFS);
    }
    SOCKET s = modify_ifs_handle_upcall()(entry->dwCatalogEntryId, static_cast<SOCKET>(fd), &err);
    if (s == INVALID_SOCKET) {
        base_sockets().erase(static_cast<std::uint64_t>(fd));
        kernel::close_socket(fd);
        leave_group(group);
        return fail(lpErrno, err);
    }
    return s;
}

InFlight::InFlight(SOCKET s) : fd_(s) {
    if (auto *c = in_flight_counters().counter(fd_, true)) c->fetch_add(1, std::memory_order_acq_rel);
}

InFlight::~InFlight() {
    if (auto *c = in_flight_counters().counter(fd_, false))
        if (c->fetch_sub(1, std::memory_order_acq_rel) == (kRetired | 1)) close_if_retired_and_idle(c, fd_);
}

std::uint32_t calls_in_flight(std::uint64_t fd) {
    auto *c = in_flight_counters().counter(fd, false);
    return c != nullptr ? c->load(std::memory_order_acquire) & ~kRetired : 0;
}

bool find(SOCKET s, BaseSocket *out, LPINT err) {
    if (base_sockets().load(s, out)) return true;
    *err = WSAENOTSOCK;
    return false;
}

BaseSocket new_socket_state(const WSAPROTOCOL_INFOW *entry, int af, int type, int protocol,
                            DWORD flags) {
    BaseSocket state{};
    state.entry = entry;
    state.af = af;
    state.type = type;
    state.protocol = protocol;
    state.flags = flags;
    state.receive_buffer = state.send_buffer = -1;
    return state;
}

void release_socket_resources(SOCKET s, const BaseSocket &closing) {
    abort_overlapped(s);  // pending requests complete with WSA_OPERATION_ABORTED
    abort_accepts_into(s);  // and an AcceptEx waiting to accept into this socket
    drop_deferred_connections(s);
    if (closing.state & BaseSocket::kHoldsAddress) release_address(s);
    if (closing.flags & WSA_FLAG_ACCESS_SYSTEM_SECURITY) stop_auditing(s);
    leave_group(closing.group);
    if (closing.state & BaseSocket::kEventSelect) forget_network_events(s);
    if (closing.state & BaseSocket::kMultipointLeaf) forget_multipoint_session(s);
}

// The record goes first, so calls that start now fail with WSAENOTSOCK; calls already blocked
// on the descriptor are woken (shutdown) and finish before the number is released; those on a
// shared socket (WSADuplicateSocket) are left running on it.
int WSPAPI WSPCloseSocket(SOCKET s, LPINT lpErrno) {
    BaseSocket closing{};
    if (!base_sockets().erase(s, &closing)) {
        *lpErrno = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    release_socket_resources(s, closing);
    if (calls_in_flight(s) > 0) {
        // A shared socket is never shut down (that would end it for its other descriptors): its
        // running calls continue on the socket, and the number waits for them as a placeholder.
        auto *c = in_flight_counters().counter(s, false);
        if ((closing.state & BaseSocket::kShared) && c != nullptr &&
            kernel::retire_descriptor(static_cast<int>(s)) == 0) {
            c->fetch_or(kRetired, std::memory_order_acq_rel);
            close_if_retired_and_idle(c, s);
            return 0;
        }
        if (!(closing.state & BaseSocket::kShared)) kernel::wake_blocked_calls(static_cast<int>(s));
        while (calls_in_flight(s) > 0) kernel::pause_briefly();
    }
    int rc = kernel::close_socket(static_cast<int>(s));
    if (rc < 0) {
        *lpErrno = win32::wsa_error_from_errno(-rc);
        return SOCKET_ERROR;
    }
    return 0;
}

}  // namespace ws2::base
