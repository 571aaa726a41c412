#include "providers/base/base_overlapped.h"

#include <sys/types.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>

#include "io/io_engine.h"
#include "win32/overlapped_completion.h"
#include "win32/errno_map.h"
#include "win32/io_status.h"
#include "win32/thread_object.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

}  // namespace

// The Winsock error of a failed transfer.
DWORD error_of(const OverlappedRequest &r, long n) {
    int e = static_cast<int>(-n);
    if (e == ECANCELED) return WSA_OPERATION_ABORTED;
    if (e == ECONNREFUSED && !r.stream) return WSAECONNRESET;  // ICMP port unreachable
    if (e == EPIPE) return r.stream ? WSAECONNRESET : WSAESHUTDOWN;
    return static_cast<DWORD>(win32::wsa_error_from_errno(e));
}

namespace {

struct Outcome {
    DWORD error = 0, bytes = 0, flags = 0;
};

// What a finished request reports; the source address goes to the caller's buffer.
Outcome outcome_of(OverlappedRequest &r) {
    Outcome o;
    if (r.result < 0) {
        o.error = error_of(r, r.result);
        return o;
    }
    o.bytes = static_cast<DWORD>(r.result);
    if (r.kind == io::Request::Kind::kReceive) {
        if (kernel::message_out_of_band(r.result_flags)) o.flags |= MSG_OOB;
        if (!r.stream && kernel::message_truncated(r.result_flags)) {
            o.error = WSAEMSGSIZE;  // the buffers hold the datagram's beginning
            o.flags |= MSG_PARTIAL;
        }
        if (r.from != nullptr && r.address_length > 0) {
            kernel::Address source;
            std::memcpy(source.bytes, r.address, sizeof source.bytes);
            source.length = r.address_length;
            kernel::address_to_windows(source, r.from, r.fromlen, r.from_capacity);
        }
    }
    return o;
}

// The engine finished a pending request (on its own thread, or on a thread driving the queue).
void on_complete(io::Request *base) {
    std::unique_ptr<OverlappedRequest> r(static_cast<OverlappedRequest *>(base));
    Outcome o = outcome_of(*r);
    win32::complete_overlapped(r->target, o.error, o.bytes, o.flags, /*at_once=*/false);
}

bool load_request(OverlappedRequest *r, SOCKET s, const BaseSocket &socket,
                  const kernel::Buffer *buffers, unsigned count, LPWSAOVERLAPPED overlapped,
                  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) {
    static_assert(sizeof(io::Buffer) == sizeof(kernel::Buffer));
    if (!r->set_buffers(reinterpret_cast<const io::Buffer *>(buffers), count)) return false;
    r->fd = static_cast<int>(s);
    r->socket = s;
    r->stream = socket.stream();
    r->target = win32::target_for(s, overlapped, routine);
    r->on_complete = on_complete;
    return true;
}

}  // namespace

int mark_pending(LPWSAOVERLAPPED overlapped) {
    WSAOVERLAPPED copy;
    if (!win32::read_user_value(&copy, overlapped)) return WSAEFAULT;
    copy.Internal = win32::kStatusPending;
    copy.InternalHigh = 0;
    if (!win32::write_user_value(overlapped, copy)) return WSAEFAULT;
    return 0;
}

namespace {

// Runs the request: finished at once (the completion still signalled), pending, or failed at
// once (nothing signalled, as on Windows).
int run(std::unique_ptr<OverlappedRequest> r, LPDWORD done, LPDWORD out_flags, LPINT err) {
    if (io::engine().start(r.get()) == io::Engine::Start::kPending) {
        r.release();  // the engine owns it until on_complete
        return fail(err, WSA_IO_PENDING);
    }
    Outcome o = outcome_of(*r);
    if (o.error != 0 && o.error != WSAEMSGSIZE) {
        r->target.overlapped->Internal = win32::status_from_error(o.error);
        return fail(err, static_cast<int>(o.error));
    }
    if (done != nullptr) win32::write_user_value(done, o.bytes);
    if (out_flags != nullptr) win32::write_user_value(out_flags, o.flags);
    win32::complete_overlapped(r->target, o.error, o.bytes, o.flags, /*at_once=*/true);
    if (o.error != 0) return fail(err, static_cast<int>(o.error));
    return 0;
}

}  // namespace

int overlapped_send(SOCKET s, const BaseSocket &socket, const kernel::Buffer *buffers,
                    unsigned count, DWORD flags, const kernel::Address *to, LPDWORD sent,
                    LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                    LPINT err) {
    if (int e = mark_pending(overlapped)) return fail(err, e);
    auto r = std::unique_ptr<OverlappedRequest>(new (std::nothrow) OverlappedRequest());
    if (!r || !load_request(r.get(), s, socket, buffers, count, overlapped, routine))
        return fail(err, WSAENOBUFS);
    r->kind = io::Request::Kind::kSend;
    r->whole = socket.stream();  // a stream send completes when all of it has gone
    r->flags = kernel::linux_message_flags(static_cast<int>(flags));
    if (to != nullptr) {
        std::memcpy(r->address, to->bytes, sizeof r->address);
        r->address_length = to->length;
    }
    return run(std::move(r), sent, nullptr, err);
}

int overlapped_receive(SOCKET s, const BaseSocket &socket, const kernel::Buffer *buffers,
                       unsigned count, LPDWORD flags, sockaddr *from, LPINT fromlen,
                       int from_capacity, LPDWORD received, LPWSAOVERLAPPED overlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT err) {
    DWORD in_flags = 0;
    if (!win32::read_user_value(&in_flags, flags)) return fail(err, WSAEFAULT);
    if (int e = mark_pending(overlapped)) return fail(err, e);
    auto r = std::unique_ptr<OverlappedRequest>(new (std::nothrow) OverlappedRequest());
    if (!r || !load_request(r.get(), s, socket, buffers, count, overlapped, routine))
        return fail(err, WSAENOBUFS);
    r->kind = io::Request::Kind::kReceive;
    r->flags = kernel::linux_message_flags(static_cast<int>(in_flags));
    if (from != nullptr) {
        r->from = from;
        r->fromlen = fromlen;
        r->from_capacity = from_capacity;
        r->address_length = sizeof r->address;
    }
    return run(std::move(r), received, flags, err);
}

namespace {

struct CancelWhat {
    LPOVERLAPPED overlapped;
    const win32::ThreadObject *thread;
};

bool matches(const io::Request *base, const void *context) {
    const auto *r = static_cast<const OverlappedRequest *>(base);
    const auto *what = static_cast<const CancelWhat *>(context);
    if (what->overlapped != nullptr && r->target.overlapped != what->overlapped) return false;
    if (what->thread != nullptr && r->target.issuer.get() != what->thread) return false;
    return true;
}

}  // namespace

std::size_t cancel_overlapped(SOCKET s, LPOVERLAPPED overlapped, bool calling_thread_only) {
    io::Engine *engine = io::started_engine();
    if (engine == nullptr) return 0;
    std::shared_ptr<win32::ThreadObject> self = calling_thread_only ? win32::current_thread() : nullptr;
    CancelWhat what{overlapped, self.get()};
    return engine->cancel(static_cast<int>(s), matches, &what);
}

void abort_overlapped(SOCKET s) {
    if (io::Engine *engine = io::started_engine()) engine->forget(static_cast<int>(s));
}

BOOL WSPAPI WSPGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                   BOOL fWait, LPDWORD lpdwFlags, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return FALSE;
    // Checked readable without reading it here; then Internal is read as the completing thread
    // writes it (acquire), and the count and flags written before it are read after it.
    if (lpOverlapped == nullptr || !win32::user_range_readable(lpOverlapped, sizeof *lpOverlapped)) {
        *lpErrno = WSAEFAULT;
        return FALSE;
    }
    ULONG_PTR status = __atomic_load_n(&lpOverlapped->Internal, __ATOMIC_ACQUIRE);
    if (status == win32::kStatusPending) {
        if (!fWait) {
            *lpErrno = WSA_IO_INCOMPLETE;
            return FALSE;
        }
        win32::wait_for_overlapped(lpOverlapped);
        status = __atomic_load_n(&lpOverlapped->Internal, __ATOMIC_ACQUIRE);
    }
    if (lpcbTransfer == nullptr || lpdwFlags == nullptr ||
        !win32::write_user_value(lpcbTransfer, static_cast<DWORD>(lpOverlapped->InternalHigh)) ||
        !win32::write_user_value(lpdwFlags, static_cast<DWORD>(lpOverlapped->Offset))) {
        *lpErrno = WSAEFAULT;
        return FALSE;
    }
    DWORD error = win32::error_from_status(status);
    if (error != 0) {
        *lpErrno = static_cast<int>(error);
        return FALSE;
    }
    return TRUE;
}

}  // namespace ws2::base
