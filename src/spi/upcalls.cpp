// The WSPUPCALLTABLE: what ws2_32 offers providers: socket handles, event objects, threads and
// their APCs (src/win32), the provider path; WPUPostMessage reports that no window system
// exists. WPUCompleteOverlappedRequest (exported, not in the table) completes a non-IFS
// provider's overlapped request the way the base provider's complete.
#include <ws2spi.h>

#include <climits>
#include <cwchar>

#include "api/process.h"
#include "spi/descriptors.h"
#include "spi/provider.h"
#include "spi/socket_registry.h"
#include "win32/event_object.h"
#include "win32/io_status.h"
#include "win32/overlapped_completion.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/thread_object.h"
#include "win32/user_memory.h"

namespace ws2::spi {
namespace {

int fail(LPINT err, int code) {
    if (err != nullptr) *err = code;
    return SOCKET_ERROR;
}

// Registers a socket handle with ws2 under a catalog entry: the provider of that entry owns it.
bool register_socket(DWORD catalog_id, SOCKET handle, bool non_ifs, DWORD_PTR context,
                     int *err) {
    const catalog::Catalog *cat = api::process_catalog();
    if (cat == nullptr) {
        *err = WSANOTINITIALISED;
        return false;
    }
    const catalog::Entry *entry = cat->find_by_id(catalog_id);
    if (entry == nullptr) {
        *err = WSAEINVAL;
        return false;
    }
    Provider *provider = providers().acquire(*entry, err);
    if (provider == nullptr) return false;
    SocketRecord record{provider, entry, context, 0};
    if (thread_open_type() == 0) record.flags |= SocketRecord::kOverlapped;
    if (non_ifs) record.flags |= SocketRecord::kNonIfs;
    if (!sockets().store(handle, record)) {
        *err = WSAENOBUFS;
        return false;
    }
    return true;
}

SOCKET WSPAPI WPUModifyIFSHandle(DWORD dwCatalogEntryId, SOCKET ProposedHandle, LPINT lpErrno) {
    int err = 0;
    if (ProposedHandle > static_cast<SOCKET>(INT_MAX) ||
        !descriptor_is_open(static_cast<int>(ProposedHandle))) {
        fail(lpErrno, WSAEINVAL);
        return INVALID_SOCKET;
    }
    if (!register_socket(dwCatalogEntryId, ProposedHandle, false, 0, &err)) {
        fail(lpErrno, err);
        return INVALID_SOCKET;
    }
    return ProposedHandle;
}

SOCKET WSPAPI WPUCreateSocketHandle(DWORD dwCatalogEntryId, DWORD_PTR dwContext, LPINT lpErrno) {
    int fd = reserve_descriptor();
    if (fd < 0) {
        fail(lpErrno, fd == -1 ? WSAEMFILE : WSAENOBUFS);
        return INVALID_SOCKET;
    }
    int err = 0;
    if (!register_socket(dwCatalogEntryId, static_cast<SOCKET>(fd), true, dwContext, &err)) {
        release_descriptor(fd);
        fail(lpErrno, err);
        return INVALID_SOCKET;
    }
    return static_cast<SOCKET>(fd);
}

int WSPAPI WPUCloseSocketHandle(SOCKET s, LPINT lpErrno) {
    SocketRecord record{};
    if (!find_socket(s, &record) || !(record.flags & SocketRecord::kNonIfs))
        return fail(lpErrno, WSAENOTSOCK);
    sockets().erase(s);
    release_descriptor(static_cast<int>(s));
    return 0;
}

int WSPAPI WPUQuerySocketHandleContext(SOCKET s, PDWORD_PTR lpContext, LPINT lpErrno) {
    SocketRecord record{};
    if (!find_socket(s, &record) || !(record.flags & SocketRecord::kNonIfs))
        return fail(lpErrno, WSAENOTSOCK);
    if (!win32::write_user_value(lpContext, record.context)) return fail(lpErrno, WSAEFAULT);
    return 0;
}

int WSPAPI WPUFDIsSet(SOCKET s, fd_set *set) {
    for (u_int i = 0; i < set->fd_count; ++i)
        if (set->fd_array[i] == s) return 1;
    return 0;
}

int WSPAPI WPUGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                              LPINT lpProviderDllPathLen, LPINT lpErrno) {
    return api::provider_path(lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}

// Winsock 2 has no blocking hooks: there is never a callback to report.
int WSPAPI WPUQueryBlockingCallback(DWORD, LPBLOCKINGCALLBACK *lplpfnCallback,
                                    PDWORD_PTR lpdwContext, LPINT lpErrno) {
    if (!win32::write_user_value(lplpfnCallback, LPBLOCKINGCALLBACK{nullptr}) ||
        !win32::write_user_value(lpdwContext, DWORD_PTR{0}))
        return fail(lpErrno, WSAEFAULT);
    return 0;
}

// Event objects for providers: the same manual-reset events as WSACreateEvent.
WSAEVENT WSPAPI WPUCreateEvent(LPINT lpErrno) {
    HANDLE h = win32::create_event(/*manual_reset=*/true, /*initially_set=*/false);
    if (h == nullptr) fail(lpErrno, WSA_NOT_ENOUGH_MEMORY);
    return h;
}
BOOL WSPAPI WPUCloseEvent(WSAEVENT hEvent, LPINT lpErrno) {
    if (!win32::close_event(hEvent)) return fail(lpErrno, WSA_INVALID_HANDLE), FALSE;
    return TRUE;
}
BOOL WSPAPI WPUSetEvent(WSAEVENT hEvent, LPINT lpErrno) {
    return win32::set_event(hEvent) ? TRUE : (fail(lpErrno, WSA_INVALID_HANDLE), FALSE);
}
BOOL WSPAPI WPUResetEvent(WSAEVENT hEvent, LPINT lpErrno) {
    return win32::reset_event(hEvent) ? TRUE : (fail(lpErrno, WSA_INVALID_HANDLE), FALSE);
}

// Threads for completion routines: a provider opens the calling thread and later queues an APC
// to it; the APC runs at that thread's next alertable wait.
int WSPAPI WPUOpenCurrentThread(LPWSATHREADID lpThreadId, LPINT lpErrno) {
    if (lpThreadId == nullptr) return fail(lpErrno, WSAEFAULT);
    HANDLE h = win32::register_object(win32::current_thread());
    if (h == nullptr) return fail(lpErrno, WSA_NOT_ENOUGH_MEMORY);
    WSATHREADID id{h, 0};
    if (!win32::write_user_value(lpThreadId, id)) {
        win32::close_handle(h);
        return fail(lpErrno, WSAEFAULT);
    }
    return 0;
}
int WSPAPI WPUCloseThread(LPWSATHREADID lpThreadId, LPINT lpErrno) {
    WSATHREADID id{};
    if (lpThreadId == nullptr || !win32::read_user_value(&id, lpThreadId)) return fail(lpErrno, WSAEFAULT);
    if (!win32::resolve_thread(id.ThreadHandle) || !win32::close_handle(id.ThreadHandle))
        return fail(lpErrno, WSA_INVALID_HANDLE);
    return 0;
}
int WSPAPI WPUQueueApc(LPWSATHREADID lpThreadId, LPWSAUSERAPC lpfnUserApc, DWORD_PTR dwContext, LPINT lpErrno) {
    WSATHREADID id{};
    if (lpThreadId == nullptr || !win32::read_user_value(&id, lpThreadId)) return fail(lpErrno, WSAEFAULT);
    if (lpfnUserApc == nullptr) return fail(lpErrno, WSAEFAULT);
    auto thread = win32::resolve_thread(id.ThreadHandle);
    if (!thread) return fail(lpErrno, WSA_INVALID_HANDLE);
    if (!thread->queue_apc(reinterpret_cast<PAPCFUNC>(lpfnUserApc), dwContext)) return fail(lpErrno, WSAEINVAL);
    return 0;
}
// There is no window system: window-message notification cannot be delivered.
BOOL WSPAPI WPUPostMessage(HWND, UINT, WPARAM, LPARAM) {
    win32::set_last_error(ERROR_INVALID_PARAMETER);
    return FALSE;
}

}  // namespace

// Providers with their own (non-IFS) handles have no file object for Windows' I/O manager to
// complete: this sets the OVERLAPPED's status and count and signals its event or the socket's
// completion port. Completion routines are the provider's to queue (WPUQueueApc).
extern "C" WS2_EXPORT int WSPAPI WPUCompleteOverlappedRequest(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                                             DWORD dwError, DWORD cbTransferred,
                                                             LPINT lpErrno) {
    SocketRecord record{};
    if (!find_socket(s, &record) || !(record.flags & SocketRecord::kNonIfs)) {
        if (lpErrno != nullptr) *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    WSAOVERLAPPED ov;
    if (lpOverlapped == nullptr || !win32::read_user_value(&ov, lpOverlapped)) {
        if (lpErrno != nullptr) *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    win32::CompletionTarget target;
    target.socket = s;
    target.overlapped = lpOverlapped;
    target.event = ov.hEvent;
    target.routine = nullptr;
    win32::complete_overlapped(target, dwError, cbTransferred, 0, /*at_once=*/false);
    return 0;
}

namespace {

const WSPUPCALLTABLE kUpcalls = {
    WPUCloseEvent,          WPUCloseSocketHandle,     WPUCreateEvent,
    WPUCreateSocketHandle,  WPUFDIsSet,               WPUGetProviderPath,
    WPUModifyIFSHandle,     WPUPostMessage,           WPUQueryBlockingCallback,
    WPUQuerySocketHandleContext, WPUQueueApc,         WPUResetEvent,
    WPUSetEvent,            WPUOpenCurrentThread,     WPUCloseThread,
};

}  // namespace

const WSPUPCALLTABLE &upcall_table() { return kUpcalls; }

}  // namespace ws2::spi
