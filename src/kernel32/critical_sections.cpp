// kernel32 critical sections: a recursive lock kept inside the caller's CRITICAL_SECTION.
// LockCount is the lock word (0 free, 1 held, 2 held with sleepers: a futex), OwningThread the
// owner's thread id and RecursionCount its depth, so the owner may enter again as on Windows.
// A contended Enter spins SpinCount times before sleeping on the futex. DebugInfo and
// LockSemaphore are unused (nullptr). Entering or leaving a section that was never initialised
// is undefined on Windows; ws2 ignores a NULL pointer and otherwise trusts the caller, because a
// lock on every Enter cannot afford a checked access. Initialisation writes the structure with a
// checked copy, so a bad pointer there is ERROR_NOACCESS, not a crash.
#include <windows.h>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"

using namespace ws2;

namespace {

constexpr LONG kFree = 0, kHeld = 1, kContended = 2;
constexpr DWORD kSpinMask = 0x00FFFFFF;  // Windows keeps the high byte for flags

// The thread id, learnt once per thread (gettid is a system call).
HANDLE self() {
    thread_local HANDLE id = reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(gettid()));
    return id;
}

std::atomic_ref<LONG> lock_word(CRITICAL_SECTION *cs) { return std::atomic_ref<LONG>(cs->LockCount); }
std::atomic_ref<HANDLE> owner(CRITICAL_SECTION *cs) { return std::atomic_ref<HANDLE>(cs->OwningThread); }

DWORD effective_spin(DWORD requested) {
    // Single-processor systems ignore the spin count (spinning cannot help there).
    return std::thread::hardware_concurrency() <= 1 ? 0 : (requested & kSpinMask);
}

bool initialize(LPCRITICAL_SECTION cs, DWORD spin) {
    CRITICAL_SECTION fresh{};
    fresh.SpinCount = effective_spin(spin);
    if (cs == nullptr || !win32::write_user_value(cs, fresh)) {
        win32::set_last_error(ERROR_NOACCESS);
        return false;
    }
    return true;
}

bool try_take(CRITICAL_SECTION *cs) {
    LONG expected = kFree;
    return lock_word(cs).compare_exchange_strong(expected, kHeld, std::memory_order_acquire,
                                                 std::memory_order_relaxed);
}

void take_slow(CRITICAL_SECTION *cs) {
    std::atomic_ref<LONG> word = lock_word(cs);
    for (ULONG_PTR spins = std::atomic_ref<ULONG_PTR>(cs->SpinCount).load(std::memory_order_relaxed);
         spins != 0; --spins) {
        if (word.load(std::memory_order_relaxed) == kFree && try_take(cs)) return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    // Mark the lock contended; whoever leaves will wake one sleeper.
    while (word.exchange(kContended, std::memory_order_acquire) != kFree) {
        syscall(SYS_futex, &cs->LockCount, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, kContended, nullptr, nullptr, 0);
    }
}

void became_owner(CRITICAL_SECTION *cs, HANDLE me) {
    owner(cs).store(me, std::memory_order_relaxed);
    cs->RecursionCount = 1;
}

}  // namespace

extern "C" {

WS2_EXPORT void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
    initialize(lpCriticalSection, 0);
}

WS2_EXPORT BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                             DWORD dwSpinCount) {
    return initialize(lpCriticalSection, dwSpinCount) ? TRUE : FALSE;
}

WS2_EXPORT DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount) {
    if (lpCriticalSection == nullptr) return 0;
    std::atomic_ref<ULONG_PTR> spin(lpCriticalSection->SpinCount);
    return static_cast<DWORD>(spin.exchange(effective_spin(dwSpinCount), std::memory_order_relaxed));
}

WS2_EXPORT void WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
    if (lpCriticalSection == nullptr) return;
    HANDLE me = self();
    if (owner(lpCriticalSection).load(std::memory_order_relaxed) == me) {
        ++lpCriticalSection->RecursionCount;
        return;
    }
    if (!try_take(lpCriticalSection)) take_slow(lpCriticalSection);
    became_owner(lpCriticalSection, me);
}

WS2_EXPORT BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
    if (lpCriticalSection == nullptr) return FALSE;
    HANDLE me = self();
    if (owner(lpCriticalSection).load(std::memory_order_relaxed) == me) {
        ++lpCriticalSection->RecursionCount;
        return TRUE;
    }
    if (!try_take(lpCriticalSection)) return FALSE;
    became_owner(lpCriticalSection, me);
    return TRUE;
}

WS2_EXPORT void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
    if (lpCriticalSection == nullptr) return;
    // Leaving a section the thread does not own is a program error on Windows (it corrupts the
    // section); ws2 leaves the section as it is.
    if (owner(lpCriticalSection).load(std::memory_order_relaxed) != self()) return;
    if (--lpCriticalSection->RecursionCount > 0) return;
    owner(lpCriticalSection).store(nullptr, std::memory_order_relaxed);
    if (lock_word(lpCriticalSection).exchange(kFree, std::memory_order_release) == kContended) {
        syscall(SYS_futex, &lpCriticalSection->LockCount, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, nullptr, nullptr,
                0);
    }
}

WS2_EXPORT void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection) {
    // The section owns no resources beyond its own memory; deleting leaves it zeroed, so a
    // later Enter without InitializeCriticalSection behaves as on a fresh section.
    if (lpCriticalSection == nullptr) return;
    CRITICAL_SECTION cleared{};
    win32::write_user_value(lpCriticalSection, cleared);
}

}  // extern "C"
