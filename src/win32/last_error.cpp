#include "win32/last_error.h"

#include <winsock2.h>

#include "win32/export.h"

namespace ws2::win32 {
thread_local DWORD t_last_error __attribute__((tls_model("initial-exec"))) = 0;
}

extern "C" {

WS2_EXPORT DWORD WINAPI GetLastError(void) { return ws2::win32::t_last_error; }
WS2_EXPORT void WINAPI SetLastError(DWORD code) { ws2::win32::t_last_error = code; }
WS2_EXPORT int WSAAPI WSAGetLastError(void) { return static_cast<int>(ws2::win32::t_last_error); }
WS2_EXPORT void WSAAPI WSASetLastError(int code) {
    ws2::win32::t_last_error = static_cast<DWORD>(code);
}

}  // extern "C"
