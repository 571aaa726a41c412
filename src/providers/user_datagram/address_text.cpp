// WSAAddressToString / WSAStringToAddress for AF_UDGRAM: the text form of an address is its
// port in decimal ("49152"). A buffer too short for the text (or the structure) is WSAEFAULT
// with the needed length written back; another family or text that is not a port is WSAEINVAL.
#include <string>

#include "procedures.h"
#include "provider_state.h"
#include "user_memory.h"

namespace udgram {
namespace {

constexpr std::size_t kMaxText = 64;  // longer text cannot be a port

USHORT swap_to_host(USHORT network) {
    const USHORT one = 1;
    bool little = *reinterpret_cast<const unsigned char *>(&one) == 1;
    return little ? static_cast<USHORT>((network >> 8) | (network << 8)) : network;
}

}  // namespace

INT WSPAPI WSPAddressToString(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOW,
                              LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength, LPINT lpErrno) {
    SOCKADDR_UDGRAM address;
    if (lpsaAddress == nullptr || dwAddressLength < sizeof address || !read_user(&address, lpsaAddress, sizeof address))
        return fail(lpErrno, WSAEFAULT);
    if (address.sudg_family != AF_UDGRAM) return fail(lpErrno, WSAEINVAL);
    std::wstring text = std::to_wstring(swap_to_host(address.sudg_port));
    DWORD needed = static_cast<DWORD>(text.size() + 1);
    DWORD capacity = 0;
    if (lpdwAddressStringLength == nullptr || !read_user_value(&capacity, lpdwAddressStringLength))
        return fail(lpErrno, WSAEFAULT);
    if (lpszAddressString == nullptr || capacity < needed) {
        write_user_value(lpdwAddressStringLength, needed);
        return fail(lpErrno, WSAEFAULT);
    }
    if (!write_user(lpszAddressString, text.c_str(), needed * sizeof(WCHAR)) ||
        !write_user_value(lpdwAddressStringLength, needed))
        return fail(lpErrno, WSAEFAULT);
    return 0;
}

INT WSPAPI WSPStringToAddress(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW,
                              LPSOCKADDR lpAddress, LPINT lpAddressLength, LPINT lpErrno) {
    if (AddressFamily != AF_UDGRAM) return fail(lpErrno, WSAEINVAL);
    INT capacity = 0;
    if (lpAddressLength == nullptr || !read_user_value(&capacity, lpAddressLength))
        return fail(lpErrno, WSAEFAULT);
    if (lpAddress == nullptr || capacity < static_cast<INT>(sizeof(SOCKADDR_UDGRAM))) {
        write_user_value(lpAddressLength, static_cast<INT>(sizeof(SOCKADDR_UDGRAM)));
        return fail(lpErrno, WSAEFAULT);
    }
    if (AddressString == nullptr) return fail(lpErrno, WSAEINVAL);
    unsigned long port = 0;
    std::size_t digits = 0;
    for (;; ++digits) {
        WCHAR c;
        if (digits > kMaxText || !read_user_value(&c, AddressString + digits)) return fail(lpErrno, WSAEINVAL);
        if (c == L'\0') break;
        if (c < L'0' || c > L'9') return fail(lpErrno, WSAEINVAL);
        port = port * 10 + static_cast<unsigned long>(c - L'0');
        if (port > 65535) return fail(lpErrno, WSAEINVAL);
    }
    if (digits == 0) return fail(lpErrno, WSAEINVAL);
    SOCKADDR_UDGRAM address{};
    address.sudg_family = AF_UDGRAM;
    address.sudg_port = swap_to_host(static_cast<USHORT>(port));  // the same swap both ways
    if (!write_user(lpAddress, &address, sizeof address) ||
        !write_user_value(lpAddressLength, static_cast<INT>(sizeof address)))
        return fail(lpErrno, WSAEFAULT);
    return 0;
}

}  // namespace udgram
