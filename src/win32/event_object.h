// Event objects (the kernel32 events behind WSAEVENT): manual- or auto-reset, backed by an
// eventfd so that waits are poll(2) calls and an event can be signalled from any thread. A
// HANDLE names a live object through a registry, so a stale or invented handle is detected
// (WSA_INVALID_HANDLE) instead of dereferenced; waiters hold a reference, so closing an event
// while another thread waits on it is safe.
#pragma once
#include <windows.h>

#include <memory>
#include <vector>

namespace ws2::win32 {

class EventObject {
public:
    EventObject(int fd, bool manual_reset) : fd_(fd), manual_reset_(manual_reset) {}
    ~EventObject();
    EventObject(const EventObject &) = delete;
    EventObject &operator=(const EventObject &) = delete;

    void set();
    void reset();
    bool is_set() const;
    // For an auto-reset event: takes the signal if it is there (one waiter wins).
    bool try_consume();
    int descriptor() const { return fd_; }
    bool manual_reset() const { return manual_reset_; }

private:
    int fd_;
    bool manual_reset_;
};

// nullptr (and the last error set) when the system is out of descriptors or memory.
HANDLE create_event(bool manual_reset, bool initially_set);
std::shared_ptr<EventObject> find_event(HANDLE h);
bool close_event(HANDLE h);

// Waits for any (or all) of the events. Returns the index of the first signalled one (0 with
// wait_all), kWaitTimeout, or kWaitFailed (last error set: ERROR_INVALID_HANDLE for a handle
// that is not an event).
constexpr DWORD kWaitTimeout = 258;
constexpr DWORD kWaitFailed = 0xFFFFFFFF;
DWORD wait_for_events(const std::vector<HANDLE> &handles, bool wait_all, DWORD timeout_ms);

}  // namespace ws2::win32
