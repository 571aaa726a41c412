#include "win32/io_status.h"

#include <winsock2.h>

namespace ws2::win32 {
namespace {

struct Pair {
    DWORD error;
    ULONG_PTR status;
};

// Winsock errors and the NTSTATUS values Windows' AFD completes requests with.
constexpr Pair kPairs[] = {
    {WSA_OPERATION_ABORTED, 0xC0000120},  // STATUS_CANCELLED
    {WSAECONNRESET, 0xC000020D},          // STATUS_CONNECTION_RESET
    {WSAECONNABORTED, 0xC0000241},        // STATUS_CONNECTION_ABORTED
    {WSAECONNREFUSED, 0xC0000236},        // STATUS_CONNECTION_REFUSED
    {WSAEDISCON, 0xC0000237},             // STATUS_GRACEFUL_DISCONNECT
    {WSAEMSGSIZE, 0x80000005},            // STATUS_BUFFER_OVERFLOW
    {WSAETIMEDOUT, 0xC00000B5},           // STATUS_IO_TIMEOUT
    {WSAENETUNREACH, 0xC000023C},         // STATUS_NETWORK_UNREACHABLE
    {WSAEHOSTUNREACH, 0xC000023D},        // STATUS_HOST_UNREACHABLE
    {WSAENOTCONN, 0xC0000140},            // STATUS_INVALID_CONNECTION
    {WSAENOBUFS, 0xC000009A},             // STATUS_INSUFFICIENT_RESOURCES
    {WSAEFAULT, 0xC0000005},              // STATUS_ACCESS_VIOLATION
    {WSAEINVAL, 0xC000000D},              // STATUS_INVALID_PARAMETER
    {ERROR_INSUFFICIENT_BUFFER, 0xC0000023},  // STATUS_BUFFER_TOO_SMALL (AcceptEx address areas)
};

constexpr ULONG_PTR kCustomer = 0xE0000000;

}  // namespace

ULONG_PTR status_from_error(DWORD wsa_error) {
    if (wsa_error == 0) return kStatusSuccess;
    for (const Pair &p : kPairs)
        if (p.error == wsa_error) return p.status;
    return kCustomer | wsa_error;
}

DWORD error_from_status(ULONG_PTR status) {
    if (status == kStatusSuccess) return 0;
    for (const Pair &p : kPairs)
        if (p.status == status) return p.error;
    if ((status & 0xF0000000) == kCustomer) return static_cast<DWORD>(status & 0x0FFFFFFF);
    return WSAEINVAL;
}

}  // namespace ws2::win32
