// WSAJoinLeaf: joins a multipoint session through the socket's provider. A c_root socket gets a
// new c_leaf socket back, a c_leaf socket itself (Windows documents both).
#include <mswsock.h>
#include <winsock2.h>

#include "api/dispatch.h"
#include "win32/export.h"

using namespace ws2;

extern "C" {

// A new socket inherits the parent's overlapped attribute: the thread's open type carries it to
// WPUModifyIFSHandle, as for WSAAccept.
WS2_EXPORT SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen,
                                     LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                                     LPQOS lpGQOS, DWORD dwFlags) {
    spi::SocketRecord r;
    if (!api::lookup(s, &r)) return INVALID_SOCKET;
    int err = 0;
    SOCKET leaf;
    {
        api::ParentOpenType inherit(r);
        leaf = r.provider->table.lpWSPJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS,
                                               lpGQOS, dwFlags, &err);
    }
    return api::finish_socket(leaf, err);
}

}  // extern "C"
