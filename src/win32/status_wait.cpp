#include "win32/status_wait.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>

namespace ws2::win32 {
namespace {

std::atomic<int> g_waiters{0};

// The futex word: the status's low half (x86-64 and every little-endian target).
std::uint32_t *word(volatile std::uintptr_t *status) {
    return reinterpret_cast<std::uint32_t *>(const_cast<std::uintptr_t *>(status));
}

}  // namespace

void wait_status_change(volatile std::uintptr_t *status, std::uintptr_t pending) {
    g_waiters.fetch_add(1, std::memory_order_seq_cst);
    while (__atomic_load_n(status, __ATOMIC_ACQUIRE) == pending) {
        // Sleeps only while the word still holds the pending value; a wake or a change ends it.
        syscall(SYS_futex, word(status), FUTEX_WAIT | FUTEX_PRIVATE_FLAG, static_cast<std::uint32_t>(pending),
                nullptr, nullptr, 0);
    }
    g_waiters.fetch_sub(1, std::memory_order_seq_cst);
}

void wake_status_waiters(volatile std::uintptr_t *status) {
    if (g_waiters.load(std::memory_order_seq_cst) == 0) return;
    syscall(SYS_futex, word(status), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT32_MAX, nullptr, nullptr, 0);
}

}  // namespace ws2::win32
