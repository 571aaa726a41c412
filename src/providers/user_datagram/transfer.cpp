// The data path. A send copies the caller's buffers into one datagram and appends it to the
// receive queue of the socket bound to the destination port, or drops it as UDP would: no such
// port, the receiver shut down receiving, a connected receiver whose peer is another port, or a
// full queue (SO_RCVBUF bytes, at most kMaxQueued datagrams). Sends therefore never block.
// A receive takes one whole datagram: a short buffer gets its beginning, the rest is lost and
// the call fails with WSAEMSGSIZE, as Windows UDP does. Receives block unless FIONBIO or
// WSAEventSelect made the socket non-blocking; SO_RCVTIMEO applies to sockets created with
// WSA_FLAG_OVERLAPPED (Windows ignores it otherwise) and ends the wait with WSAETIMEDOUT; a
// socket closed under a blocked receive ends it with WSAEINTR.
//
// Overlapped requests are refused with WSAEOPNOTSUPP: ws2 has no overlapped I/O yet.
#include <chrono>
#include <vector>

#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {
namespace {

constexpr std::size_t kMaxQueued = 4096;
constexpr DWORD kMaxBuffers = 1024 * 1024;

int load_buffers(LPWSABUF user, DWORD count, std::vector<WSABUF> *out) {
    if (count == 0) return WSAEINVAL;
    if (count > kMaxBuffers) return WSAENOBUFS;
    out->resize(count);
    if (user == nullptr || !read_user(out->data(), user, count * sizeof(WSABUF))) return WSAEFAULT;
    return 0;
}

// Holding the mutex: hands the datagram to the socket bound to `to`, or drops it.
void deliver(const Socket &from, USHORT to, std::vector<char> &&bytes) {
    State &st = state();
    auto it = st.ports.find(to);
    if (it == st.ports.end()) return;
    Socket &target = *it->second;
    if (target.closed || target.receive_shut) return;
    if (target.connected && target.peer != from.port) return;
    if (target.queue.size() >= kMaxQueued || target.queued_bytes + bytes.size() > target.receive_buffer) return;
    target.queued_bytes += bytes.size();
    target.queue.push_back(Datagram{std::move(bytes), from.port});
    record_events(target, FD_READ);
    notify(target);
}

int send_common(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD sent, DWORD flags,
                const sockaddr *to, int tolen, bool is_send_to, LPWSAOVERLAPPED overlapped,
                LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    if (overlapped != nullptr) return fail(lpErrno, WSAEOPNOTSUPP);
    if (flags & (MSG_OOB | MSG_PARTIAL)) return fail(lpErrno, WSAEOPNOTSUPP);
    if (flags & ~static_cast<DWORD>(MSG_DONTROUTE)) return fail(lpErrno, WSAEINVAL);
    std::vector<WSABUF> buffers;
    if (int e = load_buffers(lpBuffers, dwBufferCount, &buffers)) return fail(lpErrno, e);
    if (sent == nullptr) return fail(lpErrno, WSAEFAULT);

    bool explicit_destination = to != nullptr || (is_send_to && tolen != 0);
    USHORT destination = 0;
    if (explicit_destination) {
        if (int e = read_address(to, tolen, WSAEAFNOSUPPORT, &destination)) return fail(lpErrno, e);
        if (destination == 0) return fail(lpErrno, WSAEADDRNOTAVAIL);
    }

    std::size_t total = 0;
    for (const WSABUF &b : buffers) total += b.len;
    if (total > UDGRAM_MAX_MESSAGE) return fail(lpErrno, WSAEMSGSIZE);
    std::vector<char> bytes(total);
    std::size_t at = 0;
    for (const WSABUF &b : buffers) {
        if (!read_user(bytes.data() + at, b.buf, b.len)) return fail(lpErrno, WSAEFAULT);
        at += b.len;
    }

    {
        std::lock_guard lock(state().mutex);
        if (socket->closed) return fail(lpErrno, WSAENOTSOCK);
        if (socket->send_shut) return fail(lpErrno, WSAESHUTDOWN);
        if (!explicit_destination) {
            if (!socket->connected) return fail(lpErrno, is_send_to ? WSAEDESTADDRREQ : WSAENOTCONN);
            destination = socket->peer;
        }
        if (int e = bind_implicitly(*socket)) return fail(lpErrno, e);
        deliver(*socket, destination, std::move(bytes));
    }
    if (!write_user_value(sent, static_cast<DWORD>(total))) return fail(lpErrno, WSAEFAULT);
    return 0;
}

// Holding the mutex: copies the first datagram into the buffers; false on a fault.
bool copy_out(const Datagram &d, const std::vector<WSABUF> &buffers, std::size_t *copied) {
    std::size_t at = 0;
    for (const WSABUF &b : buffers) {
        if (at == d.bytes.size()) break;
        std::size_t n = std::min<std::size_t>(b.len, d.bytes.size() - at);
        if (!write_user(b.buf, d.bytes.data() + at, n)) return false;
        at += n;
    }
    *copied = at;
    return true;
}

int receive_common(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD received,
                   LPDWORD lpFlags, sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED overlapped,
                   LPINT lpErrno) {
    int err = 0;
    SocketPtr socket = find_socket(s, &err);
    if (!socket) return fail(lpErrno, err);
    if (overlapped != nullptr) return fail(lpErrno, WSAEOPNOTSUPP);
    std::vector<WSABUF> buffers;
    if (int e = load_buffers(lpBuffers, dwBufferCount, &buffers)) return fail(lpErrno, e);
    DWORD flags = 0;
    if (received == nullptr || lpFlags == nullptr || !read_user_value(&flags, lpFlags))
        return fail(lpErrno, WSAEFAULT);
    if (flags & (MSG_OOB | MSG_WAITALL | MSG_PARTIAL)) return fail(lpErrno, WSAEOPNOTSUPP);
    if (flags & ~static_cast<DWORD>(MSG_PEEK)) return fail(lpErrno, WSAEINVAL);
    if (from != nullptr) {
        int capacity = 0;
        if (fromlen == nullptr || !read_user_value(&capacity, fromlen) ||
            capacity < static_cast<int>(sizeof(SOCKADDR_UDGRAM)))
            return fail(lpErrno, WSAEFAULT);
    }

    State &st = state();
    std::size_t copied = 0, length = 0;
    USHORT source = 0;
    {
        std::unique_lock lock(st.mutex);
        // Every receive re-enables FD_READ; it fires again at once if data is still queued.
        struct Reenable {
            Socket &s;
            ~Reenable() {
                s.armed |= s.event_mask & FD_READ;
                if (!s.queue.empty()) record_events(s, FD_READ);
            }
        } reenable{*socket};
        bool timed = socket->receive_timeout_ms != 0 && (socket->create_flags & WSA_FLAG_OVERLAPPED);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(socket->receive_timeout_ms);
        for (;;) {
            if (socket->closed) return fail(lpErrno, WSAEINTR);
            if (socket->receive_shut) return fail(lpErrno, WSAESHUTDOWN);
            if (!socket->bound) return fail(lpErrno, WSAEINVAL);
            if (!socket->queue.empty()) break;
            if (socket->non_blocking) return fail(lpErrno, WSAEWOULDBLOCK);
            WaitingCall waiting;
            if (!timed) {
                socket->changed.wait(lock);
            } else if (socket->changed.wait_until(lock, deadline) == std::cv_status::timeout &&
                       socket->queue.empty() && !socket->closed && !socket->receive_shut) {
                return fail(lpErrno, WSAETIMEDOUT);
            }
        }
        const Datagram &d = socket->queue.front();
        if (!copy_out(d, buffers, &copied)) return fail(lpErrno, WSAEFAULT);  // left queued
        length = d.bytes.size();
        source = d.from_port;
        if (!(flags & MSG_PEEK)) {
            socket->queued_bytes -= length;
            socket->queue.pop_front();
        }
    }
    if (from != nullptr)
        if (int e = write_address(source, from, fromlen)) return fail(lpErrno, e);
    if (!write_user_value(received, static_cast<DWORD>(copied)) || !write_user_value(lpFlags, DWORD{0}))
        return fail(lpErrno, WSAEFAULT);
    if (copied < length) return fail(lpErrno, WSAEMSGSIZE);
    return 0;
}

}  // namespace

int WSPAPI WSPSend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                   DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE,
                   LPWSATHREADID, LPINT lpErrno) {
    return send_common(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, nullptr, 0, false,
                       lpOverlapped, lpErrno);
}

int WSPAPI WSPSendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                     DWORD dwFlags, const sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT lpErrno) {
    return send_common(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen, true,
                       lpOverlapped, lpErrno);
}

int WSPAPI WSPRecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                   LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE,
                   LPWSATHREADID, LPINT lpErrno) {
    return receive_common(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, nullptr, nullptr,
                          lpOverlapped, lpErrno);
}

int WSPAPI WSPRecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                       LPDWORD lpFlags, sockaddr *lpFrom, LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT lpErrno) {
    return receive_common(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen,
                          lpOverlapped, lpErrno);
}

}  // namespace udgram
