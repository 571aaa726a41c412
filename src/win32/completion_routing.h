// Where an overlapped operation's completion goes, for the I/O engine: the completion port (if
// the handle has one), the OVERLAPPED's event, the handle itself. Two conventions decide:
// - an hEvent with its low bit set asks that the completion NOT be queued to the port; the
//   real event is hEvent with that bit cleared;
// - SetFileCompletionNotificationModes: FILE_SKIP_COMPLETION_PORT_ON_SUCCESS queues nothing for
//   an operation that succeeded at once (the caller already has the result),
//   FILE_SKIP_SET_EVENT_ON_HANDLE leaves the handle's own signal alone.
#pragma once
#include <windows.h>

#include <cstdint>

#include "win32/completion_association.h"

namespace ws2::win32 {

inline bool event_skips_port(HANDLE overlapped_event) {
    return (reinterpret_cast<std::uintptr_t>(overlapped_event) & 1) != 0;
}
// The event to set (nullptr: none).
inline HANDLE real_event(HANDLE overlapped_event) {
    return reinterpret_cast<HANDLE>(reinterpret_cast<std::uintptr_t>(overlapped_event) & ~std::uintptr_t{1});
}

struct CompletionRouting {
    bool queue_to_port;  // post a packet to the associated port
    HANDLE event;        // set this event (nullptr: none)
    bool signal_handle;  // signal the file handle itself
};

// association: the handle's record, or nullptr when it has none. succeeded_at_once: the
// operation succeeded without going pending.
inline CompletionRouting route_completion(const Association *association, HANDLE overlapped_event,
                                          bool succeeded_at_once) {
    std::uint32_t modes = association != nullptr ? association->modes : 0;
    bool has_port = association != nullptr && association->port != nullptr;
    bool skipped = succeeded_at_once && (modes & kSkipCompletionPortOnSuccess) != 0;
    return CompletionRouting{has_port && !event_skips_port(overlapped_event) && !skipped,
                             real_event(overlapped_event), (modes & kSkipSetEventOnHandle) == 0};
}

}  // namespace ws2::win32
