// WSCInstallProvider / WSCDeinstallProvider: add or remove a provider's entries in the
// installed catalog file (catalog/installed_catalog.h). Running sessions keep their snapshot;
// the change is seen by the next WSAStartup from zero.
#include <winsock2.h>
#include <ws2spi.h>

#include <algorithm>
#include <new>
#include <string>
#include <vector>

#include "catalog/installed_catalog.h"
#include "names/user_strings.h"
#include "win32/export.h"
#include "win32/user_memory.h"

namespace ws2::api {
namespace {

constexpr std::size_t kMaxPathChars = 259;  // Windows keeps MAX_PATH characters with the NUL

// WSC functions report through lpErrno only; an unusable lpErrno gets nothing done.
bool errno_usable(LPINT lpErrno) {
    int value = 0;
    return lpErrno != nullptr && win32::read_user_value(&value, lpErrno) &&
           win32::write_user_value(lpErrno, value);
}

int fail(LPINT lpErrno, int code) {
    win32::write_user_value(lpErrno, code);
    return SOCKET_ERROR;
}

// NULL is an invalid argument; a pointer into inaccessible memory a fault.
int read_guid(LPGUID user, GUID *out) {
    if (user == nullptr) return WSAEINVAL;
    return win32::read_user_value(out, user) ? 0 : WSAEFAULT;
}

bool has_provider(const catalog::Catalog &c, const GUID &id) {
    return std::any_of(c.entries.begin(), c.entries.end(),
                       [&](const catalog::Entry &e) { return catalog::guid_equal(e.info.ProviderId, id); });
}

// A chain names installed entries only: layers first, a base last, no layer twice.
bool chain_valid(const catalog::Catalog &c, const WSAPROTOCOL_INFOW &info) {
    const WSAPROTOCOLCHAIN &chain = info.ProtocolChain;
    for (int k = 0; k < chain.ChainLen; ++k) {
        const catalog::Entry *component = c.find_by_id(chain.ChainEntries[k]);
        if (component == nullptr) return false;
        int wanted = k + 1 == chain.ChainLen ? BASE_PROTOCOL : LAYERED_PROTOCOL;
        if (component->info.ProtocolChain.ChainLen != wanted) return false;
        for (int earlier = 0; earlier < k; ++earlier)
            if (chain.ChainEntries[earlier] == chain.ChainEntries[k]) return false;
    }
    return true;
}

// Checks that need no catalog: a terminated name and a chain length Windows allows.
bool info_valid(const WSAPROTOCOL_INFOW &info) {
    const WCHAR *end = info.szProtocol + WSAPROTOCOL_LEN + 1;
    return std::find(info.szProtocol, end, L'\0') != end && info.ProtocolChain.ChainLen >= 0 &&
           info.ProtocolChain.ChainLen <= MAX_PROTOCOL_CHAIN;
}

int install(LPGUID lpProviderId, const WCHAR *path, const WSAPROTOCOL_INFOW *list, DWORD count) {
    GUID id;
    if (int err = read_guid(lpProviderId, &id); err != 0) return err;
    if (path == nullptr || list == nullptr || count == 0) return WSAEINVAL;
    std::wstring dll;
    if (!names::read_user_string(path, &dll)) return WSAEFAULT;
    if (dll.empty() || dll.size() > kMaxPathChars) return WSAEINVAL;
    std::vector<WSAPROTOCOL_INFOW> infos(count);
    if (!win32::read_user(infos.data(), list, count * sizeof(WSAPROTOCOL_INFOW))) return WSAEFAULT;
    for (const WSAPROTOCOL_INFOW &info : infos)
        if (!info_valid(info)) return WSAEINVAL;

    return catalog::update_installed_catalog([&](catalog::Catalog &c) {
        if (has_provider(c, id)) return WSANO_RECOVERY;  // Windows: already installed
        for (const WSAPROTOCOL_INFOW &info : infos)
            if (info.ProtocolChain.ChainLen > BASE_PROTOCOL && !chain_valid(c, info)) return WSAEINVAL;
        for (WSAPROTOCOL_INFOW info : infos) {
            info.ProviderId = id;
            info.dwCatalogEntryId = c.next_catalog_entry_id++;
            // Slots past ChainLen mean nothing and are not stored.
            for (int k = std::max(info.ProtocolChain.ChainLen, 0); k < MAX_PROTOCOL_CHAIN; ++k)
                info.ProtocolChain.ChainEntries[k] = 0;
            c.entries.push_back(catalog::Entry{info, dll});
        }
        return 0;
    });
}

int deinstall(LPGUID lpProviderId) {
    GUID id;
    if (int err = read_guid(lpProviderId, &id); err != 0) return err;
    return catalog::update_installed_catalog([&](catalog::Catalog &c) {
        auto removed = [&](const catalog::Entry &e) { return catalog::guid_equal(e.info.ProviderId, id); };
        std::vector<catalog::Entry> kept;
        for (const catalog::Entry &e : c.entries)
            if (!removed(e)) kept.push_back(e);
        if (kept.size() == c.entries.size()) return WSAEINVAL;
        // Removing a component of a chain that stays would leave a broken chain behind.
        catalog::Catalog rest;
        rest.entries = kept;
        for (const catalog::Entry &e : kept)
            if (e.info.ProtocolChain.ChainLen > BASE_PROTOCOL)
                for (int k = 0; k < e.info.ProtocolChain.ChainLen; ++k)
                    if (rest.find_by_id(e.info.ProtocolChain.ChainEntries[k]) == nullptr) return WSAEINVAL;
        c.entries = std::move(kept);
        return 0;
    });
}

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT int WSPAPI WSCInstallProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                                         const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                         DWORD dwNumberOfEntries, LPINT lpErrno) {
    if (!api::errno_usable(lpErrno)) return SOCKET_ERROR;
    try {
        int err = api::install(lpProviderId, lpszProviderDllPath, lpProtocolInfoList, dwNumberOfEntries);
        return err == 0 ? 0 : api::fail(lpErrno, err);
    } catch (const std::bad_alloc &) {
        return api::fail(lpErrno, WSA_NOT_ENOUGH_MEMORY);
    }
}

WS2_EXPORT int WSPAPI WSCDeinstallProvider(LPGUID lpProviderId, LPINT lpErrno) {
    if (!api::errno_usable(lpErrno)) return SOCKET_ERROR;
    try {
        int err = api::deinstall(lpProviderId);
        return err == 0 ? 0 : api::fail(lpErrno, err);
    } catch (const std::bad_alloc &) {
        return api::fail(lpErrno, WSA_NOT_ENOUGH_MEMORY);
    }
}

}  // extern "C"
