// WSPStartup and WSPCleanup: a per-process reference count. Every successful WSPStartup is
// matched by one WSPCleanup; the last one closes every socket that is still open (releasing
// its handle with WPUCloseSocketHandle), wakes blocked callers and forgets every port, so an
// immediate WSPStartup starts afresh. The most recent upcall table is the one used.
#include <vector>

#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {

int WSPAPI WSPCleanup(LPINT lpErrno) {
    State &st = state();
    std::vector<SocketPtr> closing;
    LPWPUCLOSESOCKETHANDLE close_handle;
    {
        std::lock_guard lock(st.mutex);
        if (st.references == 0) return fail(lpErrno, WSANOTINITIALISED);
        g_cleanups.fetch_add(1, std::memory_order_relaxed);
        if (--st.references > 0) return 0;
        for (auto &[key, socket] : st.live) closing.push_back(socket);
        for (SocketPtr &socket : closing) detach(*socket);
        st.ports.clear();
        st.next_ephemeral = 0;
        close_handle = st.upcalls.lpWPUCloseSocketHandle;
    }
    for (SocketPtr &socket : closing) {
        int ignored = 0;
        close_handle(socket->handle, &ignored);
    }
    return 0;
}

namespace {

void fill_table(WSPPROC_TABLE *t) {
    t->lpWSPAccept = WSPAccept;
    t->lpWSPAddressToString = WSPAddressToString;
    t->lpWSPAsyncSelect = WSPAsyncSelect;
    t->lpWSPBind = WSPBind;
    t->lpWSPCancelBlockingCall = WSPCancelBlockingCall;
    t->lpWSPCleanup = WSPCleanup;
    t->lpWSPCloseSocket = WSPCloseSocket;
    t->lpWSPConnect = WSPConnect;
    t->lpWSPDuplicateSocket = WSPDuplicateSocket;
    t->lpWSPEnumNetworkEvents = WSPEnumNetworkEvents;
    t->lpWSPEventSelect = WSPEventSelect;
    t->lpWSPGetOverlappedResult = WSPGetOverlappedResult;
    t->lpWSPGetPeerName = WSPGetPeerName;
    t->lpWSPGetSockName = WSPGetSockName;
    t->lpWSPGetSockOpt = WSPGetSockOpt;
    t->lpWSPGetQOSByName = WSPGetQOSByName;
    t->lpWSPIoctl = WSPIoctl;
    t->lpWSPJoinLeaf = WSPJoinLeaf;
    t->lpWSPListen = WSPListen;
    t->lpWSPRecv = WSPRecv;
    t->lpWSPRecvDisconnect = WSPRecvDisconnect;
    t->lpWSPRecvFrom = WSPRecvFrom;
    t->lpWSPSelect = WSPSelect;
    t->lpWSPSend = WSPSend;
    t->lpWSPSendDisconnect = WSPSendDisconnect;
    t->lpWSPSendTo = WSPSendTo;
    t->lpWSPSetSockOpt = WSPSetSockOpt;
    t->lpWSPShutdown = WSPShutdown;
    t->lpWSPSocket = WSPSocket;
    t->lpWSPStringToAddress = WSPStringToAddress;
}

}  // namespace
}  // namespace udgram

using namespace udgram;

// The library's exported entry point (see exports.map).
extern "C" __attribute__((visibility("default"))) int WSPAPI WSPStartup(
    WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW, WSPUPCALLTABLE UpcallTable,
    LPWSPPROC_TABLE lpProcTable) {
    // Only 2.2 exists; a request below it cannot be served.
    if (LOBYTE(wVersionRequested) < 2 || (LOBYTE(wVersionRequested) == 2 && HIBYTE(wVersionRequested) < 2))
        return WSAVERNOTSUPPORTED;
    WSPDATA data{};
    data.wVersion = MAKEWORD(2, 2);
    data.wHighVersion = MAKEWORD(2, 2);
    const wchar_t description[] = L"ws2 user-space datagram provider";
    for (std::size_t i = 0; i < sizeof description / sizeof description[0]; ++i)
        data.szDescription[i] = description[i];
    WSPPROC_TABLE table{};
    fill_table(&table);
    if (lpWSPData == nullptr || lpProcTable == nullptr || !write_user_value(lpWSPData, data) ||
        !write_user_value(lpProcTable, table))
        return WSAEFAULT;
    State &st = state();
    std::lock_guard lock(st.mutex);
    st.upcalls = UpcallTable;
    ++st.references;
    g_startups.fetch_add(1, std::memory_order_relaxed);
    return 0;
}

extern "C" __attribute__((visibility("default"))) void WSAAPI UdgramProviderStatistics(
    UDGRAM_STATISTICS *statistics) {
    UDGRAM_STATISTICS s{};
    s.startups = g_startups.load();
    s.cleanups = g_cleanups.load();
    {
        std::lock_guard lock(state().mutex);
        s.references = state().references;
    }
    s.live_sockets = g_live_sockets.load();
    s.waiting_calls = g_waiting_calls.load();
    write_user_value(statistics, s);
}
