// The base provider's boundary with the Linux kernel. Callers pass Windows values; this file
// alone includes the Linux socket headers and translates (AF_INET6 is 23 on Windows, 10 on
// Linux). Results are 0/descriptor on success or -errno.
#pragma once

namespace ws2::base::kernel {

// Creates a kernel socket for a Windows (af, type, protocol) that the catalog accepted.
// Raw sockets with protocol 0 (which Windows' RAW entries allow and Linux refuses) become
// IPPROTO_RAW sockets. IPv6 stream and datagram sockets start with IPV6_V6ONLY set, Windows' default.
// `inheritable` false makes the descriptor close-on-exec.
int create_socket(int win_af, int win_type, int protocol, bool inheritable);
int close_socket(int fd);

// The Linux value for a Windows address family, or -1.
int linux_family(int win_af);

}  // namespace ws2::base::kernel
