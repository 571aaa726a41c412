// Waiting on kernel objects (WaitForSingleObject(Ex), WaitForMultipleObjects(Ex), SleepEx,
// WSAWaitForMultipleEvents): poll(2) over the objects' descriptors, plus the thread's APC
// descriptor for an alertable wait, which runs the queued APCs and reports WAIT_IO_COMPLETION.
#pragma once
#include <windows.h>

namespace ws2::win32 {

constexpr DWORD kWaitObject0 = 0, kWaitIoCompletion = 0xC0, kWaitTimeout = 258,
                kWaitFailed = 0xFFFFFFFF;

// Returns kWaitObject0 + index (any) or kWaitObject0 (all), kWaitTimeout, kWaitIoCompletion, or
// kWaitFailed with the last error ERROR_INVALID_HANDLE (a handle that is no waitable object).
// count may be 0 (SleepEx). Handles are read from ws2's own memory: callers copy them in.
DWORD wait_for_objects(const HANDLE *handles, DWORD count, bool wait_all, DWORD timeout_ms,
                       bool alertable);

}  // namespace ws2::win32
