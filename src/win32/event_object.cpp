#include "win32/event_object.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

#include "win32/last_error.h"

namespace ws2::win32 {

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
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    auto event = std::make_shared<EventObject>(fd, manual_reset);
    if (initially_set) event->set();
    HANDLE h = register_object(std::move(event));
    if (h == nullptr) set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return h;
}

std::shared_ptr<EventObject> find_event(HANDLE h) { return find_object_as<EventObject>(h); }

bool set_event(HANDLE h) {
    auto e = find_event(h);
    if (e) e->set();
    return e != nullptr;
}

bool reset_event(HANDLE h) {
    auto e = find_event(h);
    if (e) e->reset();
    return e != nullptr;
}

bool close_event(HANDLE h) { return find_event(h) != nullptr && close_handle(h); }

}  // namespace ws2::win32
