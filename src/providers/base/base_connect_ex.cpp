// ConnectEx: an overlapped connect of a bound stream socket, then optionally a first send. The
// socket's send queue in the I/O engine takes the connect (kConnect) and then the data.
#include <time.h>

#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "io/io_engine.h"
#include "providers/base/base_extensions.h"
#include "win32/errno_map.h"
#include "win32/io_status.h"
#include "win32/thread_object.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

struct ConnectRequest : OverlappedRequest {
    std::vector<char> data;  // lpSendBuffer, copied in (sent once connected)
    bool sending = false;
    DWORD error = 0, bytes = 0;
};

std::uint64_t monotonic_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// Carries the request on after a stage finished; true when ConnectEx is over.
bool advance(ConnectRequest &r) {
    if (r.sending) {
        if (r.result < 0) r.error = error_of(r, r.result);
        else r.bytes = static_cast<DWORD>(r.result);
        return true;
    }
    if (r.result < 0) {
        r.error = error_of(r, r.result);
        int latched = static_cast<int>(r.error);
        base_sockets().update(r.socket, [latched](BaseSocket &b) {
            b.state &= ~BaseSocket::kConnecting;
            b.connect_error = latched;
        });
        return true;
    }
    std::uint64_t now = monotonic_ns();
    base_sockets().update(r.socket, [now](BaseSocket &b) {
        b.state = (b.state | BaseSocket::kConnected) & ~BaseSocket::kConnecting;
        b.connect_error = 0;
        b.connected_at_ns = now;
    });
    if (r.data.empty()) return true;
    r.sending = true;
    r.kind = io::Request::Kind::kSend;
    r.whole = true;
    r.address_length = 0;
    io::Buffer buffer{static_cast<std::uint32_t>(r.data.size()), r.data.data()};
    r.set_buffers(&buffer, 1);
    if (io::engine().start(&r) == io::Engine::Start::kPending) return false;
    return advance(r);
}

void on_stage_complete(io::Request *base) {
    auto *r = static_cast<ConnectRequest *>(base);
    if (!advance(*r)) return;
    std::unique_ptr<ConnectRequest> owned(r);
    win32::complete_overlapped(r->target, r->error, r->bytes, 0, /*at_once=*/false);
}

bool is_bound(SOCKET s, const BaseSocket &socket) {
    if (socket.state & BaseSocket::kBound) return true;
    kernel::Address local;
    return kernel::local_address(static_cast<int>(s), &local) == 0 && kernel::is_bound_local_address(local);
}

}  // namespace

BOOL PASCAL connect_ex(SOCKET s, const sockaddr *name, int namelen, PVOID lpSendBuffer,
                       DWORD dwSendDataLength, LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped) {
    if (lpOverlapped != nullptr && mark_pending(lpOverlapped) != 0) return extension_failure(WSAEFAULT);
    BaseSocket socket{};
    if (!base_sockets().load(s, &socket)) return extension_failure(WSAENOTSOCK);
    if (socket.state & (BaseSocket::kListening | BaseSocket::kAcceptTarget)) return extension_failure(WSAEINVAL);
    if (socket.state & BaseSocket::kConnected) return extension_failure(WSAEISCONN);
    if (socket.state & BaseSocket::kConnecting) return extension_failure(WSAEALREADY);
    if (!is_bound(s, socket)) return extension_failure(WSAEINVAL);
    if (lpOverlapped == nullptr) return extension_failure(WSA_INVALID_PARAMETER);
    kernel::Address address;
    if (int e = kernel::address_to_kernel(name, namelen, &address)) return extension_failure(e);
    if (kernel::windows_family(address) != socket.af) return extension_failure(WSAEAFNOSUPPORT);
    // A connection-oriented call: datagram sockets have no connection to establish here.
    if (!socket.stream()) return extension_failure(WSAEINVAL);
    if ((kernel::is_unspecified(address) || kernel::port(address) == 0) && socket.af != AF_UNIX)
        return extension_failure(WSAEADDRNOTAVAIL);

    auto r = std::unique_ptr<ConnectRequest>(new (std::nothrow) ConnectRequest());
    if (!r) return extension_failure(WSAENOBUFS);
    if (dwSendDataLength > 0) {
        if (lpSendBuffer == nullptr || dwSendDataLength > 0x7fffffff) return extension_failure(WSAEFAULT);
        r->data.resize(dwSendDataLength);
        if (!win32::read_user(r->data.data(), lpSendBuffer, dwSendDataLength)) return extension_failure(WSAEFAULT);
    }
    r->kind = io::Request::Kind::kConnect;
    r->fd = static_cast<int>(s);
    r->socket = s;
    r->stream = true;
    std::memcpy(r->address, address.bytes, sizeof r->address);
    r->address_length = address.length;
    r->target = win32::target_for(s, lpOverlapped, nullptr);
    r->on_complete = on_stage_complete;
    base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kConnecting | BaseSocket::kBound; });

    if (io::engine().start(r.get()) == io::Engine::Start::kPending || !advance(*r)) {
        r.release();
        return extension_failure(WSA_IO_PENDING);
    }
    if (r->error != 0) {
        lpOverlapped->Internal = win32::status_from_error(r->error);
        return extension_failure(static_cast<int>(r->error));
    }
    if (lpdwBytesSent != nullptr) win32::write_user_value(lpdwBytesSent, r->bytes);
    win32::complete_overlapped(r->target, 0, r->bytes, 0, /*at_once=*/true);
    win32::set_last_error(0);
    return TRUE;
}

}  // namespace ws2::base
