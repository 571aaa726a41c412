// Procedure-table entries not implemented yet: events and asynchronous selection,
// QOS, overlapped results, connect/disconnect data. A procedure table must be complete, so each
// exists and reports WSAEOPNOTSUPP until its work arrives.
#include "providers/base/base_state.h"

namespace ws2::base {
namespace {

int unsupported(LPINT err) {
    *err = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

int WSPAPI AsyncSelect(SOCKET, HWND, unsigned int, LONG, LPINT e) { return unsupported(e); }
int WSPAPI CancelBlockingCall(LPINT e) { return unsupported(e); }
BOOL WSPAPI GetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD, LPINT e) { return unsupported(e), FALSE; }
BOOL WSPAPI GetQOSByName(SOCKET, LPWSABUF, LPQOS, LPINT e) { return unsupported(e), FALSE; }

}  // namespace

void fill_data_path_entries(WSPPROC_TABLE *t) {
    t->lpWSPAsyncSelect = AsyncSelect;
    t->lpWSPCancelBlockingCall = CancelBlockingCall;
    t->lpWSPGetOverlappedResult = GetOverlappedResult;
    t->lpWSPGetQOSByName = GetQOSByName;
}

}  // namespace ws2::base
