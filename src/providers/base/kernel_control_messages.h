// Ancillary data (control messages) between Windows' WSACMSGHDR layout and Linux's cmsghdr.
// The headers have the same layout on LP64 ({size_t len; int level; int type}, data and each
// message 8-byte aligned); the numbers differ (IP_PKTINFO is 19 on Windows, 8 on Linux) and so
// does IN_PKTINFO ({addr, ifindex} against Linux's {ifindex, spec_dst, addr}). Linux side.
#pragma once
#include <cstddef>

namespace ws2::base::kernel {

// Linux space needed to receive what fits in `windows_length` bytes of Windows control data.
std::size_t linux_control_capacity(std::size_t windows_length);

// Received Linux control data → Windows layout in `out` (plain memory of `capacity` bytes).
// Returns the bytes written; *truncated when a message did not fit. Messages with no Windows
// form are dropped.
std::size_t control_to_windows(const void *linux_control, std::size_t length, void *out,
                               std::size_t capacity, bool *truncated);

// Whether a finished receive's Linux msg_flags say control data was cut short (MSG_CTRUNC).
bool control_truncated(int linux_msg_flags);

// Windows control data (already copied in) → Linux layout for sendmsg. Returns the Linux
// length, or -1 when a message is malformed or has no Linux form.
long control_to_linux(const void *windows_control, std::size_t length, void *out, std::size_t capacity);

}  // namespace ws2::base::kernel
