// Procedure-table entries not implemented yet: events and asynchronous selection, duplication,
// multipoint joins, QOS, overlapped results, connect/disconnect data. A procedure table must be
// complete, so each exists and reports WSAEOPNOTSUPP until its work arrives.
#include "providers/base/base_state.h"

namespace ws2::base {
namespace {

int unsupported(LPINT err) {
    *err = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

int WSPAPI AsyncSelect(SOCKET, HWND, unsigned int, LONG, LPINT e) { return unsupported(e); }
int WSPAPI CancelBlockingCall(LPINT e) { return unsupported(e); }
int WSPAPI DuplicateSocket(SOCKET, DWORD, LPWSAPROTOCOL_INFOW, LPINT e) { return unsupported(e); }
BOOL WSPAPI GetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD, LPINT e) { return unsupported(e), FALSE; }
BOOL WSPAPI GetQOSByName(SOCKET, LPWSABUF, LPQOS, LPINT e) { return unsupported(e), FALSE; }
SOCKET WSPAPI JoinLeaf(SOCKET, const sockaddr *, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS, DWORD, LPINT e) { return unsupported(e), INVALID_SOCKET; }

}  // namespace

void fill_data_path_entries(WSPPROC_TABLE *t) {
    t->lpWSPAsyncSelect = AsyncSelect;
    t->lpWSPCancelBlockingCall = CancelBlockingCall;
    t->lpWSPDuplicateSocket = DuplicateSocket;
    t->lpWSPGetOverlappedResult = GetOverlappedResult;
    t->lpWSPGetQOSByName = GetQOSByName;
    t->lpWSPJoinLeaf = JoinLeaf;
}

}  // namespace ws2::base
