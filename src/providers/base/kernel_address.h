// Socket addresses at the kernel boundary. Windows and Linux lay out sockaddr_in,
// sockaddr_in6 (28 bytes with the scope id) and sockaddr_un (110 bytes) the same way; only the
// family numbers differ (AF_INET6 is 23 on Windows, 10 on Linux). The translation copies the
// caller's bytes in through the kernel (a bad pointer is WSAEFAULT, not a crash) and rewrites
// the family.
#pragma once
#include <cstdint>

namespace ws2::base::kernel {

// A Linux socket address, opaque to code that includes the Windows headers.
struct Address {
    alignas(8) unsigned char bytes[128];
    std::uint32_t length = 0;
};

// Windows address -> Linux. Returns 0 or a Winsock error: WSAEFAULT for a NULL/inaccessible
// pointer or a length shorter than the family's structure, WSAEAFNOSUPPORT for a family the
// kernel boundary does not know.
int address_to_kernel(const void *win_addr, int win_len, Address *out);

// Linux address -> Windows bytes written to the caller's buffer (*win_len in: capacity, out:
// the size of the address). Returns 0 or WSAEFAULT (buffer too small or inaccessible; nothing
// is written then, *win_len is left unchanged).
int address_to_windows(const Address &in, void *win_addr, int *win_len);
// The same when the caller has already read *win_len (its value is `capacity`).
int address_to_windows(const Address &in, void *win_addr, int *win_len, int capacity);

// For IP addresses: whether the address is the unspecified one (0.0.0.0 or ::), and the port.
bool is_unspecified(const Address &in);
int port(const Address &in);
// A bound local address has a port (IP) or a path/abstract name (AF_UNIX).
bool is_bound_local_address(const Address &in);

// The Windows family of a Linux address (0 if unknown) and the size Windows reports for it.
int windows_family(const Address &in);
int windows_length(const Address &in);

}  // namespace ws2::base::kernel
