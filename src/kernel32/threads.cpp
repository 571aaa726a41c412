// Threads as kernel32 shows them: CreateThread, GetCurrentThread(Id), GetCurrentProcessId,
// OpenThread, GetExitCodeThread, and QueueUserAPC (src/win32/thread_object.h). Thread ids are
// Linux thread ids (gettid), process ids are pids.
#include <windows.h>

#include <unistd.h>

#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/thread_object.h"
#include "win32/user_memory.h"

using namespace ws2;

extern "C" {

WS2_EXPORT HANDLE WINAPI GetCurrentThread(void) { return win32::current_thread_pseudo_handle(); }

WS2_EXPORT DWORD WINAPI GetCurrentThreadId(void) { return static_cast<DWORD>(gettid()); }

WS2_EXPORT DWORD WINAPI GetCurrentProcessId(void) { return static_cast<DWORD>(getpid()); }

WS2_EXPORT HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES, SIZE_T, LPTHREAD_START_ROUTINE lpStartAddress,
                                      LPVOID lpParameter, DWORD dwCreationFlags, LPDWORD lpThreadId) {
    if (lpStartAddress == nullptr) {
        win32::set_last_error(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    if (dwCreationFlags & CREATE_SUSPENDED) {  // threads cannot be created suspended here
        win32::set_last_error(ERROR_NOT_SUPPORTED);
        return nullptr;
    }
    auto thread = win32::start_thread(lpStartAddress, lpParameter);
    if (!thread) return nullptr;
    HANDLE h = win32::register_object(thread);
    if (lpThreadId != nullptr) {
        DWORD id = static_cast<DWORD>(thread->tid());
        if (!win32::write_user_value(lpThreadId, id)) {
            // The thread runs anyway, as on Windows; only the id is lost.
        }
    }
    return h;
}

WS2_EXPORT HANDLE WINAPI OpenThread(DWORD, BOOL, DWORD dwThreadId) {
    auto thread = win32::thread_by_id(static_cast<pid_t>(dwThreadId));
    if (!thread) {
        win32::set_last_error(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    return win32::register_object(thread);
}

WS2_EXPORT BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode) {
    auto thread = win32::resolve_thread(hThread);
    if (!thread) {
        win32::set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    DWORD code = STILL_ACTIVE;
    thread->exited(&code);
    if (!win32::write_user_value(lpExitCode, code)) {
        win32::set_last_error(ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}

// Queues pfnAPC(dwData) to run on the thread at its next alertable wait. 0 on failure.
WS2_EXPORT DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData) {
    auto thread = win32::resolve_thread(hThread);
    if (!thread) {
        win32::set_last_error(ERROR_INVALID_HANDLE);
        return 0;
    }
    if (pfnAPC == nullptr) {
        win32::set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (!thread->queue_apc(pfnAPC, dwData)) {
        win32::set_last_error(ERROR_GEN_FAILURE);  // the thread has ended
        return 0;
    }
    return 1;
}

}  // extern "C"
