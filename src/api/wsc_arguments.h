// Argument handling shared by the WSC* catalog functions: they report through lpErrno, read
// every caller pointer through win32/user_memory.h, and take provider paths and names of bounded
// length as Windows stores them.
#pragma once
#include <winsock2.h>
#include <ws2spi.h>

#include <new>
#include <string>
#include <vector>

namespace ws2::api::wsc {

inline constexpr std::size_t kMaxPathChars = 259;  // MAX_PATH less its NUL, as Windows stores it

// An lpErrno the call can write; an unusable one gets nothing done.
bool errno_usable(LPINT lpErrno);
// Stores `code` in *lpErrno and returns SOCKET_ERROR (or 0 when `code` is 0).
int finish(LPINT lpErrno, int code);

// The provider GUID: NULL is an invalid argument (WSAEINVAL), an unreadable one a fault.
int read_guid(const GUID *user, GUID *out);
// A NUL-terminated name of 1..max_chars characters: NULL, empty or too long is WSAEINVAL,
// unreadable WSAEFAULT.
int read_text(const WCHAR *user, std::size_t max_chars, std::wstring *out);
// A provider library path: NULL, empty or longer than MAX_PATH is WSAEINVAL, unreadable WSAEFAULT.
int read_path(const WCHAR *user, std::wstring *out);
// `count` protocol infos (count > 0, list not NULL), each with a terminated szProtocol and a
// chain length Windows allows.
int read_infos(const WSAPROTOCOL_INFOW *user, DWORD count, std::vector<WSAPROTOCOL_INFOW> *out);

// Runs `body` (returning 0 or a WSAE* code) for a WSC function: nothing happens without a
// usable lpErrno; an allocation failure is WSA_NOT_ENOUGH_MEMORY.
template <class Body>
int run(LPINT lpErrno, Body body) {
    if (!errno_usable(lpErrno)) return SOCKET_ERROR;
    try {
        return finish(lpErrno, body());
    } catch (const std::bad_alloc &) {
        return finish(lpErrno, WSA_NOT_ENOUGH_MEMORY);
    }
}

}  // namespace ws2::api::wsc
