#include "win32/io_status.h"

#include <winsock2.h>

namespace ws2::win32 {
namespace {

struct Pair {
    DWORD error;
    ULONG_PTR status;
    DWORD win32;  // what RtlNtStatusToDosError makes of the status (GetQueuedCompletionStatus)
};

// Winsock errors and the NTSTATUS values Windows' AFD completes requests with.
constexpr Pair kPairs[] = {
    {WSA_OPERATION_ABORTED, 0xC0000120, 995},  // STATUS_CANCELLED, ERROR_OPERATION_ABORTED
    {WSAECONNRESET, 0xC000020D, 64},           // STATUS_CONNECTION_RESET, ERROR_NETNAME_DELETED
    {WSAECONNABORTED, 0xC0000241, 1236},       // STATUS_CONNECTION_ABORTED, ERROR_CONNECTION_ABORTED
    {WSAECONNREFUSED, 0xC0000236, 1225},       // STATUS_CONNECTION_REFUSED, ERROR_CONNECTION_REFUSED
    {WSAEDISCON, 0xC0000237, 1226},            // STATUS_GRACEFUL_DISCONNECT, ERROR_GRACEFUL_DISCONNECT
    {WSAEMSGSIZE, 0x80000005, 234},            // STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA
    {WSAETIMEDOUT, 0xC00000B5, 121},           // STATUS_IO_TIMEOUT, ERROR_SEM_TIMEOUT
    {WSAENETUNREACH, 0xC000023C, 1231},        // STATUS_NETWORK_UNREACHABLE, ERROR_NETWORK_UNREACHABLE
    {WSAEHOSTUNREACH, 0xC000023D, 1232},       // STATUS_HOST_UNREACHABLE, ERROR_HOST_UNREACHABLE
    {WSAENOTCONN, 0xC0000140, 1229},           // STATUS_INVALID_CONNECTION, ERROR_CONNECTION_INVALID
    {WSAENOBUFS, 0xC000009A, 1450},            // STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES
    {WSAEFAULT, 0xC0000005, 998},              // STATUS_ACCESS_VIOLATION, ERROR_NOACCESS
    {WSAEINVAL, 0xC000000D, 87},               // STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER
    {ERROR_INSUFFICIENT_BUFFER, 0xC0000023, 122},  // STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER (AcceptEx)
};

constexpr ULONG_PTR kCustomer = 0xE0000000;

}  // namespace

ULONG_PTR status_from_error(DWORD wsa_error) {
    if (wsa_error == 0) return kStatusSuccess;
    for (const Pair &p : kPairs)
        if (p.error == wsa_error) return p.status;
    return kCustomer | wsa_error;
}

DWORD win32_error_from_error(DWORD wsa_error) {
    for (const Pair &p : kPairs)
        if (p.error == wsa_error) return p.win32;
    return wsa_error;
}

DWORD error_from_status(ULONG_PTR status) {
    if (status == kStatusSuccess) return 0;
    for (const Pair &p : kPairs)
        if (p.status == status) return p.error;
    if ((status & 0xF0000000) == kCustomer) return static_cast<DWORD>(status & 0x0FFFFFFF);
    return WSAEINVAL;
}

}  // namespace ws2::win32
