// WSCInstallProvider / WSCDeinstallProvider / WSCUpdateProvider: add, remove or change a
// provider's entries in the installed catalog file (catalog/installed_catalog.h). Running
// sessions keep their snapshot; the change is seen by the next WSAStartup from zero.
#include <winsock2.h>
#include <ws2spi.h>

#include <string>
#include <vector>

#include "api/wsc_arguments.h"
#include "catalog/catalog_changes.h"
#include "catalog/installed_catalog.h"
#include "win32/export.h"

namespace ws2::api {
namespace {

// Install and update take the same arguments: a provider id, its library and its entries.
template <typename Change>
int change_provider(LPGUID lpProviderId, const WCHAR *path, const WSAPROTOCOL_INFOW *list, DWORD count,
                    Change change) {
    GUID id;
    std::wstring dll;
    std::vector<WSAPROTOCOL_INFOW> infos;
    if (int err = wsc::read_guid(lpProviderId, &id); err != 0) return err;
    if (int err = wsc::read_path(path, &dll); err != 0) return err;
    if (int err = wsc::read_infos(list, count, &infos); err != 0) return err;
    return catalog::update_installed_catalog([&](catalog::Catalog &c) { return change(c, id, dll, infos); });
}

int install(LPGUID lpProviderId, const WCHAR *path, const WSAPROTOCOL_INFOW *list, DWORD count) {
    return change_provider(lpProviderId, path, list, count, catalog::install_entries);
}

int deinstall(LPGUID lpProviderId) {
    GUID id;
    if (int err = wsc::read_guid(lpProviderId, &id); err != 0) return err;
    return catalog::update_installed_catalog(
        [&](catalog::Catalog &c) { return catalog::remove_provider(c, id); });
}

int update(LPGUID lpProviderId, const WCHAR *path, const WSAPROTOCOL_INFOW *list, DWORD count) {
    return change_provider(lpProviderId, path, list, count, catalog::update_provider);
}

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT int WSPAPI WSCInstallProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                                         const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                         DWORD dwNumberOfEntries, LPINT lpErrno) {
    return api::wsc::run(lpErrno, [&] {
        return api::install(lpProviderId, lpszProviderDllPath, lpProtocolInfoList, dwNumberOfEntries);
    });
}

WS2_EXPORT int WSPAPI WSCDeinstallProvider(LPGUID lpProviderId, LPINT lpErrno) {
    return api::wsc::run(lpErrno, [&] { return api::deinstall(lpProviderId); });
}

WS2_EXPORT int WSPAPI WSCUpdateProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                                        const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                        DWORD dwNumberOfEntries, LPINT lpErrno) {
    return api::wsc::run(lpErrno, [&] {
        return api::update(lpProviderId, lpszProviderDllPath, lpProtocolInfoList, dwNumberOfEntries);
    });
}

}  // extern "C"
