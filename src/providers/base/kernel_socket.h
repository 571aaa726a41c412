// The base provider's boundary with the Linux kernel. Callers pass Windows values; this file
// alone includes the Linux socket headers and translates (AF_INET6 is 23 on Windows, 10 on
// Linux). Results are 0/descriptor on success or -errno.
#pragma once
#include <cstdint>

namespace ws2::base::kernel {

// Creates a kernel socket for a Windows (af, type, protocol) that the catalog accepted.
// Raw sockets with protocol 0 (which Windows' RAW entries allow and Linux refuses) become
// IPPROTO_RAW sockets. IPv6 stream and datagram sockets start with IPV6_V6ONLY set, Windows' default.
// `inheritable` false makes the descriptor close-on-exec.
int create_socket(int win_af, int win_type, int protocol, bool inheritable);
int close_socket(int fd);

// The Linux value for a Windows address family, or -1.
int linux_family(int win_af);

// Wakes every call blocked on the descriptor (shutdown in both directions), for closesocket.
void wake_blocked_calls(int fd);
void pause_briefly();
std::uint64_t monotonic_ms();

// ---- connections (kernel_connection.cpp) --------------------------------------------------
struct Address;
int bind(int fd, const Address &address);
int listen(int fd, int backlog);
// The new descriptor, or -errno. `peer` receives the remote address.
int accept(int fd, Address *peer, bool inheritable, bool nonblocking);
int connect(int fd, const Address &address);
// Binds to the wildcard address of the socket's family with an ephemeral port (an implicit bind).
int bind_ephemeral(int fd, int win_af);
int shutdown(int fd, int win_how);  // SD_RECEIVE/SD_SEND/SD_BOTH share Linux's values
int local_address(int fd, Address *out);
int peer_address(int fd, Address *out);
int pending_error(int fd);  // SO_ERROR, cleared by reading (Linux semantics)

// ---- data (kernel_transfer.cpp) -------------------------------------------------------------
// A caller's WSABUF array, already copied in (Windows puts the length first).
struct Buffer {
    std::uint32_t length;  // WSABUF.len is a 32-bit ULONG, padded before the pointer
    char *data;
};
// Windows MSG_* flags in; bytes moved or -errno out. `to`/`from` may be null.
// send never raises SIGPIPE.
long send(int fd, const Buffer *buffers, unsigned count, int win_flags, const Address *to);
// *win_flags out: MSG_PARTIAL set when a datagram was truncated (the caller decides the error).
// `message_oriented`: datagram/raw sockets, whose truncation is detected with MSG_TRUNC (which
// on a stream socket would discard data instead).
long receive(int fd, const Buffer *buffers, unsigned count, int *win_flags, Address *from,
             bool *truncated, bool message_oriented);

// For the I/O engine, which speaks Linux: Windows MSG_* flags as Linux's, and what a finished
// receive's Linux msg_flags say.
int linux_message_flags(int win_flags);
bool message_truncated(int linux_msg_flags);
bool message_out_of_band(int linux_msg_flags);

// ICMP errors (port unreachable) reported to an unconnected datagram socket's next receive.
int report_icmp_errors(int fd, int win_af);
void drain_error_queue(int fd);

// ---- control (kernel_control.cpp) -----------------------------------------------------------
int set_nonblocking(int fd, bool on);
int bytes_readable(int fd, unsigned long *out);  // FIONREAD
int datagram_bytes_queued(int fd, unsigned long *out);  // FIONREAD as Windows counts datagrams
// Whether urgent (out-of-band) data is waiting to be read with MSG_OOB.
int out_of_band_pending(int fd, bool *out);
int set_keepalive(int fd, bool on, unsigned idle_ms, unsigned interval_ms);
// poll(2) over descriptors (-1 entries are skipped). `interest` asks for kReadable/kWritable/
// kUrgent per descriptor; readiness comes back in `ready` (errors and hang-ups always).
// Returns the count ready, or -errno.
enum Readiness : unsigned { kReadable = 1, kWritable = 2, kError = 4, kHangUp = 8, kUrgent = 16 };
int poll(const int *fds, const unsigned *interest, unsigned *ready, unsigned count, int timeout_ms);

// Whether a send of `length` bytes would fit the socket's send buffer now (SO_MEMINFO), and
// whether that buffer is empty. Unknown (old kernels): fits, empty.
void send_space(int fd, unsigned long length, bool *fits, bool *empty);

// Waits until the descriptor is writable (or `timeout_ms` passes; -1: forever). 0 or -errno.
int wait_writable(int fd, int timeout_ms);

}  // namespace ws2::base::kernel
