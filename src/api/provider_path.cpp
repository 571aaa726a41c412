// WSCGetProviderPath (and the WPUGetProviderPath upcall): the library path recorded in the
// protocol catalog for a ProviderId, environment strings left unexpanded as Windows returns it.
#include <ws2spi.h>

#include <cwchar>
#include <optional>

#include "api/process.h"
#include "api/wsc_arguments.h"
#include "catalog/installed_catalog.h"
#include "win32/export.h"
#include "win32/user_memory.h"

namespace ws2::api {

int provider_path(LPGUID provider_id, WCHAR *path, LPINT path_len, LPINT err) {
    // Errors go through lpErrno; an unusable one is itself the documented WSAEFAULT case, with
    // nowhere to report it.
    if (!wsc::errno_usable(err)) return SOCKET_ERROR;
    auto fail = [err](int code) { return wsc::finish(err, code); };
    GUID id;
    // NULL names no provider (WSAEINVAL); an unreadable GUID is a fault.
    if (int code = wsc::read_guid(provider_id, &id); code != 0) return fail(code);
    const catalog::Catalog *cat = process_catalog();
    std::optional<catalog::Catalog> installed;
    if (cat == nullptr) {
        installed = catalog::load_installed_catalog();
        if (!installed) return fail(WSANO_RECOVERY);
        cat = &*installed;
    }
    const catalog::Entry *found = nullptr;
    for (const catalog::Entry &e : cat->entries)
        if (catalog::guid_equal(e.info.ProviderId, id)) {
            found = &e;
            break;
        }
    if (found == nullptr) return fail(WSAEINVAL);

    int capacity = 0;
    if (path_len == nullptr || !win32::read_user_value(&capacity, path_len)) return fail(WSAEFAULT);
    int needed = static_cast<int>(found->provider_path.size() + 1);
    if (path == nullptr || capacity < needed) {
        win32::write_user_value(path_len, needed);
        return fail(WSAEFAULT);
    }
    if (!win32::write_user(path, found->provider_path.c_str(), needed * sizeof(WCHAR)) ||
        !win32::write_user_value(path_len, needed))
        return fail(WSAEFAULT);
    return 0;
}

}  // namespace ws2::api

extern "C" WS2_EXPORT int WSPAPI WSCGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                                   LPINT lpProviderDllPathLen, LPINT lpErrno) {
    return ws2::api::provider_path(lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}
