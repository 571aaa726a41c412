// The thread's last error: one value behind GetLastError, SetLastError, WSAGetLastError and
// WSASetLastError, as on Windows.
#pragma once
#include <windows.h>

namespace ws2::win32 {

// initial-exec: one instruction to reach, instead of a __tls_get_addr call per access.
extern thread_local DWORD t_last_error __attribute__((tls_model("initial-exec")));

inline void set_last_error(DWORD code) { t_last_error = code; }
inline DWORD last_error() { return t_last_error; }

}  // namespace ws2::win32
