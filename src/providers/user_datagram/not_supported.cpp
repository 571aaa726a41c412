// What a connectionless transport inside one process cannot do, answered with the codes the
// Windows documentation gives, never a crash.
#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {

// listen and accept belong to connection-oriented sockets: WSAEOPNOTSUPP ("the referenced
// socket is not of a type that supports" the operation).
int WSPAPI WSPListen(SOCKET s, int, LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err);
    return fail(lpErrno, WSAEOPNOTSUPP);
}

SOCKET WSPAPI WSPAccept(SOCKET s, sockaddr *, LPINT, LPCONDITIONPROC, DWORD_PTR, LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err), INVALID_SOCKET;
    return fail(lpErrno, WSAEOPNOTSUPP), INVALID_SOCKET;
}

// The entry claims no multipoint support (no XP1_SUPPORT_MULTIPOINT).
SOCKET WSPAPI WSPJoinLeaf(SOCKET s, const sockaddr *, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS, DWORD,
                          LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err), INVALID_SOCKET;
    return fail(lpErrno, WSAEOPNOTSUPP), INVALID_SOCKET;
}

// A socket of this provider is memory of one process and cannot be given to another; the
// documented answer for a process the socket cannot be shared with is WSAEINVAL.
int WSPAPI WSPDuplicateSocket(SOCKET s, DWORD, LPWSAPROTOCOL_INFOW lpProtocolInfo, LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err);
    if (lpProtocolInfo == nullptr) return fail(lpErrno, WSAEFAULT);
    return fail(lpErrno, WSAEINVAL);
}

// Winsock 2 has no blocking hooks, so there is never a blocking call to cancel.
int WSPAPI WSPCancelBlockingCall(LPINT lpErrno) { return fail(lpErrno, WSAEOPNOTSUPP); }

// No overlapped operation is ever started (they are refused), so none can be asked about.
BOOL WSPAPI WSPGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL,
                                   LPDWORD lpdwFlags, LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err), FALSE;
    if (lpOverlapped == nullptr || lpcbTransfer == nullptr || lpdwFlags == nullptr)
        return fail(lpErrno, WSAEFAULT), FALSE;
    return fail(lpErrno, WSA_INVALID_PARAMETER), FALSE;
}

// No QoS templates exist for this transport.
BOOL WSPAPI WSPGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS, LPINT lpErrno) {
    int err = 0;
    if (!find_socket(s, &err)) return fail(lpErrno, err), FALSE;
    if (lpQOSName == nullptr) return fail(lpErrno, WSAEFAULT), FALSE;
    return fail(lpErrno, WSAEINVAL), FALSE;
}

}  // namespace udgram
