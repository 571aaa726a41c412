// CloseHandle for every kernel object ws2 hands out (events, threads). Socket handles are
// closed with closesocket.
#include <windows.h>

#include "win32/export.h"
#include "win32/kernel_object.h"
#include "win32/last_error.h"
#include "win32/thread_object.h"

using namespace ws2;

extern "C" WS2_EXPORT BOOL WINAPI CloseHandle(HANDLE hObject) {
    // The pseudo handle of the current thread needs no closing (Windows returns TRUE).
    if (hObject == win32::current_thread_pseudo_handle()) return TRUE;
    if (!win32::close_handle(hObject)) {
        win32::set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}
