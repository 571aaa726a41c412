// Socket groups (WSASocket's g, WSAAccept's condition function): the base provider's group
// table. Group ids come from a counter shared by every process on the machine, so an id is
// unique across processes as Windows promises; membership is kept per process. A constrained
// group admits only connection-oriented sockets of one type and protocol, all connected to the
// same host. See docs/architecture.md, "Socket groups".
#pragma once
#include <cstdint>

#include "providers/base/kernel_address.h"

namespace ws2::base {

// WSASocket's g values other than an existing group id (winsock2.h).
inline constexpr std::uint32_t kNoGroup = 0, kNewUnconstrainedGroup = 1, kNewConstrainedGroup = 2;

// Puts a new socket of (type, protocol) in group `g`: creates a group for kNewUnconstrainedGroup
// / kNewConstrainedGroup, joins an existing one otherwise. *id receives the socket's group
// (0 for kNoGroup). False when g is neither (unknown id) or the group's rules refuse the socket:
// the caller answers WSAEINVAL.
bool join_group(std::uint32_t g, int type, int protocol, bool connection_oriented, std::uint32_t *id);

// The socket left its group (closesocket, or a failed creation after join_group).
void leave_group(std::uint32_t id);

// A member of group `id` connects to (or was accepted from) `peer`. In a constrained group every
// connection goes to the host the first one went to; false when this one does not (WSAEINVAL).
bool admit_peer(std::uint32_t id, const kernel::Address &peer);

}  // namespace ws2::base
