// How a finished overlapped request is made known, in Windows' order: OVERLAPPED.InternalHigh
// (bytes), Offset (flags), then Internal (the status, which ends STATUS_PENDING); then the
// completion routine as an APC to the thread that issued the request, or else the completion
// port packet and the event (hEvent with its low bit cleared; a set low bit keeps the packet off
// the port).
#pragma once
#include <ws2spi.h>

#include <cstdint>
#include <memory>

#include "win32/thread_object.h"

namespace ws2::win32 {

class CompletionPort;

struct CompletionTarget {
    SOCKET socket;
    LPWSAOVERLAPPED overlapped;
    HANDLE event;  // OVERLAPPED.hEvent as it was when the request was issued
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    std::shared_ptr<ThreadObject> issuer;
    // The socket's completion port as it was when the request was issued (requests aborted by
    // closesocket still reach it, as on Windows); with no port captured, the socket's current
    // association decides at completion.
    std::shared_ptr<CompletionPort> port;
    ULONG_PTR key = 0;
    std::uint32_t modes = 0;
    bool captured = false;
};

// Fills target.port/key/modes from the socket's association now.
void capture_association(CompletionTarget *target);
// The target of a request being issued now on `socket` by the calling thread: its event, its
// routine, the issuing thread, and the socket's association.
CompletionTarget target_for(SOCKET socket, LPWSAOVERLAPPED overlapped,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

// `at_once`: the request succeeded without going pending (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
// then keeps it off the port).
void complete_overlapped(const CompletionTarget &target, DWORD error, DWORD bytes, DWORD flags,
                         bool at_once);

// WSAGetOverlappedResult with fWait: until Internal leaves STATUS_PENDING.
void wait_for_overlapped(LPWSAOVERLAPPED overlapped);

}  // namespace ws2::win32
