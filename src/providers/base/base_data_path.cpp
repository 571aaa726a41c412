// Procedure-table entries of the data path outside the transfer files: WSPGetOverlappedResult
// (base_overlapped.cpp), and those Windows no longer gives meaning to or ws2 cannot offer:
// window-message selection (no window system), blocking-hook cancellation (Winsock 1) and QOS
// templates report WSAEOPNOTSUPP. A procedure table must be complete, so each exists.
#include "providers/base/base_overlapped.h"
#include "providers/base/base_state.h"

namespace ws2::base {
namespace {

int unsupported(LPINT err) {
    *err = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

int WSPAPI AsyncSelect(SOCKET, HWND, unsigned int, LONG, LPINT e) { return unsupported(e); }
int WSPAPI CancelBlockingCall(LPINT e) { return unsupported(e); }
BOOL WSPAPI GetQOSByName(SOCKET, LPWSABUF, LPQOS, LPINT e) { return unsupported(e), FALSE; }

}  // namespace

void fill_data_path_entries(WSPPROC_TABLE *t) {
    t->lpWSPAsyncSelect = AsyncSelect;
    t->lpWSPCancelBlockingCall = CancelBlockingCall;
    t->lpWSPGetOverlappedResult = WSPGetOverlappedResult;
    t->lpWSPGetQOSByName = GetQOSByName;
}

}  // namespace ws2::base
