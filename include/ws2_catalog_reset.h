/* ws2_catalog_reset.h: a ws2 extension with no Windows counterpart (netsh winsock reset has no
   public API). Puts the installed protocol catalog back to the built-in entries; catalog ids
   already handed out are never handed out again. Returns 0, or SOCKET_ERROR with *lpErrno set
   (WSANO_RECOVERY: the catalog file cannot be locked, read or written). */
#ifndef WS2_CATALOG_RESET_H
#define WS2_CATALOG_RESET_H

#include <ws2spi.h>

#ifdef __cplusplus
extern "C" {
#endif

int WSPAPI ws2_WSCResetCatalog(LPINT lpErrno);

#ifdef __cplusplus
}
#endif

#endif /* WS2_CATALOG_RESET_H */
