// The pass-through layer's forwarding procedures: each looks the socket's hop up and calls the
// provider below with the same arguments. Sockets the provider below creates (accept, join)
// are taken over like the ones WSPSocket makes; protocol infos follow the propagation rule.
#include "providers/passthrough/passthrough_state.h"

namespace ws2::passthrough {
namespace {

const layer::NextHop *hop_of(SOCKET s, LPINT err) {
    const layer::NextHop *hop = socket_hops().find(s);
    if (hop == nullptr) *err = WSAENOTSOCK;
    return hop;
}

// The hop for a call that names a protocol info instead of a socket.
const layer::NextHop *hop_of_info(LPWSAPROTOCOL_INFOW info, LPINT err) {
    if (info == nullptr) {
        *err = WSAEINVAL;
        return nullptr;
    }
    return next_providers().hop_for(*info, err);
}

// select names no socket: the first socket of the first non-empty set picks the provider.
const layer::NextHop *hop_of_sets(fd_set *r, fd_set *w, fd_set *e, LPINT err) {
    for (fd_set *set : {r, w, e})
        if (set != nullptr && set->fd_count > 0) return hop_of(set->fd_array[0], err);
    *err = WSAEINVAL;
    return nullptr;
}

#define WS2_FORWARD(s, err, call)                        \
    const layer::NextHop *hop = hop_of((s), (err));      \
    if (hop == nullptr) return SOCKET_ERROR;             \
    return hop->table.call

SOCKET WSPAPI Accept(SOCKET s, sockaddr *addr, LPINT addrlen, LPCONDITIONPROC condition,
                     DWORD_PTR data, LPINT err) {
    const layer::NextHop *hop = hop_of(s, err);
    if (hop == nullptr) return INVALID_SOCKET;
    SOCKET accepted = hop->table.lpWSPAccept(s, addr, addrlen, condition, data, err);
    if (accepted == INVALID_SOCKET) return INVALID_SOCKET;
    if (!adopt(accepted, *hop, err)) {
        int ignored = 0;
        hop->table.lpWSPCloseSocket(accepted, &ignored);
        return INVALID_SOCKET;
    }
    if (tracing()) trace_created(accepted, hop->chain, hop->chain.iAddressFamily,
                                 hop->chain.iSocketType, hop->chain.iProtocol);
    return accepted;
}

INT WSPAPI AddressToString(LPSOCKADDR address, DWORD length, LPWSAPROTOCOL_INFOW info,
                           LPWSTR text, LPDWORD text_length, LPINT err) {
    const layer::NextHop *hop = hop_of_info(info, err);
    if (hop == nullptr) return SOCKET_ERROR;
    WSAPROTOCOL_INFOW next = hop->next_is_base ? hop->next_info : *info;
    return hop->table.lpWSPAddressToString(address, length, &next, text, text_length, err);
}

INT WSPAPI StringToAddress(LPWSTR text, INT af, LPWSAPROTOCOL_INFOW info, LPSOCKADDR address,
                           LPINT length, LPINT err) {
    const layer::NextHop *hop = hop_of_info(info, err);
    if (hop == nullptr) return SOCKET_ERROR;
    WSAPROTOCOL_INFOW next = hop->next_is_base ? hop->next_info : *info;
    return hop->table.lpWSPStringToAddress(text, af, &next, address, length, err);
}

int WSPAPI AsyncSelect(SOCKET s, HWND window, unsigned int message, LONG events, LPINT err) {
    WS2_FORWARD(s, err, lpWSPAsyncSelect(s, window, message, events, err));
}

int WSPAPI Bind(SOCKET s, const sockaddr *name, int namelen, LPINT err) {
    WS2_FORWARD(s, err, lpWSPBind(s, name, namelen, err));
}

int WSPAPI CancelBlockingCall(LPINT err) {
    const layer::NextHop *hop = next_providers().any_hop();
    if (hop == nullptr) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    return hop->table.lpWSPCancelBlockingCall(err);
}

int WSPAPI Connect(SOCKET s, const sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                   LPQOS sqos, LPQOS gqos, LPINT err) {
    WS2_FORWARD(s, err, lpWSPConnect(s, name, namelen, caller, callee, sqos, gqos, err));
}

// The duplicate names the chain, so the other process's WSASocket comes through this layer
// again; the provider below's payload travels inside it.
int WSPAPI DuplicateSocket(SOCKET s, DWORD process, LPWSAPROTOCOL_INFOW info, LPINT err) {
    const layer::NextHop *hop = hop_of(s, err);
    if (hop == nullptr) return SOCKET_ERROR;
    if (hop->table.lpWSPDuplicateSocket(s, process, info, err) == SOCKET_ERROR) return SOCKET_ERROR;
    WSAPROTOCOL_INFOW chain = hop->chain;
    layer::NextProviders::carry_payload(*info, &chain);
    *info = chain;
    return 0;
}

int WSPAPI EnumNetworkEvents(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS events, LPINT err) {
    WS2_FORWARD(s, err, lpWSPEnumNetworkEvents(s, event, events, err));
}

int WSPAPI EventSelect(SOCKET s, WSAEVENT event, LONG events, LPINT err) {
    WS2_FORWARD(s, err, lpWSPEventSelect(s, event, events, err));
}

BOOL WSPAPI GetOverlappedResult(SOCKET s, LPWSAOVERLAPPED overlapped, LPDWORD transferred,
                                BOOL wait, LPDWORD flags, LPINT err) {
    const layer::NextHop *hop = hop_of(s, err);
    if (hop == nullptr) return FALSE;
    return hop->table.lpWSPGetOverlappedResult(s, overlapped, transferred, wait, flags, err);
}

int WSPAPI GetPeerName(SOCKET s, sockaddr *name, LPINT namelen, LPINT err) {
    WS2_FORWARD(s, err, lpWSPGetPeerName(s, name, namelen, err));
}

int WSPAPI GetSockName(SOCKET s, sockaddr *name, LPINT namelen, LPINT err) {
    WS2_FORWARD(s, err, lpWSPGetSockName(s, name, namelen, err));
}

int WSPAPI GetSockOpt(SOCKET s, int level, int name, char *value, LPINT length, LPINT err) {
    const layer::NextHop *hop = hop_of(s, err);
    if (hop == nullptr) return SOCKET_ERROR;
    if (hop->table.lpWSPGetSockOpt(s, level, name, value, length, err) == SOCKET_ERROR)
        return SOCKET_ERROR;
    // The application's socket is the chain's: SO_PROTOCOL_INFO describes the chain entry.
    if (level == SOL_SOCKET && name == SO_PROTOCOL_INFOW && value != nullptr)
        *reinterpret_cast<WSAPROTOCOL_INFOW *>(value) = hop->chain;
    return 0;
}

BOOL WSPAPI GetQOSByName(SOCKET s, LPWSABUF name, LPQOS qos, LPINT err) {
    const layer::NextHop *hop = hop_of(s, err);
    if (hop == nullptr) return FALSE;
    return hop->table.lpWSPGetQOSByName(s, name, qos, err);
}

int WSPAPI Ioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
                 LPDWORD returned, LPWSAOVERLAPPED overlapped,
                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err) {
    WS2_FORWARD(s, err, lpWSPIoctl(s, code, in, in_size, out, out_size, returned, overlapped,
                                   routine, thread, err));
}

SOCKET WSPAPI JoinLeaf(SOCKET s, const sockaddr *name, int namelen, LPWSABUF caller,
                       LPWSABUF callee, LPQOS sqos, LPQOS gqos, DWORD flags, LPINT err) {
    const layer::NextHop *hop = hop_of(s, err);
    if (hop == nullptr) return INVALID_SOCKET;
    SOCKET leaf = hop->table.lpWSPJoinLeaf(s, name, namelen, caller, callee, sqos, gqos, flags, err);
    if (leaf == INVALID_SOCKET || leaf == s) return leaf;
    if (!adopt(leaf, *hop, err)) {
        int ignored = 0;
        hop->table.lpWSPCloseSocket(leaf, &ignored);
        return INVALID_SOCKET;
    }
    return leaf;
}

int WSPAPI Listen(SOCKET s, int backlog, LPINT err) {
    WS2_FORWARD(s, err, lpWSPListen(s, backlog, err));
}

int WSPAPI Recv(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD received, LPDWORD flags,
                LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                LPWSATHREADID thread, LPINT err) {
    WS2_FORWARD(s, err, lpWSPRecv(s, buffers, count, received, flags, overlapped, routine, thread, err));
}

int WSPAPI RecvDisconnect(SOCKET s, LPWSABUF data, LPINT err) {
    WS2_FORWARD(s, err, lpWSPRecvDisconnect(s, data, err));
}

int WSPAPI RecvFrom(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD received, LPDWORD flags,
                    sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED overlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err) {
    WS2_FORWARD(s, err, lpWSPRecvFrom(s, buffers, count, received, flags, from, fromlen,
                                      overlapped, routine, thread, err));
}

int WSPAPI Select(int nfds, fd_set *r, fd_set *w, fd_set *e, const timeval *timeout, LPINT err) {
    const layer::NextHop *hop = hop_of_sets(r, w, e, err);
    if (hop == nullptr) return SOCKET_ERROR;
    return hop->table.lpWSPSelect(nfds, r, w, e, timeout, err);
}

int WSPAPI Send(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD sent, DWORD flags,
                LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                LPWSATHREADID thread, LPINT err) {
    WS2_FORWARD(s, err, lpWSPSend(s, buffers, count, sent, flags, overlapped, routine, thread, err));
}

int WSPAPI SendDisconnect(SOCKET s, LPWSABUF data, LPINT err) {
    WS2_FORWARD(s, err, lpWSPSendDisconnect(s, data, err));
}

int WSPAPI SendTo(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD sent, DWORD flags,
                  const sockaddr *to, int tolen, LPWSAOVERLAPPED overlapped,
                  LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err) {
    WS2_FORWARD(s, err, lpWSPSendTo(s, buffers, count, sent, flags, to, tolen, overlapped, routine,
                                    thread, err));
}

int WSPAPI SetSockOpt(SOCKET s, int level, int name, const char *value, int length, LPINT err) {
    WS2_FORWARD(s, err, lpWSPSetSockOpt(s, level, name, value, length, err));
}

int WSPAPI Shutdown(SOCKET s, int how, LPINT err) {
    WS2_FORWARD(s, err, lpWSPShutdown(s, how, err));
}

#undef WS2_FORWARD

}  // namespace

void fill_forwarding_entries(WSPPROC_TABLE *t) {
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
    t->lpWSPGetSockOpt = GetSockOpt;
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
    t->lpWSPSetSockOpt = SetSockOpt;
    t->lpWSPShutdown = Shutdown;
    t->lpWSPStringToAddress = StringToAddress;
}

}  // namespace ws2::passthrough
