// WSPSelect of the base provider: Windows' select semantics over poll(2).
//  - a stream socket that is neither connected, connecting nor listening is neither readable
//    nor writable (Linux would report it writable and hung up);
//  - a listening socket is readable when a connection is pending;
//  - a connecting socket is writable once connected, and in the except set if it failed (the
//    failure stays readable through SO_ERROR);
//  - out-of-band data puts a socket in the except set (in the read set with SO_OOBINLINE);
//  - a socket closed by another thread during the wait is reported readable.
#include <algorithm>
#include <cerrno>
#include <memory>
#include <vector>

#include "providers/base/base_readiness.h"
#include "providers/base/base_state.h"
#include "providers/base/kernel_socket.h"
#include "win32/errno_map.h"

namespace ws2::base {
namespace {

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

int timeout_ms(const timeval *timeout) {
    if (timeout == nullptr) return -1;
    long long ms = static_cast<long long>(timeout->tv_sec) * 1000 + (timeout->tv_usec + 999) / 1000;
    if (ms < 0) return 0;
    return ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
}

}  // namespace

int WSPAPI WSPSelect(int, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                     const timeval *timeout, LPINT lpErrno) {
    // Distinct sockets of all three sets; the caller (ws2_32) has checked they are sockets.
    std::vector<SOCKET> sockets;
    for (fd_set *set : {readfds, writefds, exceptfds})
        if (set != nullptr) sockets.insert(sockets.end(), set->fd_array, set->fd_array + set->fd_count);
    std::sort(sockets.begin(), sockets.end());
    sockets.erase(std::unique(sockets.begin(), sockets.end()), sockets.end());
    std::vector<int> fds(sockets.begin(), sockets.end());
    std::vector<unsigned> ready(sockets.size()), interest(sockets.size(), 0);
    enum Member : unsigned { kRead = 1, kWrite = 2, kExcept = 4 };
    std::vector<unsigned> member(sockets.size(), 0);
    auto index_of = [&](SOCKET s) {
        return static_cast<std::size_t>(std::lower_bound(sockets.begin(), sockets.end(), s) - sockets.begin());
    };
    auto mark = [&](fd_set *set, unsigned bit) {
        if (set != nullptr)
            for (u_int i = 0; i < set->fd_count; ++i) member[index_of(set->fd_array[i])] |= bit;
    };
    mark(readfds, kRead);
    mark(writefds, kWrite);
    mark(exceptfds, kExcept);
    // What poll watches: data (and OOB-inline data) for reads, space (and a connect's outcome)
    // for writes, urgent data and a connect's outcome for exceptions. Errors always wake it.
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        if (member[i] & kRead) interest[i] |= kernel::kReadable | kernel::kUrgent;
        if (member[i] & kWrite) interest[i] |= kernel::kWritable;
        if (member[i] & kExcept) interest[i] |= kernel::kUrgent | kernel::kWritable;
    }
    std::vector<std::unique_ptr<InFlight>> busy;
    for (SOCKET s : sockets) busy.push_back(std::make_unique<InFlight>(s));

    // A stream socket that is not listening, connecting or connected can report nothing, but
    // Linux keeps it "hung up": it stays out of the poll set, looked at again every 50 ms in
    // case another thread connects it.
    int total = timeout_ms(timeout);
    std::uint64_t start = kernel::monotonic_ms();
    std::vector<Verdict> verdicts(sockets.size());
    for (;;) {
        bool dormant = false;
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            BaseSocket socket{};
            bool idle = base_sockets().load(sockets[i], &socket) && socket.stream() &&
                        !(socket.state & (BaseSocket::kListening | BaseSocket::kConnecting |
                                          BaseSocket::kConnected));
            fds[i] = idle ? -1 : static_cast<int>(sockets[i]);
            dormant = dormant || idle;
        }
        int elapsed = static_cast<int>(kernel::monotonic_ms() - start);
        int remaining = total < 0 ? -1 : std::max(0, total - elapsed);
        int slice = dormant && (remaining < 0 || remaining > 50) ? 50 : remaining;
        int rc = kernel::poll(fds.data(), interest.data(), ready.data(), static_cast<unsigned>(fds.size()), slice);
        if (rc < 0) return fail(lpErrno, win32::wsa_error_from_errno(-rc));
        int found = 0;
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            verdicts[i] = judge(sockets[i], ready[i]);
            found += ((member[i] & kRead) && verdicts[i].read) || ((member[i] & kWrite) && verdicts[i].write) ||
                     ((member[i] & kExcept) && verdicts[i].except);
        }
        if (found > 0 || remaining == 0) break;
    }
    auto filter = [&](fd_set *set, bool Verdict::*member) {
        if (set == nullptr) return 0;
        u_int kept = 0;
        for (u_int i = 0; i < set->fd_count; ++i) {
            auto at = std::lower_bound(sockets.begin(), sockets.end(), set->fd_array[i]);
            bool dup = std::find(set->fd_array, set->fd_array + kept, set->fd_array[i]) != set->fd_array + kept;
            if (!dup && verdicts[static_cast<std::size_t>(at - sockets.begin())].*member)
                set->fd_array[kept++] = set->fd_array[i];
        }
        set->fd_count = kept;
        return static_cast<int>(kept);
    };
    return filter(readfds, &Verdict::read) + filter(writefds, &Verdict::write) +
           filter(exceptfds, &Verdict::except);
}

}  // namespace ws2::base
