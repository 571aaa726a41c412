#include "win32/waits.h"

#include <poll.h>
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <vector>

#include "win32/kernel_object.h"
#include "win32/last_error.h"
#include "win32/thread_object.h"

namespace ws2::win32 {
namespace {

std::uint64_t now_ms() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

// Milliseconds left before the deadline (-1: no deadline).
int remaining_ms(DWORD timeout_ms, std::uint64_t start) {
    if (timeout_ms == INFINITE) return -1;
    std::uint64_t elapsed = now_ms() - start;
    return elapsed >= timeout_ms ? 0 : static_cast<int>(timeout_ms - elapsed);
}

}  // namespace

DWORD wait_for_objects(const HANDLE *handles, DWORD count, bool wait_all, DWORD timeout_ms,
                       bool alertable) {
    std::vector<std::shared_ptr<KernelObject>> objects;
    objects.reserve(count);
    for (DWORD i = 0; i < count; ++i) {
        std::shared_ptr<KernelObject> o = handles[i] == current_thread_pseudo_handle()
                                              ? std::shared_ptr<KernelObject>(current_thread())
                                              : find_object(handles[i]);
        if (!o || o->wait_descriptor() < 0) {
            set_last_error(ERROR_INVALID_HANDLE);
            return kWaitFailed;
        }
        objects.push_back(std::move(o));
    }
    std::shared_ptr<ThreadObject> self = alertable ? current_thread() : nullptr;
    std::vector<pollfd> fds(count + (self ? 1 : 0));
    std::uint64_t start = now_ms();
    for (;;) {
        // APCs first: an alertable wait with APCs queued returns at once after running them.
        if (self) {
            pollfd apc{self->apc_descriptor(), POLLIN, 0};
            if (::poll(&apc, 1, 0) == 1 && self->run_apcs() > 0) return kWaitIoCompletion;
        }
        for (DWORD i = 0; i < count; ++i) fds[i] = {objects[i]->wait_descriptor(), POLLIN, 0};
        if (self) fds[count] = {self->apc_descriptor(), POLLIN, 0};
        int left = remaining_ms(timeout_ms, start);
        int rc = ::poll(fds.data(), fds.size(), left);
        if (rc < 0 && errno != EINTR) {
            set_last_error(ERROR_INVALID_HANDLE);
            return kWaitFailed;
        }
        if (wait_all && count > 0) {
            bool all = true;
            for (DWORD i = 0; i < count; ++i) all = all && (fds[i].revents & POLLIN);
            if (all) {
                // Take every object; if another waiter took an auto-reset event in between,
                // give back what was taken and wait again.
                DWORD taken = 0;
                while (taken < count && objects[taken]->acquire()) ++taken;
                if (taken == count) return kWaitObject0;
                for (DWORD i = 0; i < taken; ++i) objects[i]->undo_acquire();
                continue;
            }
            if (rc > 0 && !(self && (fds[count].revents & POLLIN))) {
                // Some but not all are signalled: poll them again once the others change.
                int pause = left < 0 || left > 10 ? 10 : left;
                for (DWORD i = 0; i < count; ++i) fds[i].events = (fds[i].revents & POLLIN) ? 0 : POLLIN;
                ::poll(fds.data(), fds.size(), pause);
            }
        } else {
            for (DWORD i = 0; i < count; ++i)
                if ((fds[i].revents & POLLIN) && objects[i]->acquire()) return kWaitObject0 + i;
        }
        if (left == 0) return kWaitTimeout;
    }
}

}  // namespace ws2::win32
