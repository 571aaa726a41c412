// What the base provider knows about itself and its sockets.
#pragma once
#include <ws2spi.h>

#include <atomic>
#include <vector>

#include "catalog/catalog.h"
#include "spi/handle_table.h"

namespace ws2::base {

// Per-socket state, keyed by descriptor (IFS providers keep their own map, as msafd does).
struct BaseSocket {
    const WSAPROTOCOL_INFOW *entry;  // the catalog entry describing the socket
    int af, type, protocol;          // Windows values, resolved at creation
    DWORD flags;                     // WSASocket dwFlags
};

spi::HandleTable<BaseSocket> &base_sockets();

// The catalog entries this provider serves (copied at the first WSPStartup) and the upcall
// it registers sockets with.
const std::vector<catalog::Entry> &own_entries();
LPWPUMODIFYIFSHANDLE modify_ifs_handle_upcall();

// The procedure-table entries, one file per concern.
SOCKET WSPAPI WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                        GROUP g, DWORD dwFlags, LPINT lpErrno);
int WSPAPI WSPCloseSocket(SOCKET s, LPINT lpErrno);
int WSPAPI WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen,
                         LPINT lpErrno);
int WSPAPI WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen,
                         LPINT lpErrno);
void fill_data_path_entries(WSPPROC_TABLE *table);

}  // namespace ws2::base
