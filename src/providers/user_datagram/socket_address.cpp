// SOCKADDR_UDGRAM in caller memory: checked reads and writes.
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {
namespace {

// Ports travel in network byte order, as in SOCKADDR_IN.
USHORT swap_bytes(USHORT v) { return static_cast<USHORT>((v >> 8) | (v << 8)); }
bool big_endian_host() {
    const USHORT one = 1;
    return *reinterpret_cast<const unsigned char *>(&one) == 0;
}
USHORT to_network(USHORT v) { return big_endian_host() ? v : swap_bytes(v); }
USHORT to_host(USHORT v) { return to_network(v); }

}  // namespace

int read_address(const sockaddr *name, int namelen, int family_error, USHORT *port) {
    SOCKADDR_UDGRAM address;
    if (name == nullptr || namelen < static_cast<int>(sizeof address) ||
        !read_user(&address, name, sizeof address))
        return WSAEFAULT;
    if (address.sudg_family != AF_UDGRAM) return family_error;
    *port = to_host(address.sudg_port);
    return 0;
}

int write_address(USHORT port, sockaddr *name, LPINT namelen) {
    int capacity = 0;
    if (namelen == nullptr || !read_user_value(&capacity, namelen)) return WSAEFAULT;
    SOCKADDR_UDGRAM address{};
    if (name == nullptr || capacity < static_cast<int>(sizeof address)) return WSAEFAULT;
    address.sudg_family = AF_UDGRAM;
    address.sudg_port = to_network(port);
    if (!write_user(name, &address, sizeof address)) return WSAEFAULT;
    if (!write_user_value(namelen, static_cast<int>(sizeof address))) return WSAEFAULT;
    return 0;
}

}  // namespace udgram
