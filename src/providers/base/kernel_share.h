// The kernel side of shared sockets (WSADuplicateSocket). The source process keeps a second
// descriptor of the socket and serves it, once, to the process it was duplicated for: a broker
// thread listens on the abstract Unix socket "\0ws2-share-<pid>", checks the caller's pid with
// SO_PEERCRED and passes the descriptor with SCM_RIGHTS, together with an opaque block of
// Windows-only socket state. Plain ints only; results are 0/descriptor or -errno.
#pragma once
#include <cstddef>
#include <cstdint>

namespace ws2::base::kernel {

// Size of the opaque Windows-only state that travels with a shared descriptor.
inline constexpr std::size_t kShareStateBytes = 96;

std::uint32_t current_pid();
// Whether `pid` names a live process (one a socket could be handed to).
bool process_exists(std::uint32_t pid);
// A random non-zero value for a share token.
std::uint32_t random_token();

// A second descriptor of the same open socket (close-on-exec), or -errno.
int duplicate_descriptor(int fd);
int set_inheritable(int fd, bool inheritable);

// Called on the broker thread for each request: true hands over *fd (the broker sends and
// closes it) with its state; false refuses (unknown token, or made for another process).
using ClaimShare = bool (*)(std::uint32_t token, std::uint32_t peer_pid, int *fd,
                            unsigned char *state);
// Starts this process's broker if it is not running. 0 or -errno.
int start_share_broker(ClaimShare claim);
// Stops the broker thread and closes its socket (last WSPCleanup).
void stop_share_broker();

// In the target process: asks source_pid's broker for the socket `token` names. Returns the
// new descriptor (close-on-exec unless `inheritable`) and fills `state`, or -errno: -EACCES
// when the broker refused, the connect error when there is no broker (the source is gone).
int receive_shared_socket(std::uint32_t source_pid, std::uint32_t token, bool inheritable,
                          unsigned char *state);

// closesocket of a shared descriptor with calls in flight: the number is made to refer to an
// inert placeholder (dup3), so the socket itself is untouched for its other descriptors, the
// running calls finish on it, and the number cannot be reused until the placeholder is closed.
int retire_descriptor(int fd);

}  // namespace ws2::base::kernel
