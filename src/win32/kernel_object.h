// Kernel objects behind HANDLEs (events, threads; completion ports later). A HANDLE is an
// opaque number handed out by one registry, so a stale or invented handle is detected
// (ERROR_INVALID_HANDLE) instead of dereferenced, and an object stays alive while any caller
// still uses it (waiters hold a shared_ptr), even if its handle is closed meanwhile.
#pragma once
#include <windows.h>

#include <atomic>
#include <cstdint>
#include <memory>

namespace ws2::win32 {

class KernelObject {
public:
    virtual ~KernelObject() = default;
    // A descriptor that polls readable while the object is signalled, or -1 when the object
    // cannot be waited on.
    virtual int wait_descriptor() const = 0;
    // A wait was satisfied by this object: an auto-reset event takes its signal here. False
    // when another waiter took it first (the wait goes on).
    virtual bool acquire() { return true; }
    // Gives back what acquire took (a wait for all objects that could not take them all).
    virtual void undo_acquire() {}
    // The object's handle was closed (a completion port wakes its waiters here).
    virtual void handle_closed() {}
};

// A new handle for the object (nullptr when the handle space is exhausted).
HANDLE register_object(std::shared_ptr<KernelObject> object);
std::shared_ptr<KernelObject> find_object(HANDLE h);
template <class T>
std::shared_ptr<T> find_object_as(HANDLE h) {
    return std::dynamic_pointer_cast<T>(find_object(h));
}
// Closes the handle (the object lives on while others use it). False for an unknown handle.
bool close_handle(HANDLE h);
// Counts closed handles: a lookup cached while this value is unchanged is still valid.
extern std::atomic<std::uint64_t> g_handle_close_generation;
inline std::uint64_t handle_close_generation() {
    return g_handle_close_generation.load(std::memory_order_acquire);
}

}  // namespace ws2::win32
