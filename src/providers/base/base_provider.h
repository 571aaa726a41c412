// The built-in base transport provider: Windows' MSAFD TCP/IP and AF_UNIX providers over Linux
// kernel sockets. A socket of this provider is its Linux descriptor (an IFS handle). ws2_32
// reaches it only through the procedure table its WSPStartup fills, like any other provider.
#pragma once
#include <ws2spi.h>

namespace ws2::base {

inline constexpr GUID kTcpipV4ProviderId = {0xE70F1AA0, 0xAB8B, 0x11CF, {0x8C, 0xA3, 0x00, 0x80, 0x5F, 0x48, 0xA1, 0x92}};
inline constexpr GUID kTcpipV6ProviderId = {0xF9EAB0C0, 0x26D4, 0x11D0, {0xBB, 0xBF, 0x00, 0xAA, 0x00, 0x6C, 0x34, 0xE4}};
inline constexpr GUID kAfUnixProviderId = {0xA00943D9, 0x9C2E, 0x4633, {0x9B, 0x59, 0x00, 0x57, 0xA3, 0x16, 0x09, 0x94}};

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData,
                      LPWSAPROTOCOL_INFOW lpProtocolInfo, WSPUPCALLTABLE UpcallTable,
                      LPWSPPROC_TABLE lpProcTable);

}  // namespace ws2::base
