// WSCWriteProviderOrder (sporder.h): a new priority order for the whole catalog. It returns its
// error code instead of SOCKET_ERROR; anything but an exact permutation of the installed ids is
// WSAEINVAL with nothing changed.
#include <sporder.h>
#include <winsock2.h>

#include <new>
#include <vector>

#include "catalog/catalog_changes.h"
#include "catalog/installed_catalog.h"
#include "win32/export.h"
#include "win32/user_memory.h"

extern "C" WS2_EXPORT int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries) {
    using namespace ws2;
    if (lpwdCatalogEntryId == nullptr) return WSAEINVAL;
    try {
        return catalog::update_installed_catalog([&](catalog::Catalog &c) {
            // Compared first, so a count far beyond the caller's array reads nothing.
            if (dwNumberOfEntries != c.entries.size()) return WSAEINVAL;
            std::vector<DWORD> order(dwNumberOfEntries);
            if (!win32::read_user(order.data(), lpwdCatalogEntryId, order.size() * sizeof(DWORD)))
                return WSAEINVAL;  // the only argument error Windows documents here
            return catalog::reorder(c, order);
        });
    } catch (const std::bad_alloc &) {
        return WSA_NOT_ENOUGH_MEMORY;
    }
}
