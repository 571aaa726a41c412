#include "providers/layer_kit/next_provider.h"

#include <windows.h>

#include <cstring>
#include <string>

namespace ws2::layer {
namespace {

bool same_guid(const GUID &a, const GUID &b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Every catalog entry, layered and hidden included.
std::vector<WSAPROTOCOL_INFOW> catalog_entries() {
    DWORD length = 0;
    int err = 0;
    if (WSCEnumProtocols(nullptr, nullptr, &length, &err) != SOCKET_ERROR || err != WSAENOBUFS)
        return {};
    std::vector<WSAPROTOCOL_INFOW> all(length / sizeof(WSAPROTOCOL_INFOW));
    int n = WSCEnumProtocols(nullptr, all.data(), &length, &err);
    all.resize(n == SOCKET_ERROR ? 0 : static_cast<std::size_t>(n));
    return all;
}

bool table_complete(const WSPPROC_TABLE &table) {
    void *slots[sizeof table / sizeof(void *)];
    std::memcpy(slots, &table, sizeof table);
    for (void *slot : slots)
        if (slot == nullptr) return false;
    return true;
}

// Loads the library of provider `id` and runs its WSPStartup with hop->next_info; false when
// any step fails (a started provider that answers badly is cleaned up again).
bool start_next(NextHop *hop, GUID id, const WSPUPCALLTABLE &upcalls) {
    WCHAR path[MAX_PATH + 1];
    int length = MAX_PATH, err = 0;
    if (WSCGetProviderPath(&id, path, &length, &err) == SOCKET_ERROR) return false;
    WCHAR expanded[MAX_PATH + 1];
    DWORD n = ExpandEnvironmentStringsW(path, expanded, MAX_PATH + 1);
    if (n == 0 || n > MAX_PATH + 1) return false;
    hop->module = LoadLibraryW(expanded);
    if (hop->module == nullptr) return false;
    // Through void(*)() as GCC asks for function pointers of another type.
    auto startup = reinterpret_cast<LPWSPSTARTUP>(
        reinterpret_cast<void (*)()>(GetProcAddress(hop->module, "WSPStartup")));
    WSPDATA data{};
    if (startup == nullptr ||
        startup(MAKEWORD(2, 2), &data, &hop->next_info, upcalls, &hop->table) != 0) {
        FreeLibrary(hop->module);
        return false;
    }
    if (data.wVersion != MAKEWORD(2, 2) || !table_complete(hop->table)) {
        if (hop->table.lpWSPCleanup != nullptr) hop->table.lpWSPCleanup(&err);
        FreeLibrary(hop->module);
        return false;
    }
    return true;
}

}  // namespace

void NextProviders::set_upcalls(const WSPUPCALLTABLE &upcalls) {
    std::lock_guard lock(mutex_);
    upcalls_ = upcalls;
}

const NextHop *NextProviders::hop_for(const WSAPROTOCOL_INFOW &chain, int *err) {
    std::lock_guard lock(mutex_);
    for (const auto &hop : hops_)
        if (hop->chain_id == chain.dwCatalogEntryId) return hop.get();

    // This layer's own entry, and its place in the chain.
    std::vector<WSAPROTOCOL_INFOW> entries = catalog_entries();
    DWORD own_id = 0;
    for (const WSAPROTOCOL_INFOW &e : entries)
        if (e.ProtocolChain.ChainLen == LAYERED_PROTOCOL && same_guid(e.ProviderId, layer_id_))
            own_id = e.dwCatalogEntryId;
    const WSAPROTOCOLCHAIN &links = chain.ProtocolChain;
    int position = -1;
    for (int k = 0; k + 1 < links.ChainLen && k < MAX_PROTOCOL_CHAIN; ++k)
        if (links.ChainEntries[k] == own_id) position = k;
    if (own_id == 0 || position < 0) {
        *err = WSAEINVAL;
        return nullptr;
    }

    auto hop = std::make_unique<NextHop>();
    hop->chain_id = chain.dwCatalogEntryId;
    hop->chain = chain;
    // The next entry names the provider to load; the base is given its own entry, a layer
    // below the chain unchanged.
    DWORD next_id = links.ChainEntries[position + 1];
    hop->next_is_base = position + 2 == links.ChainLen;
    const WSAPROTOCOL_INFOW *next = nullptr;
    for (const WSAPROTOCOL_INFOW &e : entries)
        if (e.dwCatalogEntryId == next_id) next = &e;
    if (next == nullptr) {
        *err = WSAEPROVIDERFAILEDINIT;
        return nullptr;
    }
    hop->next_info = hop->next_is_base ? *next : chain;
    if (!start_next(hop.get(), next->ProviderId, upcalls_)) {
        *err = WSAEPROVIDERFAILEDINIT;
        return nullptr;
    }
    hops_.push_back(std::move(hop));
    return hops_.back().get();
}

const NextHop *NextProviders::hop_for_id(DWORD chain_id) {
    std::lock_guard lock(mutex_);
    for (const auto &hop : hops_)
        if (hop->chain_id == chain_id) return hop.get();
    return nullptr;
}

const NextHop *NextProviders::any_hop() {
    std::lock_guard lock(mutex_);
    return hops_.empty() ? nullptr : hops_.front().get();
}

void NextProviders::cleanup() {
    std::vector<std::unique_ptr<NextHop>> finished;
    {
        std::lock_guard lock(mutex_);
        finished.swap(hops_);
    }
    for (auto &hop : finished) {
        int err = 0;
        hop->table.lpWSPCleanup(&err);
        FreeLibrary(hop->module);
    }
}

void NextProviders::carry_payload(const WSAPROTOCOL_INFOW &from, WSAPROTOCOL_INFOW *to) {
    to->dwServiceFlags3 = from.dwServiceFlags3;
    to->dwServiceFlags4 = from.dwServiceFlags4;
    to->dwProviderReserved = from.dwProviderReserved;
}

}  // namespace ws2::layer
