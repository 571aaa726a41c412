// WSAPoll for the base provider (reached through WSPIoctl with spi::kSioWs2Poll): poll(2) with
// Windows' POLL* values and readiness rules (windows-behaviour.md §3.11).
#include <algorithm>
#include <memory>
#include <vector>

#include "providers/base/base_readiness.h"
#include "providers/base/base_state.h"
#include "providers/base/kernel_socket.h"
#include "spi/private_ioctls.h"
#include "win32/errno_map.h"

namespace ws2::base {

int poll_sockets(spi::PollRequest &request, LPINT lpErrno) {
    std::vector<int> fds(request.count);
    std::vector<unsigned> interest(request.count), ready(request.count);
    std::vector<std::unique_ptr<InFlight>> busy;
    for (ULONG i = 0; i < request.count; ++i) {
        WSAPOLLFD &e = request.entries[i];
        e.revents = 0;
        fds[i] = base_sockets().contains(e.fd) ? static_cast<int>(e.fd) : -1;
        if (fds[i] < 0) {
            e.revents = POLLNVAL;
            continue;
        }
        busy.push_back(std::make_unique<InFlight>(e.fd));
        if (e.events & POLLRDNORM) interest[i] |= kernel::kReadable;
        if (e.events & POLLRDBAND) interest[i] |= kernel::kUrgent;
        if (e.events & POLLWRNORM) interest[i] |= kernel::kWritable;
    }
    std::uint64_t start = kernel::monotonic_ms();
    int total = request.timeout_ms < 0 ? -1 : request.timeout_ms;
    int found = 0;
    for (;;) {
        int elapsed = static_cast<int>(kernel::monotonic_ms() - start);
        int remaining = total < 0 ? -1 : std::max(0, total - elapsed);
        int rc = kernel::poll(fds.data(), interest.data(), ready.data(), request.count, remaining);
        if (rc < 0) {
            *lpErrno = win32::wsa_error_from_errno(-rc);
            return SOCKET_ERROR;
        }
        found = 0;
        for (ULONG i = 0; i < request.count; ++i) {
            if (fds[i] < 0) continue;
            WSAPOLLFD &e = request.entries[i];
            Verdict v = judge(e.fd, ready[i]);
            SHORT r = 0;
            if (v.closed) {
                r = POLLNVAL;
            } else {
                if (v.read && (e.events & POLLRDNORM) && !v.hang_up) r |= POLLRDNORM;
                if (v.except && (e.events & POLLRDBAND)) r |= POLLRDBAND;
                if (v.write && (e.events & POLLWRNORM)) r |= POLLWRNORM;
                if (v.hang_up) r |= POLLHUP | ((e.events & POLLRDNORM) ? POLLRDNORM : 0);
                if (v.error) r |= POLLERR;
            }
            e.revents = r;
            found += r != 0;
        }
        if (found > 0 || remaining == 0) break;
    }
    return found;
}

}  // namespace ws2::base
