// Waiting for an OVERLAPPED to complete when it has no event (WSAGetOverlappedResult with
// fWait): a futex on the low 32 bits of OVERLAPPED.Internal, which leaves STATUS_PENDING
// exactly once. The completing side wakes only when some thread waits, so a completion
// costs no system call otherwise.
#pragma once
#include <cstdint>

namespace ws2::win32 {

// Returns once *status no longer equals `pending`.
void wait_status_change(volatile std::uintptr_t *status, std::uintptr_t pending);
// Call after storing the final status.
void wake_status_waiters(volatile std::uintptr_t *status);

}  // namespace ws2::win32
