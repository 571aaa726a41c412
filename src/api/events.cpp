// WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent, WSAWaitForMultipleEvents: manual-
// reset event objects (src/win32/event_object.h).
#include <winsock2.h>

#include <vector>

#include "api/dispatch.h"
#include "api/process.h"
#include "win32/event_object.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"
#include "win32/waits.h"

using namespace ws2;

extern "C" {

WS2_EXPORT WSAEVENT WSAAPI WSACreateEvent(void) {
    if (!api::is_started()) {
        win32::set_last_error(WSANOTINITIALISED);
        return WSA_INVALID_EVENT;
    }
    return win32::create_event(/*manual_reset=*/true, /*initially_set=*/false);
}

WS2_EXPORT BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent) {
    if (!win32::close_event(hEvent)) {
        win32::set_last_error(WSA_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

WS2_EXPORT BOOL WSAAPI WSASetEvent(WSAEVENT hEvent) {
    if (win32::set_event(hEvent)) return TRUE;
    win32::set_last_error(WSA_INVALID_HANDLE);
    return FALSE;
}

WS2_EXPORT BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent) {
    if (win32::reset_event(hEvent)) return TRUE;
    win32::set_last_error(WSA_INVALID_HANDLE);
    return FALSE;
}

// An alertable wait runs the thread's queued APCs (QueueUserAPC; completion routines once
// overlapped I/O exists) and reports WSA_WAIT_IO_COMPLETION.
WS2_EXPORT DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents,
                                                 BOOL fWaitAll, DWORD dwTimeout, BOOL fAlertable) {
    if (!api::is_started()) {
        win32::set_last_error(WSANOTINITIALISED);
        return WSA_WAIT_FAILED;
    }
    if (cEvents == 0 || cEvents > WSA_MAXIMUM_WAIT_EVENTS) {
        win32::set_last_error(WSA_INVALID_PARAMETER);
        return WSA_WAIT_FAILED;
    }
    std::vector<HANDLE> handles(cEvents);
    if (!win32::read_user(handles.data(), lphEvents, cEvents * sizeof(WSAEVENT))) {
        win32::set_last_error(WSA_INVALID_PARAMETER);
        return WSA_WAIT_FAILED;
    }
    DWORD r = win32::wait_for_objects(handles.data(), cEvents, fWaitAll != FALSE, dwTimeout, fAlertable != FALSE);
    if (r == win32::kWaitFailed) {
        win32::set_last_error(WSA_INVALID_HANDLE);
        return WSA_WAIT_FAILED;
    }
    if (r == win32::kWaitTimeout) return WSA_WAIT_TIMEOUT;
    if (r == win32::kWaitIoCompletion) return WSA_WAIT_IO_COMPLETION;
    return WSA_WAIT_EVENT_0 + r;
}

}  // extern "C"

// WSAEventSelect / WSAEnumNetworkEvents go to the owning provider.
extern "C" {

WS2_EXPORT int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPEventSelect(s, hEventObject, lNetworkEvents, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                           LPWSANETWORKEVENTS lpNetworkEvents) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return SOCKET_ERROR;
    int err = 0;
    int rc = r.provider->table.lpWSPEnumNetworkEvents(s, hEventObject, lpNetworkEvents, &err);
    return api::finish(rc, err);
}

}  // extern "C"
