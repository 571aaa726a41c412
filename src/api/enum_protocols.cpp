// WSAEnumProtocolsA/W: the selectable, visible catalog entries (never layered or PFL_HIDDEN
// ones), optionally filtered by a 0-terminated protocol list, in catalog order.
// WSCEnumProtocols: every entry, layered and hidden included, from the session's catalog or,
// without WSAStartup, the installed one (an unusable catalog file: WSANO_RECOVERY).
#include <winsock2.h>
#include <ws2spi.h>

#include <optional>
#include <vector>

#include "api/process.h"
#include "api/protocol_info_conversion.h"
#include "api/wsc_arguments.h"
#include "catalog/installed_catalog.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"

namespace ws2::api {
namespace {

int fail(int code) {
    win32::set_last_error(static_cast<DWORD>(code));
    return SOCKET_ERROR;
}

struct Result {
    int count;  // SOCKET_ERROR on failure
    int error;
};

// Reads the caller's 0-terminated filter; false if it runs into inaccessible memory.
bool read_filter(const int *user, std::vector<int> *out) {
    for (;; ++user) {
        int value = 0;
        if (!win32::read_user_value(&value, user)) return false;
        if (value == 0) return true;
        out->push_back(value);
    }
}

bool filter_accepts(const std::vector<int> &filter, const WSAPROTOCOL_INFOW &info) {
    if (filter.empty()) return true;
    for (int p : filter) {
        long long hi = static_cast<long long>(info.iProtocol) + info.iProtocolMaxOffset;
        if (p >= info.iProtocol && p <= hi) return true;
    }
    return false;
}

template <class Info, class Convert>
Result enumerate(const catalog::Catalog &cat, bool everything, const int *protocols, Info *buffer,
                 DWORD *buffer_length, Convert convert) {
    DWORD length = 0;
    if (buffer_length == nullptr || !win32::read_user_value(&length, buffer_length))
        return {SOCKET_ERROR, WSAEFAULT};
    std::vector<int> filter;
    if (protocols != nullptr && !read_filter(protocols, &filter)) return {SOCKET_ERROR, WSAEFAULT};

    std::vector<const catalog::Entry *> chosen;
    for (const catalog::Entry &e : cat.entries)
        if ((everything || e.enumerable()) && filter_accepts(filter, e.info)) chosen.push_back(&e);

    DWORD required = static_cast<DWORD>(chosen.size() * sizeof(Info));
    if (required > 0 && (buffer == nullptr || length < required)) {
        if (!win32::write_user_value(buffer_length, required)) return {SOCKET_ERROR, WSAEFAULT};
        return {SOCKET_ERROR, WSAENOBUFS};
    }
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        Info out;
        convert(chosen[i]->info, &out);
        if (!win32::write_user(&buffer[i], &out, sizeof out)) return {SOCKET_ERROR, WSAEFAULT};
    }
    return {static_cast<int>(chosen.size()), 0};
}

template <class Info, class Convert>
int enumerate_visible(const int *protocols, Info *buffer, DWORD *buffer_length, Convert convert) {
    const catalog::Catalog *cat = process_catalog();
    if (cat == nullptr) return fail(WSANOTINITIALISED);
    Result r = enumerate(*cat, false, protocols, buffer, buffer_length, convert);
    return r.count == SOCKET_ERROR ? fail(r.error) : r.count;
}

void copy_wide(const WSAPROTOCOL_INFOW &in, WSAPROTOCOL_INFOW *out) { *out = in; }

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                                        LPDWORD lpdwBufferLength) {
    return api::enumerate_visible(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, api::copy_wide);
}

WS2_EXPORT int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer,
                                        LPDWORD lpdwBufferLength) {
    return api::enumerate_visible(lpiProtocols, lpProtocolBuffer, lpdwBufferLength,
                                  api::protocol_info_to_ansi);
}

WS2_EXPORT int WSPAPI WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                                       LPDWORD lpdwBufferLength, LPINT lpErrno) {
    if (!api::wsc::errno_usable(lpErrno)) return SOCKET_ERROR;
    // The session's snapshot; without a session, the catalog as installed now.
    const catalog::Catalog *cat = api::process_catalog();
    std::optional<catalog::Catalog> installed;
    if (cat == nullptr) {
        installed = catalog::load_installed_catalog();
        if (!installed) return api::wsc::finish(lpErrno, WSANO_RECOVERY);
        cat = &*installed;
    }
    api::Result r = api::enumerate(*cat, true, lpiProtocols, lpProtocolBuffer, lpdwBufferLength,
                                   api::copy_wide);
    return r.count == SOCKET_ERROR ? api::wsc::finish(lpErrno, r.error) : r.count;
}

}  // extern "C"
