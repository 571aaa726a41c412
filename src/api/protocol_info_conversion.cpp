#include "api/protocol_info_conversion.h"

#include <cstddef>
#include <cstring>
#include <cwchar>
#include <string>

#include "win32/user_memory.h"
#include "win32/wide_string.h"

namespace ws2::api {

static_assert(offsetof(WSAPROTOCOL_INFOA, szProtocol) == offsetof(WSAPROTOCOL_INFOW, szProtocol));
constexpr std::size_t kFixedPart = offsetof(WSAPROTOCOL_INFOW, szProtocol);

bool protocol_info_to_wide(const WSAPROTOCOL_INFOA &in, WSAPROTOCOL_INFOW *out) {
    std::memcpy(out, &in, kFixedPart);
    std::size_t n = strnlen(in.szProtocol, WSAPROTOCOL_LEN + 1);
    auto name = win32::from_utf8(std::string_view(in.szProtocol, n));
    if (!name) return false;
    std::wmemset(out->szProtocol, 0, WSAPROTOCOL_LEN + 1);
    std::wcsncpy(out->szProtocol, name->c_str(), WSAPROTOCOL_LEN);
    return true;
}

void protocol_info_to_ansi(const WSAPROTOCOL_INFOW &in, WSAPROTOCOL_INFOA *out) {
    std::memcpy(out, &in, kFixedPart);
    std::size_t n = wcsnlen(in.szProtocol, WSAPROTOCOL_LEN + 1);
    std::string name = win32::to_utf8(std::wstring_view(in.szProtocol, n));
    // Truncate on a character boundary so the name stays valid UTF-8.
    std::size_t len = name.size();
    if (len > WSAPROTOCOL_LEN) {
        len = WSAPROTOCOL_LEN;
        while (len > 0 && (static_cast<unsigned char>(name[len]) & 0xC0) == 0x80) --len;
    }
    std::memset(out->szProtocol, 0, sizeof out->szProtocol);
    std::memcpy(out->szProtocol, name.data(), len);
}

int read_protocol_info_a(const WSAPROTOCOL_INFOA *user, WSAPROTOCOL_INFOW *out) {
    WSAPROTOCOL_INFOA narrow;
    if (!win32::read_user_value(&narrow, user)) return WSAEFAULT;
    return protocol_info_to_wide(narrow, out) ? 0 : WSAEINVAL;
}

}  // namespace ws2::api
