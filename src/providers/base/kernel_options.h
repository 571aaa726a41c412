// Socket options at the kernel boundary: Windows (level, option) pairs that have a Linux
// counterpart with the same meaning, and raw get/set of Linux values.
#pragma once

namespace ws2::base::kernel {

// The Linux (level, name) for a Windows (level, name), false when there is no direct one.
bool linux_option(int win_level, int win_name, int *linux_level, int *linux_name);

// int-valued options (or raw bytes for structures). 0 or -errno.
int get_option(int fd, int linux_level, int linux_name, void *value, unsigned *length);
int set_option(int fd, int linux_level, int linux_name, const void *value, unsigned length);

int get_int_option(int fd, int linux_level, int linux_name, int *value);
int set_int_option(int fd, int linux_level, int linux_name, int value);


// SO_LINGER with Windows' u_short pair translated to Linux's ints.
int get_linger(int fd, unsigned short *on, unsigned short *seconds);
int set_linger(int fd, unsigned short on, unsigned short seconds);

// SO_RCVTIMEO / SO_SNDTIMEO from milliseconds (0: never time out).
int set_timeout(int fd, bool receive, unsigned ms);

// SO_RCVBUF / SO_SNDBUF: Linux doubles what it is given; `get` reports the kernel's value.
int set_buffer_size(int fd, bool receive, int bytes);
int get_buffer_size(int fd, bool receive, int *bytes);

// IP_DONTFRAGMENT / IPV6_DONTFRAG on IPv4 through path-MTU discovery.
int set_ipv4_dont_fragment(int fd, bool on);
int get_ipv4_dont_fragment(int fd, bool *on);

}  // namespace ws2::base::kernel
