// WSAPoll: Windows' POLL* values (not Linux's), only POLLRDNORM/POLLRDBAND/POLLWRNORM may be
// requested, an entry that is not a socket reports POLLNVAL, and when no entry is a socket the
// call fails with WSAENOTSOCK. The waiting is done by the provider of the first socket.
#include <winsock2.h>

#include <vector>

#include "api/dispatch.h"
#include "spi/private_ioctls.h"
#include "win32/export.h"
#include "win32/user_memory.h"

using namespace ws2;

extern "C" WS2_EXPORT int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout) {
    if (!api::is_started()) return api::fail(WSANOTINITIALISED);
    if (fdArray == nullptr) return api::fail(fds == 0 ? WSAEINVAL : WSAEFAULT);
    if (fds == 0) return api::fail(WSAEINVAL);
    std::vector<WSAPOLLFD> entries(fds);
    if (!win32::read_user(entries.data(), fdArray, fds * sizeof(WSAPOLLFD))) return api::fail(WSAEFAULT);
    constexpr SHORT kAllowed = POLLRDNORM | POLLRDBAND | POLLWRNORM;
    for (const WSAPOLLFD &e : entries)
        if (e.events & ~kAllowed) return api::fail(WSAEINVAL);

    spi::SocketRecord first{};
    SOCKET owner = INVALID_SOCKET;
    for (WSAPOLLFD &e : entries) {
        spi::SocketRecord r{};
        if (spi::find_socket(e.fd, &r)) {
            if (owner == INVALID_SOCKET) {
                owner = e.fd;
                first = r;
            }
        }
    }
    if (owner == INVALID_SOCKET) {
        for (WSAPOLLFD &e : entries) e.revents = POLLNVAL;
        win32::write_user(fdArray, entries.data(), fds * sizeof(WSAPOLLFD));
        return api::fail(WSAENOTSOCK);
    }
    spi::PollRequest request{entries.data(), fds, timeout};
    int result = 0, err = 0;
    DWORD returned = 0;
    int rc = first.provider->table.lpWSPIoctl(owner, spi::kSioWs2Poll, &request, sizeof request, &result,
                                              sizeof result, &returned, nullptr, nullptr, nullptr, &err);
    if (rc == SOCKET_ERROR) return api::fail(err != 0 ? err : WSASYSCALLFAILURE);
    if (!win32::write_user(fdArray, entries.data(), fds * sizeof(WSAPOLLFD))) return api::fail(WSAEFAULT);
    win32::set_last_error(0);
    return result;
}
