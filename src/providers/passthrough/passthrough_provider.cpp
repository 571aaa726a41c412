// WSPStartup / WSPCleanup / WSPSocket / WSPCloseSocket of the pass-through layer: version
// negotiation, a per-process reference count, and the socket life cycle over the next hop.
#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <mutex>

#include "providers/passthrough/passthrough_state.h"

#ifndef WS2_LAYER_PROVIDER_ID
// The shipped layer's ProviderId, {5F2A9C1E-3B7D-4E8A-9C61-7D2E4B0A1F93}.
#define WS2_LAYER_PROVIDER_ID {0x5F2A9C1E, 0x3B7D, 0x4E8A, {0x9C, 0x61, 0x7D, 0x2E, 0x4B, 0x0A, 0x1F, 0x93}}
#endif

extern "C" __attribute__((weak)) void ws2_layer_observe(const char *event, const WSAPROTOCOL_INFOW *info);

namespace ws2::passthrough {
namespace {

std::mutex g_mutex;
int g_refcount = 0;  // guarded by g_mutex
WSPUPCALLTABLE g_upcalls{};
const bool g_tracing = [] {
    const char *value = std::getenv("WS2_PASSTHROUGH_TRACE");
    return value != nullptr && *value != '\0' && *value != '0';
}();

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

int WSPAPI WSPCleanup(LPINT lpErrno) {
    std::lock_guard lock(g_mutex);
    if (g_refcount == 0) return fail(lpErrno, WSANOTINITIALISED);
    observe("cleanup", nullptr);
    if (--g_refcount == 0) {
        // The providers below close what is still open when they are cleaned up.
        socket_hops().clear_all();
        next_providers().cleanup();
    }
    return 0;
}

SOCKET WSPAPI WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                        DWORD dwFlags, LPINT lpErrno) {
    if (lpProtocolInfo == nullptr) return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;
    observe("socket", lpProtocolInfo);
    const layer::NextHop *hop = next_providers().hop_for(*lpProtocolInfo, lpErrno);
    if (hop == nullptr) return INVALID_SOCKET;
    WSAPROTOCOL_INFOW next = hop->next_info;
    if (hop->next_is_base) layer::NextProviders::carry_payload(*lpProtocolInfo, &next);
    else next = *lpProtocolInfo;  // a layer below gets exactly what this one was given
    observe("next-socket", &next);
    SOCKET s = hop->table.lpWSPSocket(af, type, protocol, &next, g, dwFlags, lpErrno);
    if (s == INVALID_SOCKET) return INVALID_SOCKET;
    if (!adopt(s, *hop, lpErrno)) {
        int ignored = 0;
        hop->table.lpWSPCloseSocket(s, &ignored);
        return INVALID_SOCKET;
    }
    if (tracing()) trace_created(s, hop->chain, af, type, protocol);
    return s;
}

int WSPAPI WSPCloseSocket(SOCKET s, LPINT lpErrno) {
    const layer::NextHop *hop = socket_hops().find(s);
    if (hop == nullptr) return fail(lpErrno, WSAENOTSOCK);
    if (hop->table.lpWSPCloseSocket(s, lpErrno) == SOCKET_ERROR) return SOCKET_ERROR;
    socket_hops().clear(s);
    if (tracing()) trace_closed(s);
    return 0;
}

}  // namespace

// Plain statics, not heap objects: ws2 unloads the library at the last WSACleanup, and their
// destructors then free what they hold (a leaked pointer would leak at every unload).
layer::NextProviders &next_providers() {
    static layer::NextProviders providers(GUID WS2_LAYER_PROVIDER_ID);
    return providers;
}

layer::SocketHops &socket_hops() {
    static layer::SocketHops hops;
    return hops;
}

WSPUPCALLTABLE upcalls() {
    std::lock_guard lock(g_mutex);
    return g_upcalls;
}

bool tracing() { return g_tracing; }

void trace_created(SOCKET s, const WSAPROTOCOL_INFOW &chain, int af, int type, int protocol) {
    std::fprintf(stderr, "ws2-passthrough: socket %llu (af %d, type %d, protocol %d) through \"%ls\"\n",
                 static_cast<unsigned long long>(s), af, type, protocol, chain.szProtocol);
}

void trace_closed(SOCKET s) {
    std::fprintf(stderr, "ws2-passthrough: socket %llu closed\n", static_cast<unsigned long long>(s));
}

void observe(const char *event, const WSAPROTOCOL_INFOW *info) {
    if (ws2_layer_observe != nullptr) ws2_layer_observe(event, info);
}

bool adopt(SOCKET s, const layer::NextHop &hop, int *err) {
    WSPUPCALLTABLE up = upcalls();
    if (up.lpWPUModifyIFSHandle(hop.chain_id, s, err) == INVALID_SOCKET) return false;
    if (!socket_hops().set(s, &hop)) {
        *err = WSAENOBUFS;
        return false;
    }
    return true;
}

}  // namespace ws2::passthrough

using namespace ws2::passthrough;

extern "C" __attribute__((visibility("default"))) int WSPAPI WSPStartup(
    WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
    WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable) {
    if (LOBYTE(wVersionRequested) < 2 ||
        (LOBYTE(wVersionRequested) == 2 && HIBYTE(wVersionRequested) < 2))
        return WSAVERNOTSUPPORTED;
    if (lpWSPData == nullptr || lpProcTable == nullptr) return WSAEFAULT;
    observe("startup", lpProtocolInfo);
    {
        std::lock_guard lock(g_mutex);
        ++g_refcount;
        g_upcalls = UpcallTable;  // the most recent table is the one to use
    }
    next_providers().set_upcalls(UpcallTable);

    lpWSPData->wVersion = MAKEWORD(2, 2);
    lpWSPData->wHighVersion = MAKEWORD(2, 2);
    std::wcsncpy(lpWSPData->szDescription, L"ws2 pass-through layered provider", WSPDESCRIPTION_LEN);
    WSPPROC_TABLE table{};
    fill_forwarding_entries(&table);
    table.lpWSPCleanup = WSPCleanup;
    table.lpWSPSocket = WSPSocket;
    table.lpWSPCloseSocket = WSPCloseSocket;
    *lpProcTable = table;
    return 0;
}
