// ws2_WSCResetCatalog: the catalog file back to the built-in entries, keeping the next id so
// ids stay unique (what `ws2ctl reset` does, like `netsh winsock reset`).
#include <ws2_catalog_reset.h>

#include "api/wsc_arguments.h"
#include "catalog/installed_catalog.h"
#include "win32/export.h"

extern "C" WS2_EXPORT int WSPAPI ws2_WSCResetCatalog(LPINT lpErrno) {
    using namespace ws2;
    return api::wsc::run(lpErrno, [] {
        return catalog::reset_installed_catalog();
    });
}
