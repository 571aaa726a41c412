// OVERLAPPED.Internal holds an NTSTATUS, as on Windows: STATUS_PENDING while the request runs,
// then the outcome. Programs test it with HasOverlappedIoCompleted; ws2 maps Winsock errors to
// the statuses Windows uses and back. An error with no Windows status is kept as
// 0xE0000000 | code (the customer bit), so it survives the round trip.
#pragma once
#include <windows.h>

namespace ws2::win32 {

inline constexpr ULONG_PTR kStatusSuccess = 0x00000000;
inline constexpr ULONG_PTR kStatusPending = 0x00000103;

ULONG_PTR status_from_error(DWORD wsa_error);
DWORD error_from_status(ULONG_PTR status);
// The Win32 error GetQueuedCompletionStatus reports for a request that failed with a Winsock
// error (Windows converts the NTSTATUS: a reset connection is ERROR_NETNAME_DELETED there,
// WSAECONNRESET from WSAGetOverlappedResult).
DWORD win32_error_from_error(DWORD wsa_error);

}  // namespace ws2::win32
