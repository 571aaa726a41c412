// SIO_GET_EXTENSION_FUNCTION_POINTER: the GUIDs of mswsock.h and the functions behind them.
#include <cstring>

#include "providers/base/base_extensions.h"

namespace ws2::base {
namespace {

struct Extension {
    GUID id;
    void *function;
};

const Extension kExtensions[] = {
    {WSAID_ACCEPTEX, reinterpret_cast<void *>(&accept_ex)},
    {WSAID_GETACCEPTEXSOCKADDRS, reinterpret_cast<void *>(&get_accept_ex_sockaddrs)},
    {WSAID_CONNECTEX, reinterpret_cast<void *>(&connect_ex)},
    {WSAID_DISCONNECTEX, reinterpret_cast<void *>(&disconnect_ex)},
    {WSAID_TRANSMITFILE, reinterpret_cast<void *>(&transmit_file)},
    {WSAID_WSARECVMSG, reinterpret_cast<void *>(&wsa_recv_msg)},
    {WSAID_WSASENDMSG, reinterpret_cast<void *>(&wsa_send_msg)},
};

}  // namespace

void *extension_function(const GUID &id) {
    for (const Extension &e : kExtensions)
        if (std::memcmp(&e.id, &id, sizeof id) == 0) return e.function;
    return nullptr;
}

}  // namespace ws2::base
