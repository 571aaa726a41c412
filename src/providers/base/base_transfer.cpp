// Data in the base provider: WSPSend, WSPSendTo, WSPRecv, WSPRecvFrom, synchronous (blocking or
// non-blocking). Overlapped requests arrive with the I/O engine.
#include <cerrno>
#include <cstddef>
#include <vector>

#include "providers/base/base_join_leaf.h"
#include "providers/base/base_overlapped.h"
#include "providers/base/base_state.h"
#include "providers/base/kernel_address.h"
#include "providers/base/kernel_socket.h"
#include "win32/errno_map.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

// The caller's WSABUF array, copied in (a bad array is WSAEFAULT).
struct Buffers {
    kernel::Buffer stack[16];
    std::vector<kernel::Buffer> heap;
    kernel::Buffer *data = stack;
    DWORD count = 0;

    int load(LPWSABUF user, DWORD n) {
        static_assert(sizeof(kernel::Buffer) == sizeof(WSABUF) &&
                      offsetof(kernel::Buffer, data) == offsetof(WSABUF, buf) &&
                      sizeof(kernel::Buffer::length) == sizeof(WSABUF::len));
        if (n > 16) {
            if (n > 1024 * 1024) return WSAEINVAL;
            heap.resize(n);
            data = heap.data();
        }
        count = n;
        if (n > 0 && !win32::read_user(data, user, n * sizeof(WSABUF))) return WSAEFAULT;
        return 0;
    }
};

// A failed transfer's Winsock error: a blocking call that ran out of time is WSAETIMEDOUT, one
// woken by closesocket is WSAEINTR.
int transfer_error(SOCKET s, const BaseSocket &socket, long rc) {
    int e = static_cast<int>(-rc);
    if (!base_sockets().contains(s)) return WSAEINTR;
    if ((e == EAGAIN || e == EWOULDBLOCK) && !(socket.state & BaseSocket::kNonBlocking))
        return WSAETIMEDOUT;
    if (e == ECONNREFUSED && !socket.stream()) return WSAECONNRESET;  // ICMP port unreachable
    if (e == EPIPE) return socket.stream() ? WSAECONNRESET : WSAESHUTDOWN;
    return win32::wsa_error_from_errno(e);
}

int check_send(const BaseSocket &socket, bool has_destination, LPDWORD sent, bool overlapped) {
    // An overlapped request may leave the count out: the completion reports it.
    if (sent == nullptr && !overlapped) return WSAEFAULT;
    if (socket.state & BaseSocket::kSendShut) return WSAESHUTDOWN;
    if (socket.stream() && !(socket.state & BaseSocket::kConnected)) return WSAENOTCONN;
    if (!socket.stream() && !has_destination && !(socket.state & BaseSocket::kConnected))
        return WSAENOTCONN;
    return 0;
}

// Windows never reports a partial send on a non-blocking stream socket: it takes the whole
// buffer or none. send_common refuses sends the buffer cannot hold; if the kernel still takes
// only part (buffer overhead varies), the rest is sent here before returning.
long finish_stream_send(SOCKET s, const BaseSocket &socket, const Buffers &buffers, long sent,
                        int flags) {
    unsigned long total = 0;
    for (DWORD i = 0; i < buffers.count; ++i) total += buffers.data[i].length;
    std::vector<kernel::Buffer> rest(buffers.data, buffers.data + buffers.count);
    unsigned long done = static_cast<unsigned long>(sent);
    while (done < total) {
        std::size_t first = 0;
        unsigned long skip = done;
        while (skip >= rest[first].length) skip -= rest[first++].length;
        kernel::Buffer head{static_cast<std::uint32_t>(rest[first].length - skip), rest[first].data + skip};
        std::vector<kernel::Buffer> pending{head};
        pending.insert(pending.end(), rest.begin() + static_cast<long>(first) + 1, rest.end());
        int wait = kernel::wait_writable(static_cast<int>(s), -1);
        if (wait < 0) return wait;
        long n = kernel::send(static_cast<int>(s), pending.data(), static_cast<unsigned>(pending.size()), flags, nullptr);
        if (n < 0 && n != -EAGAIN) return n;
        if (n > 0) done += static_cast<unsigned long>(n);
    }
    (void)socket;
    return static_cast<long>(total);
}

int send_common(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD sent, DWORD flags,
                const sockaddr *to, int tolen, LPWSAOVERLAPPED overlapped,
                LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    const bool async = runs_overlapped(socket, overlapped);
    kernel::Address destination;
    // A multipoint leaf is half-connected to its session: a send without an address goes there.
    bool to_session = to == nullptr && (socket.state & BaseSocket::kMultipointLeaf) &&
                      !(socket.state & BaseSocket::kConnected) && multipoint_session(s, &destination);
    bool has_destination = (to != nullptr && !socket.stream()) || to_session;
    if (int e = check_send(socket, has_destination, sent, async)) return fail(lpErrno, e);
    Buffers buffers;
    if (int e = buffers.load(lpBuffers, dwBufferCount)) return fail(lpErrno, e);
    if (has_destination && !to_session) {
        if (int e = kernel::address_to_kernel(to, tolen, &destination)) return fail(lpErrno, e);
        if (kernel::windows_family(destination) != socket.af) return fail(lpErrno, WSAEAFNOSUPPORT);
    }
    if (has_destination && socket.type == SOCK_DGRAM && kernel::port(destination) == 0) {
        // Windows sends a datagram to port 0 (the receiver drops it); Linux refuses it. Report
        // it sent, after the implicit bind a send would have made.
        if (!(socket.state & BaseSocket::kBound)) {
            kernel::Address local;
            if (kernel::local_address(static_cast<int>(s), &local) == 0 && !kernel::is_bound_local_address(local))
                if (int rc = kernel::bind_ephemeral(static_cast<int>(s), socket.af))
                    return fail(lpErrno, win32::wsa_error_from_errno(-rc));
            base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kBound; });
        }
        unsigned long total = 0;
        for (DWORD i = 0; i < buffers.count; ++i) total += buffers.data[i].length;
        if (!win32::write_user_value(sent, static_cast<DWORD>(total))) return fail(lpErrno, WSAEFAULT);
        return 0;
    }
    // Windows reports an ICMP port unreachable to the next receive of an unconnected datagram
    // socket (WSAECONNRESET); Linux does so once asked to, at the socket's first such send.
    if (has_destination && socket.type == SOCK_DGRAM && !(socket.state & BaseSocket::kIcmpErrors)) {
        kernel::report_icmp_errors(static_cast<int>(s), socket.af);
        base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kIcmpErrors; });
    }
    if (async) {
        if (has_destination && !(socket.state & BaseSocket::kBound))
            base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kBound; });
        return overlapped_send(s, socket, buffers.data, buffers.count, flags,
                               has_destination ? &destination : nullptr, sent, overlapped, routine, lpErrno);
    }
    InFlight busy(s);
    bool nonblocking_stream = socket.stream() && (socket.state & BaseSocket::kNonBlocking);
    if (nonblocking_stream) {
        // Windows takes the whole buffer or none of it: refuse a send the buffer cannot hold.
        unsigned long total = 0;
        for (DWORD i = 0; i < buffers.count; ++i) total += buffers.data[i].length;
        bool fits = true, empty = true;
        kernel::send_space(static_cast<int>(s), total, &fits, &empty);
        if (!fits && !empty) {
            if (socket.state & BaseSocket::kEventSelect) reenable_network_events(s, FD_WRITE);
            return fail(lpErrno, WSAEWOULDBLOCK);
        }
    }
    long n = kernel::send(static_cast<int>(s), buffers.data, buffers.count, static_cast<int>(flags),
                          has_destination ? &destination : nullptr);
    // What the kernel still left unsent (rare after the check above) is sent before returning.
    if (n >= 0 && nonblocking_stream) n = finish_stream_send(s, socket, buffers, n, static_cast<int>(flags));
    if (n < 0) {
        int e = transfer_error(s, socket, n);
        // FD_WRITE is recorded again only after a send that would block.
        if (e == WSAEWOULDBLOCK && (socket.state & BaseSocket::kEventSelect)) reenable_network_events(s, FD_WRITE);
        return fail(lpErrno, e);
    }
    if (has_destination && !(socket.state & BaseSocket::kBound))
        base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kBound; });  // implicit bind
    if (!win32::write_user_value(sent, static_cast<DWORD>(n))) return fail(lpErrno, WSAEFAULT);
    return 0;
}

int receive_common(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD received,
                   LPDWORD lpFlags, sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED overlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    const bool async = runs_overlapped(socket, overlapped);
    if (dwBufferCount == 0) return fail(lpErrno, WSAEINVAL);
    DWORD flags = 0;
    if ((received == nullptr && !async) || lpFlags == nullptr || !win32::read_user_value(&flags, lpFlags))
        return fail(lpErrno, WSAEFAULT);
    int from_capacity = 0;
    if (from != nullptr) {
        int &len = from_capacity;
        int needed = socket.af == AF_INET6 ? 28 : (socket.af == AF_INET ? 16 : 2);
        if (fromlen == nullptr || !win32::read_user_value(&len, fromlen) || len < needed)
            return fail(lpErrno, WSAEFAULT);
    }
    if (socket.state & BaseSocket::kReceiveShut) return fail(lpErrno, WSAESHUTDOWN);
    if (socket.stream() && !(socket.state & BaseSocket::kConnected)) return fail(lpErrno, WSAENOTCONN);
    if (!socket.stream() && !(socket.state & BaseSocket::kBound)) {
        kernel::Address local;
        if (kernel::local_address(static_cast<int>(s), &local) != 0 || !kernel::is_bound_local_address(local))
            return fail(lpErrno, WSAEINVAL);
        base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kBound; });
    }
    Buffers buffers;
    if (int e = buffers.load(lpBuffers, dwBufferCount)) return fail(lpErrno, e);
    if (async)
        return overlapped_receive(s, socket, buffers.data, buffers.count, lpFlags, from, fromlen,
                                  from_capacity, received, overlapped, routine, lpErrno);

    InFlight busy(s);
    ReenableOnReturn reenable(s, socket, (flags & MSG_OOB) ? FD_OOB : FD_READ);
    kernel::Address source;
    int out_flags = static_cast<int>(flags);
    bool truncated = false;
    long n;
    for (;;) {
        out_flags = static_cast<int>(flags);
        n = kernel::receive(static_cast<int>(s), buffers.data, buffers.count, &out_flags,
                            from != nullptr ? &source : nullptr, &truncated, !socket.stream());
        if (n != -ECONNREFUSED || socket.stream()) break;
        // An ICMP port unreachable: WSAECONNRESET, unless SIO_UDP_CONNRESET turned it off.
        kernel::drain_error_queue(static_cast<int>(s));
        BaseSocket now{};
        if (!base_sockets().load(s, &now) || !(now.state & BaseSocket::kNoUdpConnReset)) break;
    }
    if (n < 0) return fail(lpErrno, transfer_error(s, socket, n));
    if (n == 0 && !base_sockets().contains(s)) return fail(lpErrno, WSAEINTR);  // woken by close
    if (from != nullptr && source.length > 0)
        if (int e = kernel::address_to_windows(source, from, fromlen, from_capacity)) return fail(lpErrno, e);
    if (!win32::write_user_value(received, static_cast<DWORD>(n)) ||
        !win32::write_user_value(lpFlags, static_cast<DWORD>(out_flags)))
        return fail(lpErrno, WSAEFAULT);
    // A datagram larger than the buffers: they hold its beginning, the rest is lost.
    if (truncated && !socket.stream()) return fail(lpErrno, WSAEMSGSIZE);
    return 0;
}

}  // namespace

int WSPAPI WSPSend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                   DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID, LPINT lpErrno) {
    return send_common(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, nullptr, 0,
                       lpOverlapped, lpCompletionRoutine, lpErrno);
}

int WSPAPI WSPSendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                     DWORD dwFlags, const sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID, LPINT lpErrno) {
    return send_common(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                       lpOverlapped, lpCompletionRoutine, lpErrno);
}

int WSPAPI WSPRecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                   LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID, LPINT lpErrno) {
    return receive_common(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, nullptr,
                          nullptr, lpOverlapped, lpCompletionRoutine, lpErrno);
}

int WSPAPI WSPRecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                       LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, sockaddr *lpFrom,
                       LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID, LPINT lpErrno) {
    return receive_common(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom,
                          lpFromlen, lpOverlapped, lpCompletionRoutine, lpErrno);
}

}  // namespace ws2::base
