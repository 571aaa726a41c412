// select and WSAPoll over this provider's sockets. A socket is readable when a datagram waits,
// when receiving was shut down (a receive returns at once), or when it was closed during the
// wait (Windows then reports it readable; only in exceptfds it is WSAENOTSOCK); it is writable
// whenever it is open, bound or not, since sends never wait; nothing is exceptional. WSAPoll
// reports POLLNVAL for entries that are not sockets of this provider and for sockets closed
// during the call, and counts only entries that were sockets to begin with.
#include <chrono>
#include <optional>
#include <vector>

#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

#include "../../spi/private_ioctls.h"

namespace udgram {
namespace {

using Clock = std::chrono::steady_clock;

bool readable(const Socket &s) { return s.closed || s.receive_shut || !s.queue.empty(); }
bool writable(const Socket &s) { return !s.closed; }

// Holding the mutex: waits for a change until the deadline (none: forever). False at the deadline.
bool wait_for_change(std::unique_lock<std::mutex> &lock, const std::optional<Clock::time_point> &deadline) {
    WaitingCall waiting;
    if (!deadline) {
        state().any_change.wait(lock);
        return true;
    }
    return state().any_change.wait_until(lock, *deadline) == std::cv_status::no_timeout;
}

}  // namespace

int WSPAPI WSPSelect(int, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const timeval *timeout,
                     LPINT lpErrno) {
    fd_set *sets[3] = {readfds, writefds, exceptfds};
    std::vector<SocketPtr> sockets[3];
    for (int i = 0; i < 3; ++i) {
        if (sets[i] == nullptr) continue;
        for (u_int j = 0; j < sets[i]->fd_count; ++j) {
            int err = 0;
            SocketPtr socket = find_socket(sets[i]->fd_array[j], &err);
            if (!socket) return fail(lpErrno, err);
            sockets[i].push_back(std::move(socket));
        }
    }
    std::optional<Clock::time_point> deadline;
    if (timeout != nullptr) {
        long long ms = static_cast<long long>(timeout->tv_sec) * 1000 + timeout->tv_usec / 1000;
        deadline = Clock::now() + std::chrono::milliseconds(ms > 0 ? ms : 0);
    }

    std::vector<bool> ready[3];
    int count = 0;
    {
        std::unique_lock lock(state().mutex);
        for (;;) {
            count = 0;
            for (int i = 0; i < 3; ++i) {
                ready[i].assign(sockets[i].size(), false);
                for (std::size_t j = 0; j < sockets[i].size(); ++j) {
                    const Socket &s = *sockets[i][j];
                    ready[i][j] = i == 0 ? readable(s) : (i == 1 ? writable(s) : false);
                    if (ready[i][j]) ++count;
                }
            }
            for (const SocketPtr &s : sockets[2]) {
                if (!s->closed) continue;
                bool in_read = false;
                for (const SocketPtr &r : sockets[0]) in_read |= r == s;
                if (!in_read) return fail(lpErrno, WSAENOTSOCK);
            }
            if (count > 0 || !wait_for_change(lock, deadline)) break;
        }
    }
    // Each set keeps its ready sockets, in order, each once.
    count = 0;
    for (int i = 0; i < 3; ++i) {
        if (sets[i] == nullptr) continue;
        u_int kept = 0;
        for (std::size_t j = 0; j < sockets[i].size(); ++j) {
            if (!ready[i][j]) continue;
            SOCKET handle = sets[i]->fd_array[j];
            bool seen = false;
            for (u_int k = 0; k < kept; ++k) seen |= sets[i]->fd_array[k] == handle;
            if (seen) continue;
            sets[i]->fd_array[kept++] = handle;
        }
        sets[i]->fd_count = kept;
        count += static_cast<int>(kept);
    }
    return count;
}

int poll_sockets(LPVOID in, DWORD in_size, LPVOID out, DWORD out_size, LPDWORD returned, LPINT lpErrno) {
    ws2::spi::PollRequest request;
    if (in == nullptr || in_size != sizeof request || out == nullptr || out_size < sizeof(int) ||
        !read_user_value(&request, static_cast<ws2::spi::PollRequest *>(in)))
        return fail(lpErrno, WSAEFAULT);
    std::vector<WSAPOLLFD> entries(request.count);
    if (!read_user(entries.data(), request.entries, request.count * sizeof(WSAPOLLFD)))
        return fail(lpErrno, WSAEFAULT);
    std::vector<SocketPtr> sockets(request.count);
    for (ULONG i = 0; i < request.count; ++i) {
        int err = 0;
        sockets[i] = find_socket(entries[i].fd, &err);
    }
    std::optional<Clock::time_point> deadline;
    if (request.timeout_ms >= 0) deadline = Clock::now() + std::chrono::milliseconds(request.timeout_ms);

    int count = 0;
    {
        std::unique_lock lock(state().mutex);
        for (;;) {
            count = 0;
            for (ULONG i = 0; i < request.count; ++i) {
                WSAPOLLFD &e = entries[i];
                if (!sockets[i]) {
                    e.revents = POLLNVAL;
                    continue;
                }
                const Socket &s = *sockets[i];
                e.revents = 0;
                if (s.closed) e.revents = POLLNVAL;
                else {
                    if ((e.events & POLLRDNORM) && readable(s)) e.revents |= POLLRDNORM;
                    if ((e.events & POLLWRNORM) && writable(s)) e.revents |= POLLWRNORM;
                }
                if (e.revents != 0) ++count;
            }
            if (count > 0 || !wait_for_change(lock, deadline)) break;
        }
    }
    if (!write_user(request.entries, entries.data(), request.count * sizeof(WSAPOLLFD)) ||
        !write_user_value(static_cast<int *>(out), count) || !write_user_value(returned, static_cast<DWORD>(sizeof(int))))
        return fail(lpErrno, WSAEFAULT);
    return 0;
}

}  // namespace udgram
