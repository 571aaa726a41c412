#include "win32/kernel_object.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace ws2::win32 {
namespace {

// Handle values: multiples of 4 as on Windows, far above descriptor numbers (socket handles)
// so the two are never confused.
constexpr std::uintptr_t kFirstHandle = 0x40000000, kHandleStep = 4;

struct Registry {
    std::mutex mutex;
    std::uintptr_t next = kFirstHandle;
    std::unordered_map<std::uintptr_t, std::shared_ptr<KernelObject>> objects;
};

Registry &registry() {
    static auto *r = new Registry();  // never destroyed: handles may be used during exit
    return *r;
}

}  // namespace

std::atomic<std::uint64_t> g_handle_close_generation{0};

HANDLE register_object(std::shared_ptr<KernelObject> object) {
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    std::uintptr_t value = r.next;
    while (r.objects.count(value) != 0) value += kHandleStep;  // after wrap-around
    r.next = value + kHandleStep < kFirstHandle ? kFirstHandle : value + kHandleStep;
    r.objects.emplace(value, std::move(object));
    return reinterpret_cast<HANDLE>(value);
}

std::shared_ptr<KernelObject> find_object(HANDLE h) {
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.objects.find(reinterpret_cast<std::uintptr_t>(h));
    return it == r.objects.end() ? nullptr : it->second;
}

bool close_handle(HANDLE h) {
    std::shared_ptr<KernelObject> last;  // told and destroyed outside the lock
    {
        Registry &r = registry();
        std::lock_guard lock(r.mutex);
        auto it = r.objects.find(reinterpret_cast<std::uintptr_t>(h));
        if (it == r.objects.end()) return false;
        last = std::move(it->second);
        r.objects.erase(it);
        g_handle_close_generation.fetch_add(1, std::memory_order_release);
    }
    last->handle_closed();
    return true;
}

}  // namespace ws2::win32
