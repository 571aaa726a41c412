// Event objects (kernel32 events, and the WSAEVENTs of Winsock): manual- or auto-reset, backed
// by an eventfd so that waits are poll(2) calls and an event can be signalled from any thread.
#pragma once
#include <windows.h>

#include <memory>

#include "win32/kernel_object.h"

namespace ws2::win32 {

class EventObject : public KernelObject {
public:
    EventObject(int fd, bool manual_reset) : fd_(fd), manual_reset_(manual_reset) {}
    ~EventObject() override;
    EventObject(const EventObject &) = delete;
    EventObject &operator=(const EventObject &) = delete;

    void set();
    void reset();
    bool is_set() const;
    // For an auto-reset event: takes the signal if it is there (one waiter wins).
    bool try_consume();
    bool manual_reset() const { return manual_reset_; }

    int wait_descriptor() const override { return fd_; }
    bool acquire() override { return manual_reset_ || try_consume(); }
    void undo_acquire() override {
        if (!manual_reset_) set();
    }

private:
    int fd_;
    bool manual_reset_;
};

// nullptr (and the last error set) when the system is out of descriptors or memory.
HANDLE create_event(bool manual_reset, bool initially_set);
std::shared_ptr<EventObject> find_event(HANDLE h);
// Sets / resets the event h names; false when h is not an event.
bool set_event(HANDLE h);
bool reset_event(HANDLE h);
// Closes an event's handle; false (nothing closed) when h is not an event.
bool close_event(HANDLE h);

}  // namespace ws2::win32
