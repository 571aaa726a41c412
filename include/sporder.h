/* sporder.h: reordering the Winsock catalogs (exported by ws2_32). */
#ifndef WS2_SPORDER_H
#define WS2_SPORDER_H

#include <ws2spi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Returns ERROR_SUCCESS (0) or the error code itself (not SOCKET_ERROR). */
int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);
typedef int(WSPAPI *LPWSCWRITEPROVIDERORDER)(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);

#ifdef __cplusplus
}
#endif

#endif /* WS2_SPORDER_H */
