// WaitForSingleObject(Ex), WaitForMultipleObjects(Ex), Sleep, SleepEx (src/win32/waits.h).
#include <windows.h>

#include <sched.h>
#include <time.h>

#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"
#include "win32/waits.h"

using namespace ws2;

extern "C" {

WS2_EXPORT DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                                 DWORD dwMilliseconds, BOOL bAlertable) {
    if (nCount == 0 || nCount > MAXIMUM_WAIT_OBJECTS) {
        win32::set_last_error(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    if (!win32::read_user(handles, lpHandles, nCount * sizeof(HANDLE))) {
        win32::set_last_error(ERROR_NOACCESS);
        return WAIT_FAILED;
    }
    return win32::wait_for_objects(handles, nCount, bWaitAll != FALSE, dwMilliseconds, bAlertable != FALSE);
}

WS2_EXPORT DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                               DWORD dwMilliseconds) {
    return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE);
}

WS2_EXPORT DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable) {
    return win32::wait_for_objects(&hHandle, 1, false, dwMilliseconds, bAlertable != FALSE);
}

WS2_EXPORT DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds) {
    return win32::wait_for_objects(&hHandle, 1, false, dwMilliseconds, false);
}

// 0 when the time ran out, WAIT_IO_COMPLETION when an alertable sleep ran APCs.
WS2_EXPORT DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable) {
    if (!bAlertable) {
        Sleep(dwMilliseconds);
        return 0;
    }
    DWORD r = win32::wait_for_objects(nullptr, 0, false, dwMilliseconds, true);
    return r == win32::kWaitIoCompletion ? WAIT_IO_COMPLETION : 0;
}

WS2_EXPORT void WINAPI Sleep(DWORD dwMilliseconds) {
    if (dwMilliseconds == 0) {
        sched_yield();  // Sleep(0) gives up the rest of the time slice
        return;
    }
    if (dwMilliseconds == INFINITE) {
        for (;;) {
            timespec hour{3600, 0};
            nanosleep(&hour, nullptr);
        }
    }
    timespec ts{static_cast<time_t>(dwMilliseconds / 1000), static_cast<long>(dwMilliseconds % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

}  // extern "C"
