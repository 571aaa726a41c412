// The thread's last error: one value behind GetLastError, SetLastError, WSAGetLastError and
// WSASetLastError, as on Windows.
#pragma once
#include <windows.h>

namespace ws2::win32 {

extern thread_local DWORD t_last_error;

inline void set_last_error(DWORD code) { t_last_error = code; }
inline DWORD last_error() { return t_last_error; }

}  // namespace ws2::win32
