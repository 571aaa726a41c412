// The procedure-table entries of the synchronous data path (bind, connect, send, ...), which
// the data-path work implements. A procedure table must be complete, so until then each entry
// exists and reports WSAEOPNOTSUPP; ws2_32 does not export the API functions that reach them.
#include "providers/base/base_state.h"

namespace ws2::base {
namespace {

int unsupported(LPINT err) {
    *err = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

SOCKET WSPAPI Accept(SOCKET, sockaddr *, LPINT, LPCONDITIONPROC, DWORD_PTR, LPINT e) { return unsupported(e), INVALID_SOCKET; }
INT WSPAPI AddressToString(LPSOCKADDR, DWORD, LPWSAPROTOCOL_INFOW, LPWSTR, LPDWORD, LPINT e) { return unsupported(e); }
int WSPAPI AsyncSelect(SOCKET, HWND, unsigned int, LONG, LPINT e) { return unsupported(e); }
int WSPAPI Bind(SOCKET, const sockaddr *, int, LPINT e) { return unsupported(e); }
int WSPAPI CancelBlockingCall(LPINT e) { return unsupported(e); }
int WSPAPI Connect(SOCKET, const sockaddr *, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS, LPINT e) { return unsupported(e); }
int WSPAPI DuplicateSocket(SOCKET, DWORD, LPWSAPROTOCOL_INFOW, LPINT e) { return unsupported(e); }
int WSPAPI EnumNetworkEvents(SOCKET, WSAEVENT, LPWSANETWORKEVENTS, LPINT e) { return unsupported(e); }
int WSPAPI EventSelect(SOCKET, WSAEVENT, LONG, LPINT e) { return unsupported(e); }
BOOL WSPAPI GetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD, LPINT e) { return unsupported(e), FALSE; }
int WSPAPI GetPeerName(SOCKET, sockaddr *, LPINT, LPINT e) { return unsupported(e); }
int WSPAPI GetSockName(SOCKET, sockaddr *, LPINT, LPINT e) { return unsupported(e); }
BOOL WSPAPI GetQOSByName(SOCKET, LPWSABUF, LPQOS, LPINT e) { return unsupported(e), FALSE; }
int WSPAPI Ioctl(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) { return unsupported(e); }
SOCKET WSPAPI JoinLeaf(SOCKET, const sockaddr *, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS, DWORD, LPINT e) { return unsupported(e), INVALID_SOCKET; }
int WSPAPI Listen(SOCKET, int, LPINT e) { return unsupported(e); }
int WSPAPI Recv(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) { return unsupported(e); }
int WSPAPI RecvDisconnect(SOCKET, LPWSABUF, LPINT e) { return unsupported(e); }
int WSPAPI RecvFrom(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, sockaddr *, LPINT, LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) { return unsupported(e); }
int WSPAPI Select(int, fd_set *, fd_set *, fd_set *, const timeval *, LPINT e) { return unsupported(e); }
int WSPAPI Send(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) { return unsupported(e); }
int WSPAPI SendDisconnect(SOCKET, LPWSABUF, LPINT e) { return unsupported(e); }
int WSPAPI SendTo(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, const sockaddr *, int, LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT e) { return unsupported(e); }
int WSPAPI Shutdown(SOCKET, int, LPINT e) { return unsupported(e); }
INT WSPAPI StringToAddress(LPWSTR, INT, LPWSAPROTOCOL_INFOW, LPSOCKADDR, LPINT, LPINT e) { return unsupported(e); }

}  // namespace

void fill_data_path_entries(WSPPROC_TABLE *t) {
    t->lpWSPAccept = Accept;
    t->lpWSPAddressToString = AddressToString;
    t->lpWSPAsyncSelect = AsyncSelect;
    t->lpWSPBind = Bind;
    t->lpWSPCancelBlockingCall = CancelBlockingCall;
    t->lpWSPConnect = Connect;
    t->lpWSPDuplicateSocket = DuplicateSocket;
    t->lpWSPEnumNetworkEvents = EnumNetworkEvents;
    t->lpWSPEventSelect = EventSelect;
    t->lpWSPGetOverlappedResult = GetOverlappedResult;
    t->lpWSPGetPeerName = GetPeerName;
    t->lpWSPGetSockName = GetSockName;
    t->lpWSPGetQOSByName = GetQOSByName;
    t->lpWSPIoctl = Ioctl;
    t->lpWSPJoinLeaf = JoinLeaf;
    t->lpWSPListen = Listen;
    t->lpWSPRecv = Recv;
    t->lpWSPRecvDisconnect = RecvDisconnect;
    t->lpWSPRecvFrom = RecvFrom;
    t->lpWSPSelect = Select;
    t->lpWSPSend = Send;
    t->lpWSPSendDisconnect = SendDisconnect;
    t->lpWSPSendTo = SendTo;
    t->lpWSPShutdown = Shutdown;
    t->lpWSPStringToAddress = StringToAddress;
}

}  // namespace ws2::base
