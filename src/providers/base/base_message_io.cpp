// WSARecvMsg and WSASendMsg: datagram transfers with the peer's address and control data
// (IP_PKTINFO, IPV6_PKTINFO, hop limits) in Windows' WSAMSG/WSACMSGHDR form. Both run through
// the I/O engine: overlapped on an overlapped socket, otherwise the calling thread waits for the
// request (a non-blocking socket gets WSAEWOULDBLOCK instead of waiting).
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "io/io_engine.h"
#include "providers/base/base_extensions.h"
#include "providers/base/kernel_control_messages.h"
#include "win32/io_status.h"
#include "win32/thread_object.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

constexpr DWORD kMaxBuffers = 1024;

struct MessageRequest : OverlappedRequest {
    LPWSAMSG message = nullptr;          // the caller's WSAMSG, updated when a receive finishes
    WSAMSG copy{};                       // its contents as given
    std::vector<unsigned char> control_bytes;  // control data in Linux form
    // A non-overlapped call waits here.
    std::mutex mutex;
    std::condition_variable finished_cv;
    bool finished = false;
};

struct Outcome {
    DWORD error = 0, bytes = 0;
};

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

// What a finished request reports; a receive writes the WSAMSG's namelen, Control.len and
// dwFlags (the name and control bytes go to the caller's buffers).
Outcome finish(MessageRequest &r) {
    Outcome o;
    if (r.result < 0) {
        o.error = error_of(r, r.result);
        return o;
    }
    o.bytes = static_cast<DWORD>(r.result);
    if (r.kind != io::Request::Kind::kReceive) return o;
    ULONG flags = 0;
    if (kernel::message_truncated(r.result_flags)) {
        flags |= MSG_TRUNC;
        o.error = WSAEMSGSIZE;
    }
    LPWSAMSG m = r.message;
    if (r.copy.name != nullptr && r.address_length > 0) {
        kernel::Address source;
        std::memcpy(source.bytes, r.address, sizeof source.bytes);
        source.length = r.address_length;
        int length = r.copy.namelen;
        if (kernel::address_to_windows(source, r.copy.name, &length, r.copy.namelen) == 0)
            win32::write_user_value(&m->namelen, static_cast<INT>(length));
    }
    ULONG control_length = 0;
    if (r.copy.Control.buf != nullptr && r.copy.Control.len > 0) {
        std::vector<unsigned char> windows(r.copy.Control.len);
        bool truncated = false;
        control_length = static_cast<ULONG>(kernel::control_to_windows(r.control_bytes.data(), r.control_length,
                                                                       windows.data(), windows.size(), &truncated));
        if (truncated || kernel::control_truncated(r.result_flags)) flags |= MSG_CTRUNC;
        win32::write_user(r.copy.Control.buf, windows.data(), control_length);
    }
    win32::write_user_value(&m->Control.len, control_length);
    win32::write_user_value(&m->dwFlags, flags);
    return o;
}

void on_overlapped_complete(io::Request *base) {
    std::unique_ptr<MessageRequest> r(static_cast<MessageRequest *>(base));
    Outcome o = finish(*r);
    win32::complete_overlapped(r->target, o.error, o.bytes, 0, /*at_once=*/false);
}

void on_waited_complete(io::Request *base) {
    auto *r = static_cast<MessageRequest *>(base);
    std::lock_guard lock(r->mutex);
    r->finished = true;
    r->finished_cv.notify_all();
}

bool is_this_request(const io::Request *r, const void *target) { return r == target; }

// Reads the caller's WSAMSG and buffers into the request. 0 or the Winsock error.
int load(MessageRequest &r, SOCKET s, const BaseSocket &socket, LPWSAMSG message) {
    if (message == nullptr || !win32::read_user_value(&r.copy, message)) return WSAEFAULT;
    if (r.copy.name == nullptr && r.copy.namelen != 0) return WSAEFAULT;
    if (r.copy.Control.buf == nullptr && r.copy.Control.len != 0) return WSAEFAULT;
    if (r.copy.dwBufferCount > kMaxBuffers) return WSAEINVAL;
    std::vector<WSABUF> buffers(r.copy.dwBufferCount);
    if (!buffers.empty() &&
        (r.copy.lpBuffers == nullptr || !win32::read_user(buffers.data(), r.copy.lpBuffers, buffers.size() * sizeof(WSABUF))))
        return WSAEFAULT;
    static_assert(sizeof(io::Buffer) == sizeof(WSABUF));
    if (!r.set_buffers(reinterpret_cast<const io::Buffer *>(buffers.data()), static_cast<unsigned>(buffers.size())))
        return WSAENOBUFS;
    r.message = message;
    r.fd = static_cast<int>(s);
    r.socket = s;
    r.stream = socket.stream();
    return 0;
}

// Runs the request: overlapped (0, or WSA_IO_PENDING), or waited for by this thread.
int run(std::unique_ptr<MessageRequest> r, const BaseSocket &socket, LPDWORD done, LPWSAOVERLAPPED overlapped,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err) {
    if (runs_overlapped(socket, overlapped)) {
        if (int e = mark_pending(overlapped)) return fail(err, e);
        r->target = win32::target_for(r->socket, overlapped, routine);
        r->on_complete = on_overlapped_complete;
        if (io::engine().start(r.get()) == io::Engine::Start::kPending) {
            r.release();
            return fail(err, WSA_IO_PENDING);
        }
        Outcome o = finish(*r);
        if (o.error != 0 && o.error != WSAEMSGSIZE) {
            overlapped->Internal = win32::status_from_error(o.error);
            return fail(err, static_cast<int>(o.error));
        }
        if (done != nullptr) win32::write_user_value(done, o.bytes);
        win32::complete_overlapped(r->target, o.error, o.bytes, 0, /*at_once=*/true);
        return o.error != 0 ? fail(err, static_cast<int>(o.error)) : 0;
    }
    if (done == nullptr) return fail(err, WSAEFAULT);
    r->on_complete = on_waited_complete;
    io::Engine &engine = io::engine();
    if (engine.start(r.get()) == io::Engine::Start::kPending) {
        if (socket.state & BaseSocket::kNonBlocking) engine.cancel(r->fd, is_this_request, r.get());
        std::unique_lock lock(r->mutex);
        r->finished_cv.wait(lock, [&r] { return r->finished; });
        if (r->result == -ECANCELED && (socket.state & BaseSocket::kNonBlocking)) return fail(err, WSAEWOULDBLOCK);
    }
    Outcome o = finish(*r);
    if (o.error != 0) return fail(err, static_cast<int>(o.error));
    if (!win32::write_user_value(done, o.bytes)) return fail(err, WSAEFAULT);
    return 0;
}

bool message_oriented(const BaseSocket &socket) { return socket.type == SOCK_DGRAM || socket.type == SOCK_RAW; }

// What both calls check first: the socket (WSAENOTSOCK), the WSAMSG (load's errors), a
// message-oriented socket (WSAEOPNOTSUPP); nullptr and *err set on failure.
std::unique_ptr<MessageRequest> begin(SOCKET s, LPWSAMSG msg, BaseSocket *socket, int *err) {
    if (!base_sockets().load(s, socket)) return *err = WSAENOTSOCK, nullptr;
    auto r = std::unique_ptr<MessageRequest>(new (std::nothrow) MessageRequest());
    if (!r) return *err = WSAENOBUFS, nullptr;
    if (int e = load(*r, s, *socket, msg)) return *err = e, nullptr;
    if (!message_oriented(*socket)) return *err = WSAEOPNOTSUPP, nullptr;
    return r;
}

}  // namespace

INT PASCAL wsa_recv_msg(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd, LPWSAOVERLAPPED lpOverlapped,
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    int err = 0;
    BaseSocket socket{};
    std::unique_ptr<MessageRequest> r = begin(s, lpMsg, &socket, &err);
    if (!r) return extension_failure(err), SOCKET_ERROR;
    kernel::Address local;
    bool bound = (socket.state & BaseSocket::kBound) ||
                 (kernel::local_address(static_cast<int>(s), &local) == 0 && kernel::is_bound_local_address(local));
    if (!bound) return extension_failure(WSAEINVAL), SOCKET_ERROR;
    r->kind = io::Request::Kind::kReceive;
    r->flags = kernel::linux_message_flags(static_cast<int>(r->copy.dwFlags & MSG_PEEK));
    if (r->copy.name != nullptr) r->address_length = sizeof r->address;
    if (r->copy.Control.len > 0) {
        r->control_bytes.assign(kernel::linux_control_capacity(r->copy.Control.len), 0);
        r->control = r->control_bytes.data();
        r->control_length = static_cast<std::uint32_t>(r->control_bytes.size());
    }
    if (run(std::move(r), socket, lpdwNumberOfBytesRecvd, lpOverlapped, lpCompletionRoutine, &err) != 0)
        return extension_failure(err), SOCKET_ERROR;
    win32::set_last_error(0);
    return 0;
}

INT WSAAPI wsa_send_msg(SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags, LPDWORD lpNumberOfBytesSent,
                        LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    int err = 0;
    BaseSocket socket{};
    std::unique_ptr<MessageRequest> r = begin(s, lpMsg, &socket, &err);
    if (!r) return extension_failure(err), SOCKET_ERROR;
    r->kind = io::Request::Kind::kSend;
    r->flags = kernel::linux_message_flags(static_cast<int>(dwFlags));
    if (r->copy.name != nullptr) {
        kernel::Address to;
        if (int e = kernel::address_to_kernel(r->copy.name, r->copy.namelen, &to)) return extension_failure(e), SOCKET_ERROR;
        std::memcpy(r->address, to.bytes, sizeof r->address);
        r->address_length = to.length;
    }
    if (r->copy.Control.len > 0) {
        std::vector<unsigned char> windows(r->copy.Control.len);
        if (!win32::read_user(windows.data(), r->copy.Control.buf, windows.size()))
            return extension_failure(WSAEFAULT), SOCKET_ERROR;
        r->control_bytes.resize(kernel::linux_control_capacity(windows.size()));
        long n = kernel::control_to_linux(windows.data(), windows.size(), r->control_bytes.data(), r->control_bytes.size());
        if (n < 0) return extension_failure(WSAEINVAL), SOCKET_ERROR;
        r->control = n > 0 ? r->control_bytes.data() : nullptr;
        r->control_length = static_cast<std::uint32_t>(n);
    }
    if (run(std::move(r), socket, lpNumberOfBytesSent, lpOverlapped, lpCompletionRoutine, &err) != 0)
        return extension_failure(err), SOCKET_ERROR;
    win32::set_last_error(0);
    return 0;
}

}  // namespace ws2::base
