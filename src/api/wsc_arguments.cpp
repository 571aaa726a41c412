#include "api/wsc_arguments.h"

#include <algorithm>

#include "names/user_strings.h"
#include "win32/user_memory.h"

namespace ws2::api::wsc {

bool errno_usable(LPINT lpErrno) {
    int value = 0;
    return lpErrno != nullptr && win32::read_user_value(&value, lpErrno) &&
           win32::write_user_value(lpErrno, value);
}

int finish(LPINT lpErrno, int code) {
    if (code == 0) return 0;
    win32::write_user_value(lpErrno, code);
    return SOCKET_ERROR;
}

int read_guid(const GUID *user, GUID *out) {
    if (user == nullptr) return WSAEINVAL;
    return win32::read_user_value(out, user) ? 0 : WSAEFAULT;
}

int read_text(const WCHAR *user, std::size_t max_chars, std::wstring *out) {
    if (user == nullptr) return WSAEINVAL;
    // The read stops once past the limit (it may read a little further, in whole pieces): a
    // failure with more than max_chars characters read is a text too long; any other failure is
    // memory that could not be read.
    if (!names::read_user_string(user, out, max_chars))
        return out->size() > max_chars ? WSAEINVAL : WSAEFAULT;
    return out->empty() || out->size() > max_chars ? WSAEINVAL : 0;
}

int read_path(const WCHAR *user, std::wstring *out) { return read_text(user, kMaxPathChars, out); }

int read_infos(const WSAPROTOCOL_INFOW *user, DWORD count, std::vector<WSAPROTOCOL_INFOW> *out) {
    if (user == nullptr || count == 0) return WSAEINVAL;
    // One entry at a time: a count far beyond the caller's memory faults at its first unreadable
    // entry instead of allocating for all of them.
    out->clear();
    for (DWORD k = 0; k < count; ++k) {
        WSAPROTOCOL_INFOW info;
        if (!win32::read_user_value(&info, user + k)) return WSAEFAULT;
        const WCHAR *name = info.szProtocol, *end = name + WSAPROTOCOL_LEN + 1;
        if (std::find(name, end, L'\0') == end) return WSAEINVAL;
        if (info.ProtocolChain.ChainLen < 0 || info.ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN)
            return WSAEINVAL;
        out->push_back(info);
    }
    return 0;
}

}  // namespace ws2::api::wsc
