// The address areas AcceptEx writes after the received data, and GetAcceptExSockaddrs, which
// reads them back. Each area (the caller's dwLocalAddressLength / dwRemoteAddressLength bytes,
// at least 16 more than the transport's largest address) holds the address's length as a
// 32-bit int, then the sockaddr itself at the next 8-byte boundary (programs read the fields
// of the sockaddr_in they get back); programs reach them only through GetAcceptExSockaddrs,
// which returns pointers into the caller's buffer.
#include <cstdint>
#include <cstring>

#include "providers/base/base_extensions.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

constexpr DWORD kLengthSize = sizeof(std::int32_t);

// Where the sockaddr starts in an area: after the length, 8-byte aligned (4 to 11 bytes in).
DWORD address_offset(const char *area) {
    auto at = reinterpret_cast<std::uintptr_t>(area) + kLengthSize;
    return static_cast<DWORD>(((at + 7) & ~std::uintptr_t{7}) - reinterpret_cast<std::uintptr_t>(area));
}

// Reads one area: the pointer and length of the address inside it, or false.
bool read_area(char *area, DWORD capacity, sockaddr **address, LPINT length) {
    std::int32_t stored = 0;
    DWORD offset = address_offset(area);
    if (capacity < offset || !win32::read_user(&stored, area, sizeof stored)) return false;
    if (stored < 0 || static_cast<DWORD>(stored) > capacity - offset) return false;
    win32::write_user_value(address, reinterpret_cast<sockaddr *>(area + offset));
    win32::write_user_value(length, static_cast<INT>(stored));
    return true;
}

}  // namespace

void write_accept_addresses(char *area, DWORD length, const void *address, int address_length) {
    DWORD offset = address_offset(area);
    if (length < offset + static_cast<DWORD>(address_length)) return;
    std::int32_t stored = address_length;
    win32::write_user(area, &stored, sizeof stored);
    win32::write_user(area + offset, address, static_cast<std::size_t>(address_length));
}

VOID PASCAL get_accept_ex_sockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                    DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                    sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
                                    sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength) {
    // No error is reported (the function returns nothing): a missing or malformed area leaves
    // its outputs untouched, as Windows does for a zero-length local area.
    if (lpOutputBuffer == nullptr) return;
    char *areas = static_cast<char *>(lpOutputBuffer) + dwReceiveDataLength;
    if (dwLocalAddressLength > 0) read_area(areas, dwLocalAddressLength, LocalSockaddr, LocalSockaddrLength);
    read_area(areas + dwLocalAddressLength, dwRemoteAddressLength, RemoteSockaddr, RemoteSockaddrLength);
}

}  // namespace ws2::base
