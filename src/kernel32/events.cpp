// kernel32 events: CreateEventA/W, SetEvent, ResetEvent (objects in src/win32/event_object.h).
// Named events would be shared between processes; ws2 has no such namespace, so a name is
// refused with ERROR_NOT_SUPPORTED rather than silently giving a private event.
#include <windows.h>

#include "win32/event_object.h"
#include "win32/export.h"
#include "win32/last_error.h"

using namespace ws2;

namespace {

HANDLE create(BOOL manual_reset, BOOL initial_state, bool named) {
    if (named) {
        win32::set_last_error(ERROR_NOT_SUPPORTED);
        return nullptr;
    }
    HANDLE h = win32::create_event(manual_reset != FALSE, initial_state != FALSE);
    if (h != nullptr) win32::set_last_error(ERROR_SUCCESS);
    return h;
}

}  // namespace

extern "C" {

WS2_EXPORT HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState,
                                      LPCSTR lpName) {
    return create(bManualReset, bInitialState, lpName != nullptr);
}

WS2_EXPORT HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState,
                                      LPCWSTR lpName) {
    return create(bManualReset, bInitialState, lpName != nullptr);
}

WS2_EXPORT BOOL WINAPI SetEvent(HANDLE hEvent) {
    if (win32::set_event(hEvent)) return TRUE;
    win32::set_last_error(ERROR_INVALID_HANDLE);
    return FALSE;
}

WS2_EXPORT BOOL WINAPI ResetEvent(HANDLE hEvent) {
    if (win32::reset_event(hEvent)) return TRUE;
    win32::set_last_error(ERROR_INVALID_HANDLE);
    return FALSE;
}

}  // extern "C"
