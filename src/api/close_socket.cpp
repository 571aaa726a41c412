// closesocket: the owning provider closes the socket; ws2 then forgets an IFS handle. The
// mapping is dropped before the provider releases the descriptor number, so a socket created
// concurrently under the same number is never unregistered by mistake.
#include <winsock2.h>

#include "api/process.h"
#include "spi/provider.h"
#include "spi/socket_registry.h"
#include "win32/completion_association.h"
#include "win32/export.h"
#include "win32/last_error.h"

using namespace ws2;

extern "C" WS2_EXPORT int WSAAPI closesocket(SOCKET s) {
    if (!api::is_started()) {
        win32::set_last_error(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    spi::SocketRecord record{};
    if (!spi::find_socket(s, &record)) {
        win32::set_last_error(WSAENOTSOCK);
        return SOCKET_ERROR;
    }
    bool ifs = !(record.flags & spi::SocketRecord::kNonIfs);
    if (ifs) spi::sockets().erase(s);
    win32::forget_association(s);  // before the number can be reused: a new socket starts unassociated
    int err = 0;
    if (record.provider->table.lpWSPCloseSocket(s, &err) == SOCKET_ERROR) {
        if (ifs && err != WSAENOTSOCK) spi::sockets().store_if_absent(s, record);
        win32::set_last_error(static_cast<DWORD>(err != 0 ? err : WSASYSCALLFAILURE));
        return SOCKET_ERROR;
    }
    return 0;
}
