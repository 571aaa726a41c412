// Connections in the base provider: WSPBind, WSPListen, WSPAccept (with WSAAccept's condition
// function), WSPConnect, WSPShutdown, WSPGetSockName, WSPGetPeerName.
#include <time.h>

#include <cerrno>

#include <mutex>
#include <unordered_map>
#include <vector>

#include "providers/base/address_sharing.h"
#include "providers/base/base_join_leaf.h"
#include "providers/base/base_state.h"
#include "providers/base/bind_audit.h"
#include "providers/base/kernel_address.h"
#include "providers/base/kernel_socket.h"
#include "providers/base/socket_groups.h"
#include "win32/errno_map.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

std::uint64_t monotonic_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

void set_state(SOCKET s, std::uint32_t add, std::uint32_t remove = 0) {
    base_sockets().update(s, [&](BaseSocket &b) { b.state = (b.state | add) & ~remove; });
}

// A caller's address for this socket: the family must be the socket's own.
int address_for(const BaseSocket &socket, const sockaddr *name, int namelen, int mismatch_error,
                kernel::Address *out) {
    int rc = kernel::address_to_kernel(name, namelen, out);
    if (rc != 0) return rc;
    return kernel::windows_family(*out) == socket.af ? 0 : mismatch_error;
}

// Whether the kernel has given the socket a local address (bind, or an implicit bind by
// connect/sendto/listen); remembered once seen.
bool is_bound(SOCKET s, const BaseSocket &socket) {
    if (socket.state & BaseSocket::kBound) return true;
    kernel::Address local;
    if (kernel::local_address(static_cast<int>(s), &local) != 0 || !kernel::is_bound_local_address(local))
        return false;
    set_state(s, BaseSocket::kBound);
    return true;
}

// WSAAccept's CF_DEFER: the kernel has already completed the connection, so a deferred one is
// kept here and offered again (to the condition function) by the next accept on the listener.
struct Deferred {
    int fd;
    kernel::Address peer;
};
std::mutex g_deferred_mutex;
std::unordered_map<std::uint64_t, std::vector<Deferred>> g_deferred;

bool take_deferred(SOCKET listener, Deferred *out) {
    std::lock_guard lock(g_deferred_mutex);
    auto it = g_deferred.find(listener);
    if (it == g_deferred.end() || it->second.empty()) return false;
    *out = it->second.front();
    it->second.erase(it->second.begin());
    return true;
}

void defer(SOCKET listener, const Deferred &d) {
    std::lock_guard lock(g_deferred_mutex);
    g_deferred[listener].push_back(d);
}

}  // namespace

void drop_deferred_connections(SOCKET listener) {
    std::vector<Deferred> dropped;
    {
        std::lock_guard lock(g_deferred_mutex);
        auto it = g_deferred.find(listener);
        if (it == g_deferred.end()) return;
        dropped.swap(it->second);
        g_deferred.erase(it);
    }
    for (const Deferred &d : dropped) kernel::close_socket(d.fd);
}

int WSPAPI WSPBind(SOCKET s, const sockaddr *name, int namelen, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    kernel::Address address;
    if (int rc = address_for(socket, name, namelen, WSAEFAULT, &address)) return fail(lpErrno, rc);
    BindAudit audit(s, socket.type, address, lpErrno);  // records attempts on audited ports
    if (socket.state & BaseSocket::kBound) return fail(lpErrno, WSAEINVAL);
    int fd = static_cast<int>(s);
    SharingOptions sharing{(socket.state & BaseSocket::kReuseAddress) != 0,
                           (socket.state & BaseSocket::kExclusiveAddress) != 0, socket.stream()};
    switch (reserve_address(s, fd, address, sharing)) {
        case SharingVerdict::kAllowed: break;
        case SharingVerdict::kInUse: return fail(lpErrno, WSAEADDRINUSE);
        case SharingVerdict::kAccessDenied: return fail(lpErrno, WSAEACCES);
    }
    int rc = kernel::bind(fd, address);
    if (rc < 0) {
        release_address(s);
        int error = win32::wsa_error_from_errno(-rc);
        // Another process holds the address: a socket that asked to share is denied access.
        if (error == WSAEADDRINUSE && sharing.reuse) error = WSAEACCES;
        return fail(lpErrno, error);
    }
    note_bound_address(s, fd);
    if (sharing.reuse && !socket.stream()) deliver_to_first_socket(fd);
    set_state(s, BaseSocket::kBound | BaseSocket::kHoldsAddress);
    audit.bound((socket.flags & WSA_FLAG_ACCESS_SYSTEM_SECURITY) != 0);
    return 0;
}

int WSPAPI WSPListen(SOCKET s, int backlog, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    if (!socket.stream()) return fail(lpErrno, WSAEOPNOTSUPP);
    if (socket.state & (BaseSocket::kConnected | BaseSocket::kConnecting)) return fail(lpErrno, WSAEISCONN);
    if (!is_bound(s, socket)) return fail(lpErrno, WSAEINVAL);  // Windows never binds implicitly here
    // SOMAXCONN_HINT(b) is -b: a backlog of b, within Windows' 200..65535.
    if (backlog < 0) backlog = backlog < -65535 ? 65535 : (-backlog < 200 ? 200 : -backlog);
    int rc = kernel::listen(static_cast<int>(s), backlog);
    if (rc < 0) return fail(lpErrno, win32::wsa_error_from_errno(-rc));
    if (socket.state & BaseSocket::kReuseAddress) deliver_to_first_socket(static_cast<int>(s));
    set_state(s, BaseSocket::kListening);
    if (socket.state & BaseSocket::kEventSelect) reenable_network_events(s, FD_ACCEPT);
    return 0;
}

SOCKET WSPAPI WSPAccept(SOCKET s, sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                        DWORD_PTR dwCallbackData, LPINT lpErrno) {
    BaseSocket listener{};
    if (!find(s, &listener, lpErrno)) return INVALID_SOCKET;
    if (addrlen != nullptr) {
        int len = 0;
        if (!win32::read_user_value(&len, addrlen) || (addr != nullptr && len < 2))
            return fail(lpErrno, WSAEFAULT), INVALID_SOCKET;
    }
    if (!(listener.state & BaseSocket::kListening)) return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;

    InFlight busy(s);
    ReenableOnReturn reenable(s, listener, FD_ACCEPT);
    for (;;) {
        Deferred next;
        std::uint32_t accepted_group = kNoGroup;
        if (!take_deferred(s, &next)) {
            bool inheritable = (listener.flags & WSA_FLAG_NO_HANDLE_INHERIT) == 0;
            bool nonblocking = (listener.state & BaseSocket::kNonBlocking) != 0;
            next.fd = kernel::accept(static_cast<int>(s), &next.peer, inheritable, nonblocking);
            if (next.fd < 0) {
                if (!base_sockets().contains(s)) return fail(lpErrno, WSAEINTR), INVALID_SOCKET;
                return fail(lpErrno, win32::wsa_error_from_errno(-next.fd)), INVALID_SOCKET;
            }
        }
        if (lpfnCondition != nullptr) {
            kernel::Address local;
            kernel::local_address(next.fd, &local);
            char caller[sizeof next.peer.bytes], callee[sizeof local.bytes];
            int caller_len = sizeof caller, callee_len = sizeof callee;
            kernel::address_to_windows(next.peer, caller, &caller_len);
            kernel::address_to_windows(local, callee, &callee_len);
            WSABUF caller_id{static_cast<ULONG>(caller_len), caller};
            WSABUF callee_id{static_cast<ULONG>(callee_len), callee};
            GROUP group = 0;
            int verdict = lpfnCondition(&caller_id, nullptr, nullptr, nullptr, &callee_id, nullptr,
                                        &group, dwCallbackData);
            if (verdict == CF_DEFER) {
                defer(s, next);
                return fail(lpErrno, WSATRY_AGAIN), INVALID_SOCKET;
            }
            if (verdict != CF_ACCEPT) {
                kernel::close_socket(next.fd);
                return fail(lpErrno, WSAECONNREFUSED), INVALID_SOCKET;
            }
            // The condition function may put the new socket in a group (g as in WSASocket).
            if (!join_group(group, listener.type, listener.protocol, listener.stream(), &accepted_group)) {
                kernel::close_socket(next.fd);
                return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;
            }
            if (!admit_peer(accepted_group, next.peer)) {
                leave_group(accepted_group);
                kernel::close_socket(next.fd);
                return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;
            }
        }
        // The accepted socket has the listener's properties and options, not its group.
        BaseSocket accepted = listener;
        accepted.group = accepted_group;
        accepted.state = BaseSocket::kBound | BaseSocket::kConnected |
                         (listener.state & (BaseSocket::kNonBlocking | BaseSocket::kReuseAddress |
                                            BaseSocket::kExclusiveAddress));
        accepted.connect_error = 0;
        accepted.connected_at_ns = monotonic_ns();
        if (!base_sockets().store(static_cast<std::uint64_t>(next.fd), accepted)) {
            kernel::close_socket(next.fd);
            leave_group(accepted_group);
            return fail(lpErrno, WSAENOBUFS), INVALID_SOCKET;
        }
        int err = 0;
        SOCKET a = modify_ifs_handle_upcall()(listener.entry->dwCatalogEntryId,
                                              static_cast<SOCKET>(next.fd), &err);
        if (a == INVALID_SOCKET) {
            base_sockets().erase(static_cast<std::uint64_t>(next.fd));
            kernel::close_socket(next.fd);
            leave_group(accepted_group);
            return fail(lpErrno, err), INVALID_SOCKET;
        }
        // The accepted socket shares the listener's WSAEventSelect registration.
        if (listener.state & BaseSocket::kEventSelect) copy_network_events(s, a);
        if (addr != nullptr && addrlen != nullptr) {
            // The connection is accepted either way; a bad buffer only loses the address.
            kernel::address_to_windows(next.peer, addr, addrlen);
        }
        return a;
    }
}

int WSPAPI WSPConnect(SOCKET s, const sockaddr *name, int namelen, LPWSABUF, LPWSABUF, LPQOS, LPQOS,
                      LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    kernel::Address address;
    if (int rc = address_for(socket, name, namelen, WSAEAFNOSUPPORT, &address)) return fail(lpErrno, rc);
    // A listener, or the accept socket of a pending AcceptEx, cannot connect.
    if (socket.state & (BaseSocket::kListening | BaseSocket::kAcceptTarget)) return fail(lpErrno, WSAEINVAL);
    if (socket.stream() && (kernel::is_unspecified(address) || kernel::port(address) == 0) &&
        socket.af != AF_UNIX)
        return fail(lpErrno, WSAEADDRNOTAVAIL);
    // A constrained group's members all connect to one host.
    if (socket.group != kNoGroup && !admit_peer(socket.group, address)) return fail(lpErrno, WSAEINVAL);

    InFlight busy(s);
    int rc = kernel::connect(static_cast<int>(s), address);
    if (rc == 0) {
        base_sockets().update(s, [](BaseSocket &b) {
            b.state = (b.state | BaseSocket::kConnected | BaseSocket::kBound) & ~BaseSocket::kConnecting;
            b.connect_error = 0;
            b.connected_at_ns = monotonic_ns();
        });
        // Linux reports a finished non-blocking connect by succeeding once more; Windows says
        // the socket is already connected.
        if (socket.state & BaseSocket::kConnecting) return fail(lpErrno, WSAEISCONN);
        return 0;
    }
    if (!base_sockets().contains(s)) return fail(lpErrno, WSAEINTR);
    int err = win32::wsa_error_from_errno(-rc);
    if (-rc == EINPROGRESS) {
        set_state(s, BaseSocket::kConnecting | BaseSocket::kBound);
        if (socket.state & BaseSocket::kEventSelect) reenable_network_events(s, FD_CONNECT | FD_WRITE);
        return fail(lpErrno, WSAEWOULDBLOCK);
    }
    if (err == WSAEISCONN && (socket.state & BaseSocket::kConnecting)) {
        base_sockets().update(s, [](BaseSocket &b) {
            b.state = (b.state | BaseSocket::kConnected) & ~BaseSocket::kConnecting;
            b.connected_at_ns = monotonic_ns();
        });
    }
    if (socket.stream() && err != WSAEALREADY && err != WSAEISCONN)
        base_sockets().update(s, [err](BaseSocket &b) {
            b.state &= ~BaseSocket::kConnecting;
            b.connect_error = err;
        });
    return fail(lpErrno, err);
}

int WSPAPI WSPShutdown(SOCKET s, int how, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    if (how < SD_RECEIVE || how > SD_BOTH) return fail(lpErrno, WSAEINVAL);
    if (socket.stream() && !(socket.state & BaseSocket::kConnected)) return fail(lpErrno, WSAENOTCONN);
    int rc = kernel::shutdown(static_cast<int>(s), how);
    // A datagram socket may be shut down unconnected on Windows.
    if (rc < 0 && !(-rc == ENOTCONN && !socket.stream()))
        return fail(lpErrno, win32::wsa_error_from_errno(-rc));
    std::uint32_t add = 0;
    if (how != SD_SEND) add |= BaseSocket::kReceiveShut;
    if (how != SD_RECEIVE) add |= BaseSocket::kSendShut;
    set_state(s, add);
    return 0;
}

int WSPAPI WSPGetSockName(SOCKET s, sockaddr *name, LPINT namelen, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    kernel::Address local;
    int rc = kernel::local_address(static_cast<int>(s), &local);
    if (rc < 0) return fail(lpErrno, win32::wsa_error_from_errno(-rc));
    if (!(socket.state & BaseSocket::kBound) && !kernel::is_bound_local_address(local))
        return fail(lpErrno, WSAEINVAL);
    if (int err = kernel::address_to_windows(local, name, namelen)) return fail(lpErrno, err);
    return 0;
}

int WSPAPI WSPGetPeerName(SOCKET s, sockaddr *name, LPINT namelen, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    kernel::Address peer;
    int rc = kernel::peer_address(static_cast<int>(s), &peer);
    // A multipoint leaf's peer is its session (msafd keeps the group as the remote address).
    if (rc < 0 && (socket.state & BaseSocket::kMultipointLeaf) && multipoint_session(s, &peer)) rc = 0;
    if (rc < 0) return fail(lpErrno, win32::wsa_error_from_errno(-rc));
    if (int err = kernel::address_to_windows(peer, name, namelen)) return fail(lpErrno, err);
    return 0;
}

}  // namespace ws2::base

namespace ws2::base {

// TCP and UDP carry no disconnect data; without data these are shutdown(SD_SEND/SD_RECEIVE).
int WSPAPI WSPSendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno) {
    if (lpOutboundDisconnectData != nullptr) {
        WSABUF data{};
        if (!win32::read_user_value(&data, lpOutboundDisconnectData)) return fail(lpErrno, WSAEFAULT);
        if (data.len > 0) return fail(lpErrno, WSAENOPROTOOPT);
    }
    return WSPShutdown(s, SD_SEND, lpErrno);
}

int WSPAPI WSPRecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno) {
    if (lpInboundDisconnectData != nullptr) return fail(lpErrno, WSAENOPROTOOPT);
    return WSPShutdown(s, SD_RECEIVE, lpErrno);
}

}  // namespace ws2::base
