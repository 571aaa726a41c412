#include "win32/event_object.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "win32/last_error.h"

namespace ws2::win32 {
namespace {

std::mutex g_mutex;
std::unordered_map<HANDLE, std::shared_ptr<EventObject>> *g_events =
    new std::unordered_map<HANDLE, std::shared_ptr<EventObject>>();

std::uint64_t now_ms() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

}  // namespace

EventObject::~EventObject() { close(fd_); }

void EventObject::set() {
    if (is_set()) return;
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof one);
}

void EventObject::reset() {
    std::uint64_t value;
    [[maybe_unused]] ssize_t n = read(fd_, &value, sizeof value);  // drains; EAGAIN when clear
}

bool EventObject::is_set() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
}

bool EventObject::try_consume() {
    std::uint64_t value;
    return read(fd_, &value, sizeof value) == sizeof value;
}

HANDLE create_event(bool manual_reset, bool initially_set) {
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) {
        set_last_error(errno == EMFILE || errno == ENFILE ? ERROR_NOT_ENOUGH_MEMORY : ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    auto event = std::make_shared<EventObject>(fd, manual_reset);
    if (initially_set) event->set();
    HANDLE h = event.get();
    std::lock_guard lock(g_mutex);
    (*g_events)[h] = std::move(event);
    return h;
}

std::shared_ptr<EventObject> find_event(HANDLE h) {
    std::lock_guard lock(g_mutex);
    auto it = g_events->find(h);
    return it == g_events->end() ? nullptr : it->second;
}

bool close_event(HANDLE h) {
    std::lock_guard lock(g_mutex);
    return g_events->erase(h) == 1;
}

DWORD wait_for_events(const std::vector<HANDLE> &handles, bool wait_all, DWORD timeout_ms) {
    std::vector<std::shared_ptr<EventObject>> events;
    for (HANDLE h : handles) {
        auto e = find_event(h);
        if (!e) {
            set_last_error(ERROR_INVALID_HANDLE);
            return kWaitFailed;
        }
        events.push_back(std::move(e));
    }
    std::vector<pollfd> fds(events.size());
    std::uint64_t start = now_ms();
    for (;;) {
        for (std::size_t i = 0; i < events.size(); ++i) fds[i] = {events[i]->descriptor(), POLLIN, 0};
        int remaining = -1;
        if (timeout_ms != INFINITE) {
            std::uint64_t elapsed = now_ms() - start;
            remaining = elapsed >= timeout_ms ? 0 : static_cast<int>(timeout_ms - elapsed);
        }
        int rc = ::poll(fds.data(), fds.size(), wait_all ? 0 : remaining);
        if (rc < 0 && errno != EINTR) {
            set_last_error(ERROR_INVALID_HANDLE);
            return kWaitFailed;
        }
        if (wait_all) {
            bool all = rc == static_cast<int>(fds.size());
            for (auto &p : fds) all = all && (p.revents & POLLIN);
            if (all) {
                for (auto &e : events)
                    if (!e->manual_reset()) e->try_consume();
                return 0;
            }
            if (remaining == 0) return kWaitTimeout;
            // Wait for any change, then look at all of them together again.
            for (auto &p : fds) p.events = (p.revents & POLLIN) ? 0 : POLLIN;
            ::poll(fds.data(), fds.size(), remaining < 0 || remaining > 50 ? 50 : remaining);
            continue;
        }
        for (std::size_t i = 0; i < fds.size(); ++i)
            if (fds[i].revents & POLLIN) {
                if (events[i]->manual_reset() || events[i]->try_consume()) return static_cast<DWORD>(i);
            }
        if (rc == 0 && remaining == 0) return kWaitTimeout;
    }
}

}  // namespace ws2::win32
