// AcceptEx: an overlapped accept into a socket the caller created beforehand. The listener's
// receive queue in the I/O engine takes the accept (kAccept); the connection is then moved
// behind sAcceptSocket's own descriptor number (the handle keeps its value), the first data is
// received if asked for, and the addresses are written after the data for
// GetAcceptExSockaddrs.
#include <time.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <unordered_map>

#include "io/io_engine.h"
#include "providers/base/base_extensions.h"
#include "providers/base/kernel_descriptor_swap.h"
#include "win32/errno_map.h"
#include "win32/io_status.h"
#include "win32/thread_object.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

struct AcceptRequest : OverlappedRequest {
    SOCKET listener = INVALID_SOCKET;
    SOCKET acceptor = INVALID_SOCKET;
    char *output = nullptr;
    DWORD receive_length = 0, local_length = 0, remote_length = 0;
    bool receiving = false;  // the second stage: the first data on the accepted connection
    DWORD error = 0, bytes = 0;
};

// sAcceptSocket → listener of every pending AcceptEx, so closing the accept socket can abort
// it. A finishing accept takes its entry under the lock while it moves the connection in, so
// closesocket never closes the number in between.
std::mutex g_pending_mutex;
std::unordered_map<SOCKET, SOCKET> &pending() {
    static auto *map = new std::unordered_map<SOCKET, SOCKET>();
    return *map;
}

std::uint64_t monotonic_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

void clear_target(SOCKET acceptor) {
    base_sockets().update(acceptor, [](BaseSocket &b) { b.state &= ~BaseSocket::kAcceptTarget; });
}

// The connection `fd` becomes the accept socket. Returns 0 or the Winsock error.
int install_connection(AcceptRequest &r, int fd) {
    std::lock_guard lock(g_pending_mutex);
    BaseSocket target{};
    if (pending().erase(r.acceptor) == 0 || !base_sockets().load(r.acceptor, &target)) {
        kernel::close_socket(fd);  // the accept socket was closed meanwhile
        return WSA_OPERATION_ABORTED;
    }
    if (target.state & BaseSocket::kNonBlocking) kernel::set_nonblocking(fd, true);
    bool inheritable = (target.flags & WSA_FLAG_NO_HANDLE_INHERIT) == 0;
    if (int rc = kernel::move_descriptor(fd, static_cast<int>(r.acceptor), inheritable)) {
        kernel::close_socket(fd);
        clear_target(r.acceptor);
        return win32::wsa_error_from_errno(-rc);
    }
    // Requests queued on the old socket are gone with it; the engine starts afresh.
    if (io::Engine *engine = io::started_engine()) engine->forget(static_cast<int>(r.acceptor));
    std::uint64_t now = monotonic_ns();
    base_sockets().update(r.acceptor, [now](BaseSocket &b) {
        b.state = (b.state | BaseSocket::kBound | BaseSocket::kConnected) & ~BaseSocket::kAcceptTarget;
        b.connect_error = 0;
        b.connected_at_ns = now;
    });
    return 0;
}

void write_addresses(AcceptRequest &r) {
    char *areas = r.output + r.receive_length;
    kernel::Address local;
    char bytes[sizeof local.bytes];
    if (r.local_length > 0 && kernel::local_address(static_cast<int>(r.acceptor), &local) == 0) {
        int length = sizeof bytes;
        if (kernel::address_to_windows(local, bytes, &length) == 0)
            write_accept_addresses(areas, r.local_length, bytes, length);
    }
    kernel::Address remote;
    std::memcpy(remote.bytes, r.address, sizeof remote.bytes);
    remote.length = r.address_length;
    int length = sizeof bytes;
    if (kernel::address_to_windows(remote, bytes, &length) == 0)
        write_accept_addresses(areas + r.local_length, r.remote_length, bytes, length);
}

// Carries the request on after a stage finished (r.result set). True when AcceptEx is over
// (r.error and r.bytes hold the outcome); false when the receive stage is pending in the engine.
bool advance(AcceptRequest &r) {
    if (r.receiving) {
        if (r.result < 0) r.error = error_of(r, r.result);
        else r.bytes = static_cast<DWORD>(r.result);
        return true;
    }
    if (r.result < 0) {
        r.error = error_of(r, r.result);
        std::lock_guard lock(g_pending_mutex);
        if (pending().erase(r.acceptor) != 0) clear_target(r.acceptor);
        return true;
    }
    if (r.wait_only) {
        // An address area too small for the transport: the connection stays queued.
        std::lock_guard lock(g_pending_mutex);
        if (pending().erase(r.acceptor) != 0) clear_target(r.acceptor);
        r.error = ERROR_INSUFFICIENT_BUFFER;
        return true;
    }
    if (int e = install_connection(r, static_cast<int>(r.result))) {
        r.error = static_cast<DWORD>(e);
        return true;
    }
    write_addresses(r);
    if (r.receive_length == 0) return true;
    // Second stage: the first data of the connection, into the front of the buffer.
    r.receiving = true;
    r.kind = io::Request::Kind::kReceive;
    r.fd = static_cast<int>(r.acceptor);
    r.socket = r.acceptor;
    r.address_length = 0;
    io::Buffer data{r.receive_length, r.output};
    r.set_buffers(&data, 1);
    if (io::engine().start(&r) == io::Engine::Start::kPending) return false;
    return advance(r);
}

void on_stage_complete(io::Request *base) {
    auto *r = static_cast<AcceptRequest *>(base);
    if (!advance(*r)) return;  // the engine has it again
    std::unique_ptr<AcceptRequest> owned(r);
    win32::complete_overlapped(r->target, r->error, r->bytes, 0, /*at_once=*/false);
}

// The transport's largest address; each address area needs 16 bytes more.
DWORD address_area_minimum(const BaseSocket &listener) {
    return static_cast<DWORD>(listener.entry->iMaxSockAddr) + 16;
}

}  // namespace

void abort_accepts_into(SOCKET s) {
    SOCKET listener;
    {
        std::lock_guard lock(g_pending_mutex);
        auto it = pending().find(s);
        if (it == pending().end()) return;
        listener = it->second;
        pending().erase(it);
    }
    io::Engine *engine = io::started_engine();
    if (engine == nullptr) return;
    engine->cancel(
        static_cast<int>(listener),
        [](const io::Request *r, const void *target) {
            return r->on_complete == on_stage_complete &&
                   static_cast<const AcceptRequest *>(r)->acceptor == *static_cast<const SOCKET *>(target);
        },
        &s);
}

BOOL PASCAL accept_ex(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer,
                      DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                      DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                      LPOVERLAPPED lpOverlapped) {
    // Windows marks the OVERLAPPED pending before looking at anything else.
    if (lpOverlapped != nullptr && mark_pending(lpOverlapped) != 0) return extension_failure(WSAEFAULT);
    BaseSocket listener{}, acceptor{};
    if (!base_sockets().load(sListenSocket, &listener)) return extension_failure(WSAENOTSOCK);
    if (!(listener.state & BaseSocket::kListening)) return extension_failure(WSAEINVAL);
    if (!base_sockets().load(sAcceptSocket, &acceptor)) return extension_failure(WSAENOTSOCK);
    if (lpOverlapped == nullptr) return extension_failure(WSA_INVALID_PARAMETER);
    // Only a fresh stream socket of the listener's family can take the connection.
    if (!acceptor.stream() || acceptor.af != listener.af || (acceptor.state & (BaseSocket::kBound | BaseSocket::kListening |
                                                 BaseSocket::kConnecting | BaseSocket::kConnected)))
        return extension_failure(WSAEINVAL);
    kernel::Address local;
    if (kernel::local_address(static_cast<int>(sAcceptSocket), &local) == 0 && kernel::is_bound_local_address(local))
        return extension_failure(WSAEINVAL);
    if (dwRemoteAddressLength == 0) return extension_failure(WSAEFAULT);
    // The whole output area must be the caller's writable memory.
    std::uint64_t total = std::uint64_t{dwReceiveDataLength} + dwLocalAddressLength + dwRemoteAddressLength;
    if (lpOutputBuffer == nullptr || total > 0x7fffffff) return extension_failure(WSAEFAULT);
    {
        std::unique_ptr<char[]> probe(new (std::nothrow) char[total]);
        if (!probe) return extension_failure(WSAENOBUFS);
        if (!win32::read_user(probe.get(), lpOutputBuffer, total) || !win32::write_user(lpOutputBuffer, probe.get(), total))
            return extension_failure(WSAEFAULT);
    }

    // One pending AcceptEx per accept socket.
    {
        std::lock_guard lock(g_pending_mutex);
        bool taken = false;
        base_sockets().update(sAcceptSocket, [&taken](BaseSocket &b) {
            taken = (b.state & BaseSocket::kAcceptTarget) != 0;
            b.state |= BaseSocket::kAcceptTarget;
        });
        if (taken) return extension_failure(WSAEINVAL);
        pending()[sAcceptSocket] = sListenSocket;
    }

    auto r = std::unique_ptr<AcceptRequest>(new (std::nothrow) AcceptRequest());
    if (!r) {
        abort_accepts_into(sAcceptSocket);
        clear_target(sAcceptSocket);
        return extension_failure(WSAENOBUFS);
    }
    r->kind = io::Request::Kind::kAccept;
    r->fd = static_cast<int>(sListenSocket);
    r->socket = sListenSocket;
    r->stream = true;
    r->listener = sListenSocket;
    r->acceptor = sAcceptSocket;
    r->output = static_cast<char *>(lpOutputBuffer);
    r->receive_length = dwReceiveDataLength;
    r->local_length = dwLocalAddressLength;
    r->remote_length = dwRemoteAddressLength;
    DWORD minimum = address_area_minimum(listener);
    r->wait_only = (dwLocalAddressLength != 0 && dwLocalAddressLength < minimum) || dwRemoteAddressLength < minimum;
    r->target = win32::target_for(sListenSocket, lpOverlapped, nullptr);
    r->on_complete = on_stage_complete;

    if (io::engine().start(r.get()) == io::Engine::Start::kPending || !advance(*r)) {
        r.release();  // the engine owns it until on_stage_complete
        return extension_failure(WSA_IO_PENDING);
    }
    if (r->error != 0) {
        lpOverlapped->Internal = win32::status_from_error(r->error);
        return extension_failure(static_cast<int>(r->error));
    }
    if (lpdwBytesReceived != nullptr) win32::write_user_value(lpdwBytesReceived, r->bytes);
    win32::complete_overlapped(r->target, 0, r->bytes, 0, /*at_once=*/true);
    win32::set_last_error(0);
    return TRUE;
}

}  // namespace ws2::base
