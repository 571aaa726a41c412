// WSAPROTOCOL_INFOA <-> WSAPROTOCOL_INFOW. The two are identical up to szProtocol; the name is
// converted between WCHAR and the A functions' narrow encoding (UTF-8).
#pragma once
#include <winsock2.h>

namespace ws2::api {

// False when the narrow name is not valid text (the A functions then report WSAEINVAL).
bool protocol_info_to_wide(const WSAPROTOCOL_INFOA &in, WSAPROTOCOL_INFOW *out);
void protocol_info_to_ansi(const WSAPROTOCOL_INFOW &in, WSAPROTOCOL_INFOA *out);

// Copies a caller's WSAPROTOCOL_INFOA in and converts it: 0, WSAEFAULT (inaccessible) or
// WSAEINVAL (a name that is not valid text), as the A functions report them.
int read_protocol_info_a(const WSAPROTOCOL_INFOA *user, WSAPROTOCOL_INFOW *out);

}  // namespace ws2::api
