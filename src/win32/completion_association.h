// Which completion port a non-kernel-object handle (a socket) is associated with, under which
// key, and its SetFileCompletionNotificationModes flags: one record per handle value in a flat
// lock-free table, read on every overlapped operation. closesocket forgets the record, so a
// reused handle value never inherits an old association.
#pragma once
#include <windows.h>

#include <cstdint>
#include <memory>

#include "spi/handle_table.h"
#include "win32/completion_port.h"

namespace ws2::win32 {

constexpr std::uint32_t kSkipCompletionPortOnSuccess = 0x1;  // FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
constexpr std::uint32_t kSkipSetEventOnHandle = 0x2;         // FILE_SKIP_SET_EVENT_ON_HANDLE

struct AssociationRecord {
    CompletionPort *port;                    // nullptr: modes set, no port yet
    std::shared_ptr<CompletionPort> *owner;  // the record's reference on the port (heap)
    ULONG_PTR key;
    std::uint32_t modes;
};

using AssociationTable = spi::HandleTable<AssociationRecord>;
AssociationTable &associations();

struct Association {
    CompletionPort *port;  // nullptr when the handle has no port
    ULONG_PTR key;
    std::uint32_t modes;
};

// Lock-free. The port pointer stays valid while the handle stays open (an operation in flight
// on the handle, which closesocket waits for, guarantees that); take association_port() to
// keep the port beyond. False when the handle has no record at all.
inline bool association(std::uint64_t handle, Association *out) {
    AssociationRecord r;
    if (!associations().load(handle, &r)) return false;
    *out = Association{r.port, r.key, r.modes};
    return true;
}

// The associated port with a reference of the caller's own (nullptr when none).
std::shared_ptr<CompletionPort> association_port(std::uint64_t handle, ULONG_PTR *key);

enum class Associate { kDone, kAlreadyAssociated, kNoRoom };
Associate associate(std::uint64_t handle, const std::shared_ptr<CompletionPort> &port, ULONG_PTR key);

// Adds notification modes (they are never removed, as on Windows). False when no room.
bool add_notification_modes(std::uint64_t handle, std::uint32_t modes);

// Drops the handle's record and its reference on the port.
void forget_association(std::uint64_t handle);

}  // namespace ws2::win32
