// WSADuplicateSocketA/W: the owning provider's WSPDuplicateSocket fills a WSAPROTOCOL_INFOW
// that the target process passes to WSASocket (which routes it by dwCatalogEntryId back to the
// same provider). The A version has the provider fill a wide structure and converts it.
#include <winsock2.h>

#include "api/dispatch.h"
#include "api/protocol_info_conversion.h"
#include "win32/export.h"
#include "win32/user_memory.h"

using namespace ws2;

extern "C" {

WS2_EXPORT int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId,
                                          LPWSAPROTOCOL_INFOW lpProtocolInfo) {
    spi::SocketRecord record{};
    if (!api::lookup(s, &record)) return SOCKET_ERROR;
    int err = 0;
    int rc = record.provider->table.lpWSPDuplicateSocket(s, dwProcessId, lpProtocolInfo, &err);
    return api::finish(rc, err);
}

WS2_EXPORT int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId,
                                          LPWSAPROTOCOL_INFOA lpProtocolInfo) {
    spi::SocketRecord record{};
    if (!api::lookup(s, &record)) return SOCKET_ERROR;
    // A caller buffer that cannot be written reaches the provider as NULL, so the provider's
    // order of checks decides the error (a bad process before a bad buffer) and no duplicate
    // is made that could not be handed back.
    WSAPROTOCOL_INFOA narrow;
    bool writable = lpProtocolInfo != nullptr && win32::read_user_value(&narrow, lpProtocolInfo) &&
                    win32::write_user_value(lpProtocolInfo, narrow);
    WSAPROTOCOL_INFOW wide{};
    int err = 0;
    int rc = record.provider->table.lpWSPDuplicateSocket(s, dwProcessId,
                                                         writable ? &wide : nullptr, &err);
    if (rc == SOCKET_ERROR) return api::finish(rc, err);
    api::protocol_info_to_ansi(wide, &narrow);
    if (!win32::write_user_value(lpProtocolInfo, narrow)) return api::fail(WSAEFAULT);
    win32::set_last_error(0);
    return 0;
}

}  // extern "C"
