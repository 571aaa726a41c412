// socket, WSASocketA, WSASocketW: choose a catalog entry, check dwFlags against it, start its
// provider and let the provider's WSPSocket create and register the socket.
#include <mswsock.h>
#include <winsock2.h>

#include "api/process.h"
#include "api/protocol_info_conversion.h"
#include "catalog/selection.h"
#include "spi/provider.h"
#include "spi/socket_registry.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"

namespace ws2::api {
namespace {

SOCKET fail(int code) {
    win32::set_last_error(static_cast<DWORD>(code));
    return INVALID_SOCKET;
}

// Multipoint attributes are allowed only where the entry's service flags offer them (as msafd
// checks them): any of them needs XP1_SUPPORT_MULTIPOINT; a root needs the rooted plane; a
// plane takes a root or a leaf, never both.
bool multipoint_flags_allowed(DWORD flags, DWORD service_flags) {
    constexpr DWORD kAny = WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_C_LEAF |
                           WSA_FLAG_MULTIPOINT_D_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF;
    if ((flags & kAny) == 0) return true;
    if (!(service_flags & XP1_SUPPORT_MULTIPOINT)) return false;
    if (flags & WSA_FLAG_MULTIPOINT_C_ROOT) {
        if (!(service_flags & XP1_MULTIPOINT_CONTROL_PLANE)) return false;
        if (flags & WSA_FLAG_MULTIPOINT_C_LEAF) return false;
    }
    if (flags & WSA_FLAG_MULTIPOINT_D_ROOT) {
        if (!(service_flags & XP1_MULTIPOINT_DATA_PLANE)) return false;
        if (flags & WSA_FLAG_MULTIPOINT_D_LEAF) return false;
    }
    return true;
}

// The common path once a caller's WSAPROTOCOL_INFO (if any) has been copied in safely.
SOCKET create(int af, int type, int protocol, WSAPROTOCOL_INFOW *caller_info, GROUP g,
              DWORD flags) {
    const catalog::Catalog *cat = process_catalog();
    if (cat == nullptr) return fail(WSANOTINITIALISED);

    const catalog::Entry *entry = nullptr;
    if (caller_info != nullptr) {
        // An explicit WSAPROTOCOL_INFO binds by catalog id; af/type/protocol go to the provider
        // unmodified (0 and FROM_PROTOCOL_INFO are resolved there from the structure).
        entry = cat->find_by_id(caller_info->dwCatalogEntryId);
        if (entry == nullptr || !entry->selectable()) return fail(WSAEINVAL);
    } else {
        if (af == AF_UNSPEC && protocol == 0) return fail(WSAEINVAL);
        auto any = [](const catalog::Entry &) { return true; };
        entry = catalog::find_first_match(cat->entries, af, type, protocol, any);
        if (entry == nullptr)
            return fail(catalog::rank_no_match_error(cat->entries, af, type, protocol, any));
    }
    // As ws2_32 does, the provider gets the caller's structure or the catalog entry's own.
    WSAPROTOCOL_INFOW *info = const_cast<WSAPROTOCOL_INFOW *>(caller_info != nullptr ? caller_info
                                                                                     : &entry->info);
    if (!multipoint_flags_allowed(flags, info->dwServiceFlags1)) return fail(WSAEINVAL);

    int err = 0;
    spi::Provider *provider = spi::providers().acquire(*entry, &err);
    if (provider == nullptr) return fail(err);

    // The overlapped attribute reaches WPUModifyIFSHandle through the thread's open type.
    DWORD &open_type = spi::thread_open_type();
    DWORD saved = open_type;
    open_type = (flags & WSA_FLAG_OVERLAPPED) ? 0 : SO_SYNCHRONOUS_NONALERT;
    SOCKET s = provider->table.lpWSPSocket(af, type, protocol, info, g, flags, &err);
    open_type = saved;

    if (s == INVALID_SOCKET) return fail(err != 0 ? err : WSASYSCALLFAILURE);
    if (!spi::sockets().contains(s)) {
        // A provider must register every socket it returns; one that did not is broken.
        int ignored = 0;
        provider->table.lpWSPCloseSocket(s, &ignored);
        return fail(WSAEPROVIDERFAILEDINIT);
    }
    win32::set_last_error(0);
    return s;
}

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT SOCKET WSAAPI WSASocketW(int af, int type, int protocol,
                                    LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags) {
    if (!api::is_started()) return api::fail(WSANOTINITIALISED);
    if (lpProtocolInfo == nullptr) return api::create(af, type, protocol, nullptr, g, dwFlags);
    WSAPROTOCOL_INFOW info;
    if (!win32::read_user_value(&info, lpProtocolInfo)) return api::fail(WSAEFAULT);
    return api::create(af, type, protocol, &info, g, dwFlags);
}

WS2_EXPORT SOCKET WSAAPI WSASocketA(int af, int type, int protocol,
                                    LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g, DWORD dwFlags) {
    if (!api::is_started()) return api::fail(WSANOTINITIALISED);
    if (lpProtocolInfo == nullptr) return api::create(af, type, protocol, nullptr, g, dwFlags);
    WSAPROTOCOL_INFOW info;
    if (int e = api::read_protocol_info_a(lpProtocolInfo, &info)) return api::fail(e);
    return api::create(af, type, protocol, &info, g, dwFlags);
}

// socket() sockets are overlapped unless the calling thread set SO_OPENTYPE.
WS2_EXPORT SOCKET WSAAPI socket(int af, int type, int protocol) {
    if (!api::is_started()) return api::fail(WSANOTINITIALISED);
    DWORD flags = spi::thread_open_type() == 0 ? WSA_FLAG_OVERLAPPED : 0;
    return api::create(af, type, protocol, nullptr, 0, flags);
}

}  // extern "C"
