// A layered provider of the other kind: it gives the application handles of its own, made with
// WPUCreateSocketHandle, each carrying a context that names the provider-below's socket. Every
// call translates the handle (WPUQuerySocketHandleContext) and forwards; select translates whole
// sets. Reports its protocol infos like the test builds of the pass-through layer.
#include <cstdlib>
#include <cwchar>
#include <mutex>
#include <new>
#include <vector>

#include "providers/layer_kit/next_provider.h"
#include "providers/test_log.h"

namespace {

// {7C1B2E44-90A1-4F3C-8D2E-5A6B7C8D9E01}
const GUID kLayerId = {0x7C1B2E44, 0x90A1, 0x4F3C, {0x8D, 0x2E, 0x5A, 0x6B, 0x7C, 0x8D, 0x9E, 0x01}};

struct LayerSocket {
    SOCKET lower;
    const ws2::layer::NextHop *hop;
};

std::mutex g_mutex;
int g_refcount = 0;
WSPUPCALLTABLE g_up{};

ws2::layer::NextProviders &next() {
    static ws2::layer::NextProviders providers(kLayerId);  // freed when the library is unloaded
    return providers;
}

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

LayerSocket *lookup(SOCKET s, LPINT err) {
    DWORD_PTR context = 0;
    if (g_up.lpWPUQuerySocketHandleContext(s, &context, err) == SOCKET_ERROR) return nullptr;
    return reinterpret_cast<LayerSocket *>(context);
}

// Wraps a socket of the provider below in a handle of this layer.
SOCKET wrap(SOCKET lower, const ws2::layer::NextHop *hop, LPINT err) {
    auto *ls = new (std::nothrow) LayerSocket{lower, hop};
    SOCKET h = ls == nullptr ? INVALID_SOCKET
                             : g_up.lpWPUCreateSocketHandle(hop->chain_id, reinterpret_cast<DWORD_PTR>(ls), err);
    if (h == INVALID_SOCKET) {
        delete ls;
        int ignored = 0;
        hop->table.lpWSPCloseSocket(lower, &ignored);
    }
    return h;
}

#define WS2_TRANSLATE(s, err, fail_value)        \
    LayerSocket *ls = lookup((s), (err));        \
    if (ls == nullptr) return (fail_value);      \
    const WSPPROC_TABLE &below = ls->hop->table

SOCKET WSPAPI Socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                     LPINT err) {
    if (info == nullptr) return fail(err, WSAEINVAL), INVALID_SOCKET;
    test_log(WS2_TEST_PROVIDER_NAME, "socket", info);
    const ws2::layer::NextHop *hop = next().hop_for(*info, err);
    if (hop == nullptr) return INVALID_SOCKET;
    WSAPROTOCOL_INFOW down = hop->next_is_base ? hop->next_info : *info;
    test_log(WS2_TEST_PROVIDER_NAME, "next-socket", &down);
    SOCKET lower = hop->table.lpWSPSocket(af, type, protocol, &down, g, flags, err);
    if (lower == INVALID_SOCKET) return INVALID_SOCKET;
    return wrap(lower, hop, err);
}

int WSPAPI CloseSocket(SOCKET s, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    if (below.lpWSPCloseSocket(ls->lower, err) == SOCKET_ERROR) return SOCKET_ERROR;
    g_up.lpWPUCloseSocketHandle(s, err);
    delete ls;
    return 0;
}

SOCKET WSPAPI Accept(SOCKET s, sockaddr *addr, LPINT addrlen, LPCONDITIONPROC cond, DWORD_PTR data,
                     LPINT err) {
    WS2_TRANSLATE(s, err, INVALID_SOCKET);
    SOCKET lower = below.lpWSPAccept(ls->lower, addr, addrlen, cond, data, err);
    return lower == INVALID_SOCKET ? INVALID_SOCKET : wrap(lower, ls->hop, err);
}

int WSPAPI Bind(SOCKET s, const sockaddr *name, int len, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPBind(ls->lower, name, len, err);
}
int WSPAPI Listen(SOCKET s, int backlog, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPListen(ls->lower, backlog, err);
}
int WSPAPI Connect(SOCKET s, const sockaddr *name, int len, LPWSABUF a, LPWSABUF b, LPQOS c, LPQOS d,
                   LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPConnect(ls->lower, name, len, a, b, c, d, err);
}
int WSPAPI Send(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID th, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPSend(ls->lower, bufs, n, sent, flags, ov, cr, th, err);
}
int WSPAPI SendTo(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, const sockaddr *to,
                  int tolen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID th,
                  LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPSendTo(ls->lower, bufs, n, sent, flags, to, tolen, ov, cr, th, err);
}
int WSPAPI Recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, LPWSAOVERLAPPED ov,
                LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID th, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPRecv(ls->lower, bufs, n, got, flags, ov, cr, th, err);
}
int WSPAPI RecvFrom(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, sockaddr *from,
                    LPINT fromlen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr,
                    LPWSATHREADID th, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPRecvFrom(ls->lower, bufs, n, got, flags, from, fromlen, ov, cr, th, err);
}
int WSPAPI GetSockName(SOCKET s, sockaddr *name, LPINT len, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPGetSockName(ls->lower, name, len, err);
}
int WSPAPI GetPeerName(SOCKET s, sockaddr *name, LPINT len, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPGetPeerName(ls->lower, name, len, err);
}
int WSPAPI GetSockOpt(SOCKET s, int level, int name, char *value, LPINT len, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    if (below.lpWSPGetSockOpt(ls->lower, level, name, value, len, err) == SOCKET_ERROR) return SOCKET_ERROR;
    if (level == SOL_SOCKET && name == SO_PROTOCOL_INFOW && value != nullptr)
        *reinterpret_cast<WSAPROTOCOL_INFOW *>(value) = ls->hop->chain;
    return 0;
}
int WSPAPI SetSockOpt(SOCKET s, int level, int name, const char *value, int len, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPSetSockOpt(ls->lower, level, name, value, len, err);
}
int WSPAPI Ioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
                 LPDWORD returned, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr,
                 LPWSATHREADID th, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPIoctl(ls->lower, code, in, in_size, out, out_size, returned, ov, cr, th, err);
}
int WSPAPI Shutdown(SOCKET s, int how, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPShutdown(ls->lower, how, err);
}
int WSPAPI EventSelect(SOCKET s, WSAEVENT e, LONG events, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPEventSelect(ls->lower, e, events, err);
}
int WSPAPI EnumNetworkEvents(SOCKET s, WSAEVENT e, LPWSANETWORKEVENTS events, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPEnumNetworkEvents(ls->lower, e, events, err);
}
int WSPAPI SendDisconnect(SOCKET s, LPWSABUF data, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPSendDisconnect(ls->lower, data, err);
}
int WSPAPI RecvDisconnect(SOCKET s, LPWSABUF data, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPRecvDisconnect(ls->lower, data, err);
}
BOOL WSPAPI GetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD n, BOOL wait, LPDWORD flags,
                                LPINT err) {
    WS2_TRANSLATE(s, err, FALSE);
    return below.lpWSPGetOverlappedResult(ls->lower, ov, n, wait, flags, err);
}
BOOL WSPAPI GetQOSByName(SOCKET s, LPWSABUF name, LPQOS qos, LPINT err) {
    WS2_TRANSLATE(s, err, FALSE);
    return below.lpWSPGetQOSByName(ls->lower, name, qos, err);
}
int WSPAPI AsyncSelect(SOCKET s, HWND w, unsigned int m, LONG events, LPINT err) {
    WS2_TRANSLATE(s, err, SOCKET_ERROR);
    return below.lpWSPAsyncSelect(ls->lower, w, m, events, err);
}
// Duplicating or joining would need this layer's own payload; this test layer does not offer it.
int WSPAPI DuplicateSocket(SOCKET, DWORD, LPWSAPROTOCOL_INFOW, LPINT err) { return fail(err, WSAEOPNOTSUPP); }
SOCKET WSPAPI JoinLeaf(SOCKET, const sockaddr *, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS, DWORD, LPINT err) {
    return fail(err, WSAEOPNOTSUPP), INVALID_SOCKET;
}
int WSPAPI CancelBlockingCall(LPINT err) { return fail(err, WSAEOPNOTSUPP); }

INT WSPAPI AddressToString(LPSOCKADDR a, DWORD len, LPWSAPROTOCOL_INFOW info, LPWSTR text,
                           LPDWORD text_len, LPINT err) {
    const ws2::layer::NextHop *hop = info == nullptr ? nullptr : next().hop_for(*info, err);
    if (hop == nullptr) return fail(err, WSAEINVAL);
    WSAPROTOCOL_INFOW down = hop->next_is_base ? hop->next_info : *info;
    return hop->table.lpWSPAddressToString(a, len, &down, text, text_len, err);
}
INT WSPAPI StringToAddress(LPWSTR text, INT af, LPWSAPROTOCOL_INFOW info, LPSOCKADDR a, LPINT len,
                           LPINT err) {
    const ws2::layer::NextHop *hop = info == nullptr ? nullptr : next().hop_for(*info, err);
    if (hop == nullptr) return fail(err, WSAEINVAL);
    WSAPROTOCOL_INFOW down = hop->next_is_base ? hop->next_info : *info;
    return hop->table.lpWSPStringToAddress(text, af, &down, a, len, err);
}

// Translates every handle of the three sets to the provider below's, selects there, and maps
// the sockets that are ready back to this layer's handles.
int WSPAPI Select(int nfds, fd_set *r, fd_set *w, fd_set *e, const timeval *timeout, LPINT err) {
    const ws2::layer::NextHop *hop = nullptr;
    std::vector<std::pair<SOCKET, SOCKET>> map;  // (lower, ours)
    fd_set *sets[3] = {r, w, e};
    fd_set lower[3];
    for (int k = 0; k < 3; ++k) {
        FD_ZERO(&lower[k]);
        if (sets[k] == nullptr) continue;
        for (u_int i = 0; i < sets[k]->fd_count; ++i) {
            LayerSocket *ls = lookup(sets[k]->fd_array[i], err);
            if (ls == nullptr) return SOCKET_ERROR;
            if (hop == nullptr) hop = ls->hop;
            lower[k].fd_array[lower[k].fd_count++] = ls->lower;
            map.emplace_back(ls->lower, sets[k]->fd_array[i]);
        }
    }
    if (hop == nullptr) return fail(err, WSAEINVAL);
    int n = hop->table.lpWSPSelect(nfds, r ? &lower[0] : nullptr, w ? &lower[1] : nullptr,
                                   e ? &lower[2] : nullptr, timeout, err);
    if (n == SOCKET_ERROR) return SOCKET_ERROR;
    for (int k = 0; k < 3; ++k) {
        if (sets[k] == nullptr) continue;
        sets[k]->fd_count = 0;
        for (u_int i = 0; i < lower[k].fd_count; ++i)
            for (auto &[low, ours] : map)
                if (low == lower[k].fd_array[i]) {
                    sets[k]->fd_array[sets[k]->fd_count++] = ours;
                    break;
                }
    }
    return n;
}

int WSPAPI Cleanup(LPINT err) {
    std::lock_guard lock(g_mutex);
    if (g_refcount == 0) return fail(err, WSANOTINITIALISED);
    test_log(WS2_TEST_PROVIDER_NAME, "cleanup", nullptr);
    if (--g_refcount == 0) next().cleanup();
    return 0;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int WSPAPI WSPStartup(
    WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE up, LPWSPPROC_TABLE table) {
    if (LOBYTE(version) < 2 || (LOBYTE(version) == 2 && HIBYTE(version) < 2)) return WSAVERNOTSUPPORTED;
    test_log(WS2_TEST_PROVIDER_NAME, "startup", info);
    {
        std::lock_guard lock(g_mutex);
        ++g_refcount;
        g_up = up;
    }
    next().set_upcalls(up);
    data->wVersion = data->wHighVersion = MAKEWORD(2, 2);
    std::wcsncpy(data->szDescription, L"ws2 test layer with its own handles", WSPDESCRIPTION_LEN);
    *table = WSPPROC_TABLE{Accept, AddressToString, AsyncSelect, Bind, CancelBlockingCall, Cleanup,
                           CloseSocket, Connect, DuplicateSocket, EnumNetworkEvents, EventSelect,
                           GetOverlappedResult, GetPeerName, GetSockName, GetSockOpt, GetQOSByName,
                           Ioctl, JoinLeaf, Listen, Recv, RecvDisconnect, RecvFrom, Select, Send,
                           SendDisconnect, SendTo, SetSockOpt, Shutdown, Socket, StringToAddress};
    return 0;
}
