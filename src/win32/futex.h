// Futex waits and wakes on a 32-bit atomic word: the cheapest way to put one thread to sleep
// and wake exactly that thread (completion port waiters).
#pragma once
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

namespace ws2::win32 {

// Sleeps while *word == expected, until woken or the CLOCK_MONOTONIC deadline passes (nullptr:
// no deadline). Returns spuriously at times: callers re-check their condition.
inline void futex_wait(std::atomic<std::uint32_t> *word, std::uint32_t expected, const timespec *deadline) {
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(word), FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG,
            expected, deadline, nullptr, FUTEX_BITSET_MATCH_ANY);
}

// Wakes one thread sleeping on word. A stale address is harmless: the kernel only looks it up.
inline void futex_wake_one(std::atomic<std::uint32_t> *word) {
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, nullptr,
            nullptr, 0);
}

}  // namespace ws2::win32
