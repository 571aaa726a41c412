// WSPStartup / WSPCleanup of the base provider: version negotiation, a per-process reference
// count (one count per successful WSPStartup), and the list of catalog entries it serves.
#include <cwchar>
#include <mutex>

#include "catalog/catalog.h"
#include "providers/base/base_provider.h"
#include "providers/base/base_state.h"
#include "providers/base/bind_audit.h"
#include "providers/base/kernel_socket.h"

namespace ws2::base {
namespace {

std::mutex g_mutex;
int g_refcount = 0;                         // guarded by g_mutex
std::vector<catalog::Entry> g_entries;  // stable while g_refcount > 0
std::atomic<LPWPUMODIFYIFSHANDLE> g_modify_ifs{nullptr};

bool is_own_provider(const GUID &id) {
    return catalog::guid_equal(id, kTcpipV4ProviderId) ||
           catalog::guid_equal(id, kTcpipV6ProviderId) ||
           catalog::guid_equal(id, kAfUnixProviderId);
}

// The provider learns its entries from the installed catalog, as any provider could.
void load_entries() {
    DWORD length = 0;
    int err = 0;
    g_entries.clear();
    if (WSCEnumProtocols(nullptr, nullptr, &length, &err) != SOCKET_ERROR || err != WSAENOBUFS)
        return;
    std::vector<WSAPROTOCOL_INFOW> all(length / sizeof(WSAPROTOCOL_INFOW));
    int n = WSCEnumProtocols(nullptr, all.data(), &length, &err);
    for (int i = 0; i < n; ++i)
        if (all[i].ProtocolChain.ChainLen == BASE_PROTOCOL && is_own_provider(all[i].ProviderId))
            g_entries.push_back(catalog::Entry{all[i], {}});
}

int WSPAPI WSPCleanup(LPINT lpErrno) {
    std::lock_guard lock(g_mutex);
    if (g_refcount == 0) {
        *lpErrno = WSANOTINITIALISED;
        return SOCKET_ERROR;
    }
    if (--g_refcount == 0) {
        forget_shared_sockets();  // duplicates no process claimed, and the broker serving them
        // The last cleanup frees every socket still open, as if each were closed.
        base_sockets().for_each([](std::uint64_t fd, const BaseSocket &) {
            BaseSocket closing{};
            if (base_sockets().erase(fd, &closing)) release_socket_resources(fd, closing);
            kernel::close_socket(static_cast<int>(fd));
        });
        g_entries.clear();
        stop_all_auditing();  // audited ports end with the sockets
    }
    return 0;
}

}  // namespace

spi::HandleTable<BaseSocket> &base_sockets() {
    static auto *table = new spi::HandleTable<BaseSocket>();
    return *table;
}

const std::vector<catalog::Entry> &own_entries() { return g_entries; }

LPWPUMODIFYIFSHANDLE modify_ifs_handle_upcall() {
    return g_modify_ifs.load(std::memory_order_acquire);
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable) {
    BYTE major = LOBYTE(wVersionRequested), minor = HIBYTE(wVersionRequested);
    if (major < 2 || (major == 2 && minor < 2)) return WSAVERNOTSUPPORTED;
    if (lpWSPData == nullptr || lpProcTable == nullptr) return WSAEFAULT;

    std::lock_guard lock(g_mutex);
    if (g_refcount++ == 0) load_entries();
    g_modify_ifs.store(UpcallTable.lpWPUModifyIFSHandle, std::memory_order_release);

    lpWSPData->wVersion = WS_SPI_VERSION;
    lpWSPData->wHighVersion = WS_SPI_VERSION;
    std::wcsncpy(lpWSPData->szDescription, L"ws2 base provider (Linux kernel sockets)",
                 WSPDESCRIPTION_LEN);
    WSPPROC_TABLE table{};
    fill_data_path_entries(&table);
    table.lpWSPAddressToString = WSPAddressToString;
    table.lpWSPStringToAddress = WSPStringToAddress;
    table.lpWSPBind = WSPBind;
    table.lpWSPListen = WSPListen;
    table.lpWSPAccept = WSPAccept;
    table.lpWSPConnect = WSPConnect;
    table.lpWSPShutdown = WSPShutdown;
    table.lpWSPGetSockName = WSPGetSockName;
    table.lpWSPGetPeerName = WSPGetPeerName;
    table.lpWSPSend = WSPSend;
    table.lpWSPSendTo = WSPSendTo;
    table.lpWSPRecv = WSPRecv;
    table.lpWSPRecvFrom = WSPRecvFrom;
    table.lpWSPIoctl = WSPIoctl;
    table.lpWSPSelect = WSPSelect;
    table.lpWSPEventSelect = WSPEventSelect;
    table.lpWSPSendDisconnect = WSPSendDisconnect;
    table.lpWSPRecvDisconnect = WSPRecvDisconnect;
    table.lpWSPEnumNetworkEvents = WSPEnumNetworkEvents;
    table.lpWSPCleanup = WSPCleanup;
    table.lpWSPSocket = WSPSocket;
    table.lpWSPDuplicateSocket = WSPDuplicateSocket;
    table.lpWSPJoinLeaf = WSPJoinLeaf;
    table.lpWSPCloseSocket = WSPCloseSocket;
    table.lpWSPGetSockOpt = WSPGetSockOpt;
    table.lpWSPSetSockOpt = WSPSetSockOpt;
    *lpProcTable = table;
    return 0;
}

}  // namespace ws2::base
