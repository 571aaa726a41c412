// WSCInstallProviderAndChains (the 32-bit Windows name) and WSCInstallProviderAndChains64_32
// (the 64-bit one): a layered entry plus its protocol chains, installed at the front of the
// catalog (catalog/catalog_changes.h). ws2 keeps one catalog, so the 64_32 form writes it once;
// its 32-bit path is checked as Windows checks it and not stored (there is no 32-bit catalog).
#include <winsock2.h>
#include <ws2spi.h>

#include <cwctype>
#include <string>
#include <vector>

#include "api/wsc_arguments.h"
#include "catalog/catalog_changes.h"
#include "catalog/installed_catalog.h"
#include "win32/export.h"
#include "win32/user_memory.h"

namespace ws2::api {
namespace {

// Windows' rule for a NULL 32-bit path: the 64-bit library must then live in %windir%\system32.
bool in_windows_system_directory(const std::wstring &path) {
    static const std::wstring kPrefix = L"%windir%\\system32\\";
    if (path.size() <= kPrefix.size()) return false;
    for (std::size_t k = 0; k < kPrefix.size(); ++k)
        if (static_cast<wchar_t>(std::towlower(path[k])) != kPrefix[k]) return false;
    return true;
}

int install(LPGUID lpProviderId, const WCHAR *path, const WCHAR *path32, bool with_path32,
            const WCHAR *lsp_name, DWORD service_flags, const WSAPROTOCOL_INFOW *list, DWORD count,
            LPDWORD lpdwCatalogEntryId) {
    catalog::LayerRequest request;
    if (int err = wsc::read_guid(lpProviderId, &request.provider); err != 0) return err;
    if (int err = wsc::read_path(path, &request.path); err != 0) return err;
    if (with_path32) {
        std::wstring dll32;
        if (path32 == nullptr) {
            if (!in_windows_system_directory(request.path)) return WSAEINVAL;
        } else if (int err = wsc::read_path(path32, &dll32); err != 0) {
            return err;
        }
    }
    if (int err = wsc::read_text(lsp_name, WSAPROTOCOL_LEN, &request.name); err != 0) return err;
    request.service_flags = service_flags;
    request.every_protocol = list == nullptr;
    if (list != nullptr)
        if (int err = wsc::read_infos(list, count, &request.over); err != 0) return err;
    // The id goes out only after the install succeeded; a bad pointer is found before writing.
    DWORD probe = 0;
    if (lpdwCatalogEntryId != nullptr && !(win32::read_user_value(&probe, lpdwCatalogEntryId) &&
                                           win32::write_user_value(lpdwCatalogEntryId, probe)))
        return WSAEFAULT;

    DWORD layer_id = 0;
    int err = catalog::update_installed_catalog([&](catalog::Catalog &c) {
        return catalog::install_layer_and_chains(c, request, &layer_id);
    });
    if (err == 0 && lpdwCatalogEntryId != nullptr) win32::write_user_value(lpdwCatalogEntryId, layer_id);
    return err;
}

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT int WSPAPI WSCInstallProviderAndChains(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath,
                                                  const LPWSTR lpszLspName, DWORD dwServiceFlags,
                                                  LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                                  DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId,
                                                  LPINT lpErrno) {
    return api::wsc::run(lpErrno, [&] {
        return api::install(lpProviderId, lpszProviderDllPath, nullptr, false, lpszLspName,
                            dwServiceFlags, lpProtocolInfoList, dwNumberOfEntries, lpdwCatalogEntryId);
    });
}

WS2_EXPORT int WSPAPI WSCInstallProviderAndChains64_32(
    LPGUID lpProviderId, const LPWSTR lpszProviderDllPath, const LPWSTR lpszProviderDllPath32,
    const LPWSTR lpszLspName, DWORD dwServiceFlags, LPWSAPROTOCOL_INFOW lpProtocolInfoList,
    DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId, LPINT lpErrno) {
    return api::wsc::run(lpErrno, [&] {
        return api::install(lpProviderId, lpszProviderDllPath, lpszProviderDllPath32, true,
                            lpszLspName, dwServiceFlags, lpProtocolInfoList, dwNumberOfEntries,
                            lpdwCatalogEntryId);
    });
}

}  // extern "C"
