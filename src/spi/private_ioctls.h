// Controls that ws2_32 sends to providers for API functions that have no entry in the
// procedure table (Winsock's own WSAPoll, for one). Vendor codes, so other providers answer
// WSAEOPNOTSUPP.
#pragma once
#include <winsock2.h>

namespace ws2::spi {

// WSAPoll: in = PollRequest; the provider fills revents in place and writes the result count.
inline constexpr DWORD kSioWs2Poll = _WSAIORW(IOC_VENDOR, 0x5750);

struct PollRequest {
    WSAPOLLFD *entries;  // ws2_32's own copy of the caller's array
    ULONG count;
    INT timeout_ms;
};

}  // namespace ws2::spi
