// I/O completion ports: CreateIoCompletionPort, GetQueuedCompletionStatus(Ex),
// PostQueuedCompletionStatus, SetFileCompletionNotificationModes (the port object is in
// src/win32/completion_port.h, associations in src/win32/completion_association.h). CloseHandle
// closes a port like any kernel object.
//
// Caller pointers are checked before anything is dequeued, so a bad pointer (ERROR_NOACCESS, the
// code of Windows' probe) loses no packet. Windows itself faults on a NULL out-pointer of
// GetQueuedCompletionStatus; ws2 answers ERROR_NOACCESS instead of crashing.
#include <windows.h>

#include <cstdint>
#include <cstring>

#include "spi/socket_registry.h"
#include "win32/completion_association.h"
#include "win32/completion_port.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"

using namespace ws2;

namespace {

// The most packets one GetQueuedCompletionStatusEx removes; the rest stay queued for the next
// call (Windows too returns "up to" ulCount).
constexpr std::size_t kMaxBatch = 256;

// The range is mapped: one byte of every page it touches can be read. Nothing is written (a
// write-back could undo another thread's store). A read-only range still fails, later, at the
// copy-out, and the packets dequeued for it are lost then.
bool probe_range(const void *user, std::size_t n) {
    constexpr std::uintptr_t kPage = 4096;
    auto first = reinterpret_cast<std::uintptr_t>(user);
    std::uintptr_t last = first + n - 1;
    if (n == 0 || last < first) return n == 0;
    unsigned char byte, small[64];
    if (n <= sizeof small) return win32::read_user(small, user, n);  // one copy (on the stack: no syscall)
    for (std::uintptr_t a = first;; a = (a | (kPage - 1)) + 1) {
        if (!win32::read_user(&byte, reinterpret_cast<const void *>(a), 1)) return false;
        if ((a | (kPage - 1)) >= last) break;
    }
    return win32::read_user(&byte, reinterpret_cast<const void *>(last), 1);
}

// Typed copies of one out-value: inlined into the caller so that a variable on the caller's
// stack (the usual case) is a plain load or store, no call (see win32/user_memory.h).
template <class T>
[[gnu::always_inline]] inline bool load_out(T *value, const T *user) {
    if (win32::on_live_stack(user, sizeof(T), __builtin_frame_address(0))) {
        std::memcpy(value, user, sizeof(T));
        return true;
    }
    return win32::read_user_checked(value, user, sizeof(T));
}
template <class T>
[[gnu::always_inline]] inline bool store_out(T *user, T value) {
    if (win32::on_live_stack(user, sizeof(T), __builtin_frame_address(0))) {
        std::memcpy(user, &value, sizeof(T));
        return true;
    }
    return win32::write_user_checked(user, &value, sizeof(T));
}

BOOL fail(DWORD code) {
    win32::set_last_error(code);
    return FALSE;
}

// A handle that can be associated with a port: ws2's sockets. Others are not I/O endpoints.
DWORD check_endpoint(HANDLE h) {
    spi::SocketRecord record{};
    if (!spi::find_socket(reinterpret_cast<SOCKET>(h), &record)) return ERROR_INVALID_HANDLE;
    // A socket without the overlapped attribute does synchronous I/O only, which Windows refuses
    // to tie to a port or to notification modes.
    if (!(record.flags & spi::SocketRecord::kOverlapped)) return ERROR_INVALID_PARAMETER;
    return ERROR_SUCCESS;
}

}  // namespace

extern "C" {

WS2_EXPORT HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads) {
    if (FileHandle == INVALID_HANDLE_VALUE) {
        if (ExistingCompletionPort != nullptr) {
            win32::set_last_error(ERROR_INVALID_PARAMETER);
            return nullptr;
        }
        return win32::create_completion_port(NumberOfConcurrentThreads);
    }
    if (DWORD err = check_endpoint(FileHandle); err != ERROR_SUCCESS) {
        win32::set_last_error(err);
        return nullptr;
    }
    HANDLE result = ExistingCompletionPort;
    std::shared_ptr<win32::CompletionPort> port;
    if (ExistingCompletionPort != nullptr) {
        port = win32::find_port(ExistingCompletionPort);
        if (!port) {
            win32::set_last_error(ERROR_INVALID_HANDLE);
            return nullptr;
        }
    } else {
        result = win32::create_completion_port(NumberOfConcurrentThreads);
        if (result == nullptr) return nullptr;
        port = win32::find_port(result);
    }
    auto handle = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(FileHandle));
    win32::Associate outcome = win32::associate(handle, port, CompletionKey);
    if (outcome != win32::Associate::kDone) {
        if (ExistingCompletionPort == nullptr) win32::close_handle(result);
        // A handle stays with its first port until it is closed.
        win32::set_last_error(outcome == win32::Associate::kAlreadyAssociated ? ERROR_INVALID_PARAMETER
                                                                             : ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    return result;
}

WS2_EXPORT BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                                 PULONG_PTR lpCompletionKey, LPOVERLAPPED *lpOverlapped,
                                                 DWORD dwMilliseconds) {
    DWORD old_bytes;
    ULONG_PTR old_key;
    if (!load_out(&old_bytes, lpNumberOfBytesTransferred) || !load_out(&old_key, lpCompletionKey) ||
        !store_out<LPOVERLAPPED>(lpOverlapped, nullptr))  // NULL unless a packet comes
        return fail(ERROR_NOACCESS);
    win32::CompletionPort *port = win32::find_port_cached(CompletionPort);
    if (port == nullptr) return fail(ERROR_INVALID_HANDLE);
    win32::CompletionPacket packet;
    std::size_t got = 0;
    switch (port->dequeue(&packet, 1, &got, dwMilliseconds, false)) {
    case win32::CompletionPort::Dequeue::kPackets:
        if (!store_out<DWORD>(lpNumberOfBytesTransferred, packet.bytes) ||
            !store_out<ULONG_PTR>(lpCompletionKey, packet.key) || !store_out<LPOVERLAPPED>(lpOverlapped, packet.overlapped))
            return fail(ERROR_NOACCESS);
        // A packet of a failed operation: FALSE, with *lpOverlapped set and its error.
        return packet.status == ERROR_SUCCESS ? TRUE : fail(packet.status);
    case win32::CompletionPort::Dequeue::kAbandoned:
        return fail(ERROR_ABANDONED_WAIT_0);
    default:
        return fail(WAIT_TIMEOUT);
    }
}

// Each entry's Internal receives the packet's status as ws2 carries it: a Win32 error code
// (Windows puts the NTSTATUS there; the field is documented as reserved).
WS2_EXPORT BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort, LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                   ULONG ulCount, PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                                   BOOL fAlertable) {
    if (ulCount == 0) return fail(ERROR_INVALID_PARAMETER);
    if (!store_out<ULONG>(ulNumEntriesRemoved, 0) ||
        !probe_range(lpCompletionPortEntries, std::size_t{ulCount} * sizeof(OVERLAPPED_ENTRY)))
        return fail(ERROR_NOACCESS);
    win32::CompletionPort *port = win32::find_port_cached(CompletionPort);
    if (port == nullptr) return fail(ERROR_INVALID_HANDLE);
    win32::CompletionPacket packets[kMaxBatch];
    std::size_t max = ulCount < kMaxBatch ? ulCount : kMaxBatch, got = 0;
    switch (port->dequeue(packets, max, &got, dwMilliseconds, fAlertable != FALSE)) {
    case win32::CompletionPort::Dequeue::kPackets: {
        OVERLAPPED_ENTRY entries[kMaxBatch];
        for (std::size_t i = 0; i < got; ++i)
            entries[i] = OVERLAPPED_ENTRY{packets[i].key, packets[i].overlapped, packets[i].status, packets[i].bytes};
        if (!win32::write_user(lpCompletionPortEntries, entries, got * sizeof(OVERLAPPED_ENTRY)) ||
            !store_out<ULONG>(ulNumEntriesRemoved, static_cast<ULONG>(got)))
            return fail(ERROR_NOACCESS);
        return TRUE;
    }
    case win32::CompletionPort::Dequeue::kAbandoned:
        return fail(ERROR_ABANDONED_WAIT_0);
    case win32::CompletionPort::Dequeue::kApc:
        return fail(WAIT_IO_COMPLETION);
    default:
        return fail(WAIT_TIMEOUT);
    }
}

WS2_EXPORT BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                                  ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped) {
    win32::CompletionPort *port = win32::find_port_cached(CompletionPort);
    // lpOverlapped is only carried, never read: any value goes.
    if (port == nullptr || !port->post(dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped, ERROR_SUCCESS))
        return fail(ERROR_INVALID_HANDLE);
    return TRUE;
}

WS2_EXPORT BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags) {
    if (Flags & ~(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE))
        return fail(ERROR_INVALID_PARAMETER);
    if (DWORD err = check_endpoint(FileHandle); err != ERROR_SUCCESS) return fail(err);
    auto handle = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(FileHandle));
    if (!win32::add_notification_modes(handle, Flags)) return fail(ERROR_NOT_ENOUGH_MEMORY);
    return TRUE;
}

}  // extern "C"
