// WSPJoinLeaf of the base provider. Its UDP entries offer multipoint without rooted control or
// data planes (XP1_SUPPORT_MULTIPOINT alone): IP multicast, a non-rooted session that each
// c_leaf/d_leaf socket joins by itself. As Windows documents for a c_leaf, the socket returned is
// `s` itself; as msafd and AFD do, the join binds an unbound socket to the wildcard address with
// the group's port, half-connects it to the group (sends without an address go there, receives
// stay open to all) and completes at once, so a non-blocking join also returns `s` and
// WSAEventSelect reports FD_CONNECT.
#include "providers/base/base_join_leaf.h"

#include <ws2tcpip.h>

#include <mutex>
#include <unordered_map>

#include "providers/base/base_state.h"
#include "providers/base/kernel_multicast.h"
#include "providers/base/kernel_socket.h"
#include "win32/errno_map.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

SOCKET fail(LPINT err, int code) {
    *err = code;
    return INVALID_SOCKET;
}

// Joins run one at a time, so a socket joins at most one session.
std::mutex g_sessions_mutex;
auto *g_sessions = new std::unordered_map<SOCKET, kernel::Address>();  // guarded by g_sessions_mutex

// The connect data and flow specs must be readable (and the callee buffer's length writable):
// WSAEFAULT otherwise. `caller_bytes` receives how much caller data was offered.
int check_join_data(LPWSABUF caller, LPWSABUF callee, LPQOS sqos, LPQOS gqos, ULONG *caller_bytes) {
    WSABUF buffer{};
    *caller_bytes = 0;
    if (caller != nullptr) {
        if (!win32::read_user_value(&buffer, caller)) return WSAEFAULT;
        *caller_bytes = buffer.len;
    }
    if (callee != nullptr &&
        (!win32::read_user_value(&buffer, callee) || !win32::write_user_value(&callee->len, buffer.len)))
        return WSAEFAULT;
    QOS qos;
    if ((sqos != nullptr && !win32::read_user_value(&qos, sqos)) ||
        (gqos != nullptr && !win32::read_user_value(&qos, gqos)))
        return WSAEFAULT;
    return 0;
}

// Binds an unbound leaf as msafd does: the wildcard address with the group's port, so the
// socket receives what is sent to the session.
int bind_for_session(SOCKET s, const BaseSocket &socket, const kernel::Address &group) {
    if (socket.state & BaseSocket::kBound) return 0;
    kernel::Address local;
    if (kernel::local_address(static_cast<int>(s), &local) == 0 && kernel::is_bound_local_address(local)) {
        base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kBound; });
        return 0;
    }
    u_short port = htons(static_cast<u_short>(kernel::port(group)));
    int err = 0, rc;
    if (socket.af == AF_INET6) {
        sockaddr_in6 any{};
        any.sin6_family = AF_INET6;
        any.sin6_port = port;
        rc = WSPBind(s, reinterpret_cast<const sockaddr *>(&any), sizeof any, &err);
    } else {
        sockaddr_in any{};
        any.sin_family = AF_INET;
        any.sin_port = port;
        rc = WSPBind(s, reinterpret_cast<const sockaddr *>(&any), sizeof any, &err);
    }
    return rc == SOCKET_ERROR ? err : 0;
}

}  // namespace

bool multipoint_session(SOCKET s, kernel::Address *group) {
    std::lock_guard lock(g_sessions_mutex);
    auto it = g_sessions->find(s);
    if (it == g_sessions->end()) return false;
    *group = it->second;
    return true;
}

void forget_multipoint_session(SOCKET s) {
    std::lock_guard lock(g_sessions_mutex);
    g_sessions->erase(s);
}

SOCKET WSPAPI WSPJoinLeaf(SOCKET s, const sockaddr *name, int namelen, LPWSABUF lpCallerData,
                          LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags,
                          LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return INVALID_SOCKET;
    // name and namelen are checked as connect checks them; pointers before anything else.
    kernel::Address group;
    int address_error = kernel::address_to_kernel(name, namelen, &group);
    if (address_error == WSAEFAULT) return fail(lpErrno, WSAEFAULT);
    ULONG caller_bytes = 0;
    if (int e = check_join_data(lpCallerData, lpCalleeData, lpSQOS, lpGQOS, &caller_bytes)) return fail(lpErrno, e);
    // Only sockets created with the multipoint leaf flags join (the UDP entries accept no
    // others); the documented answer for any other socket is WSAEINVAL.
    if ((socket.flags & (WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF)) == 0)
        return fail(lpErrno, WSAEINVAL);
    if (address_error != 0 || kernel::windows_family(group) != socket.af) return fail(lpErrno, WSAEAFNOSUPPORT);

    std::lock_guard lock(g_sessions_mutex);
    if (!base_sockets().load(s, &socket)) return fail(lpErrno, WSAENOTSOCK);
    if (socket.state & BaseSocket::kMultipointLeaf) return fail(lpErrno, WSAEISCONN);
    // An IP session is a multicast group; ADDR_ANY or a unicast address names none.
    if (!kernel::is_multicast(group)) return fail(lpErrno, WSAEADDRNOTAVAIL);
    // IP carries no connect data, and this provider offers no QOS (no XP1_QOS_SUPPORTED).
    if (caller_bytes > 0) return fail(lpErrno, WSAEPROTONOSUPPORT);
    if (lpSQOS != nullptr || lpGQOS != nullptr) return fail(lpErrno, WSAEOPNOTSUPP);

    int fd = static_cast<int>(s);
    if (socket.state & BaseSocket::kConnected) {
        // The session replaces the peer (a datagram re-connect, as on Windows).
        if (int rc = kernel::dissolve_peer(fd)) return fail(lpErrno, win32::wsa_error_from_errno(-rc));
        kernel::Address local;
        bool still_bound = kernel::local_address(fd, &local) == 0 && kernel::is_bound_local_address(local);
        base_sockets().update(s, [still_bound](BaseSocket &b) {
            b.state &= ~BaseSocket::kConnected;
            if (!still_bound) b.state &= ~BaseSocket::kBound;
        });
        if (!base_sockets().load(s, &socket)) return fail(lpErrno, WSAENOTSOCK);
    }
    if (int e = bind_for_session(s, socket, group)) return fail(lpErrno, e);
    // Windows' helper joins for anything but JL_SENDER_ONLY and keeps the sending interface in
    // step with a bound address unless the leaf only receives.
    bool receive = dwFlags != JL_SENDER_ONLY, send = dwFlags != JL_RECEIVER_ONLY;
    if (int rc = kernel::join_multicast_session(fd, group, receive, send))
        return fail(lpErrno, win32::wsa_error_from_errno(-rc));
    (*g_sessions)[s] = group;
    base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kMultipointLeaf | BaseSocket::kBound; });
    // No user data comes back over IP.
    if (lpCalleeData != nullptr) win32::write_user_value(&lpCalleeData->len, ULONG{0});
    if (socket.state & BaseSocket::kEventSelect) record_network_event(s, FD_CONNECT, 0);
    return s;
}

}  // namespace ws2::base
