// ws2_32's own record of every socket handed to the application: which provider owns it and
// under which catalog entry it was registered (WPUModifyIFSHandle / WPUCreateSocketHandle).
#pragma once
#include <winsock2.h>

#include "catalog/catalog.h"
#include "spi/handle_table.h"

namespace ws2::spi {

struct Provider;

struct SocketRecord {
    enum Flags : std::uint32_t {
        kOverlapped = 1u << 0,  // created with the overlapped attribute
        kNonIfs = 1u << 1,      // handle made by WPUCreateSocketHandle (has a context)
    };
    Provider *provider;
    const catalog::Entry *entry;
    DWORD_PTR context;
    std::uint32_t flags;
};

using SocketTable = HandleTable<SocketRecord>;
SocketTable &sockets();

// Looks a handle up; false for INVALID_SOCKET and anything ws2 did not register.
inline bool find_socket(SOCKET s, SocketRecord *out) { return sockets().load(s, out); }

}  // namespace ws2::spi
