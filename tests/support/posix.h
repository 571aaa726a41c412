// Test helpers that need Linux headers (process control, limits, privileges, descriptors).
// Kept in their own translation unit: Linux's socket and time headers cannot share one with
// <winsock2.h>, exactly as in the library.
#pragma once
#include <cstddef>
#include <functional>

namespace ws2test {

// Runs `body` in a forked child and returns its exit code (or 128 + signal number).
int run_in_child(const std::function<int()> &body);

bool fd_is_open(int fd);
bool fd_is_cloexec(int fd);
// Whether a program exec'd by a child process still has descriptor `fd`.
bool fd_survives_exec(int fd);
int count_open_fds();
int open_devnull();
// A unique path for a Unix socket (the placeholder file is removed again); returns 0 or -1.
int mkstemp_path(char *templ);
void remove_path(const char *path);
void close_fd(int fd);

// An address that is mapped but inaccessible (PROT_NONE), for WSAEFAULT tests.
void *inaccessible_page();

bool can_open_raw_socket();  // via Linux socket(): does this process hold CAP_NET_RAW?
bool drop_root_privileges();  // become nobody (no capabilities); false if not root
bool running_as_root();
bool set_fd_soft_limit(long soft);
long fd_hard_limit();
// Caps the address space a little above what is mapped now, so a new large allocation fails.
bool limit_address_space(std::size_t headroom_bytes);
void unlimit_address_space();

constexpr bool kUnderSanitizer =
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

}  // namespace ws2test
