// Windows type widths, structure layouts and constant values (DESIGN.md "Decisions", 1;
// windows-behaviour.md §5). WCHAR is 32-bit wchar_t here, a documented difference, so only
// structures holding WCHAR arrays differ in size from Windows.
#include <afunix.h>
#include <mstcpip.h>
#include <mswsock.h>
#include <winsock2.h>
#include <ws2spi.h>
#include <ws2tcpip.h>

#include <cstddef>

#include <gtest/gtest.h>

static_assert(sizeof(BYTE) == 1 && sizeof(WORD) == 2 && sizeof(DWORD) == 4);
static_assert(sizeof(LONG) == 4 && sizeof(ULONG) == 4 && sizeof(u_long) == 4);
static_assert(sizeof(BOOL) == 4 && sizeof(SOCKET) == sizeof(void *));
static_assert(sizeof(WCHAR) == sizeof(wchar_t));
static_assert(INVALID_SOCKET == ~SOCKET{0} && SOCKET_ERROR == -1);

static_assert(sizeof(GUID) == 16);
static_assert(sizeof(WSAPROTOCOLCHAIN) == 32);
static_assert(offsetof(WSAPROTOCOL_INFOW, ProviderId) == 20);
static_assert(offsetof(WSAPROTOCOL_INFOW, dwCatalogEntryId) == 36);
static_assert(offsetof(WSAPROTOCOL_INFOW, ProtocolChain) == 40);
static_assert(offsetof(WSAPROTOCOL_INFOW, iVersion) == 72);
static_assert(offsetof(WSAPROTOCOL_INFOW, iAddressFamily) == 76);
static_assert(offsetof(WSAPROTOCOL_INFOW, iSocketType) == 88);
static_assert(offsetof(WSAPROTOCOL_INFOW, iProtocol) == 92);
static_assert(offsetof(WSAPROTOCOL_INFOW, dwMessageSize) == 108);
static_assert(offsetof(WSAPROTOCOL_INFOW, szProtocol) == 116);
static_assert(offsetof(WSAPROTOCOL_INFOA, szProtocol) == 116);
static_assert(sizeof(WSAPROTOCOL_INFOA) == 372);
static_assert(sizeof(WSAPROTOCOL_INFOW) == 116 + 256 * sizeof(WCHAR));

static_assert(sizeof(WSADATA) == 408);
static_assert(offsetof(WSADATA, iMaxSockets) == 4 && offsetof(WSADATA, iMaxUdpDg) == 6);
static_assert(offsetof(WSADATA, lpVendorInfo) == 8);
static_assert(offsetof(WSADATA, szDescription) == 16 && offsetof(WSADATA, szSystemStatus) == 273);

static_assert(sizeof(sockaddr) == 16 && sizeof(sockaddr_in) == 16 && sizeof(sockaddr_in6) == 28);
static_assert(sizeof(SOCKADDR_STORAGE) == 128 && alignof(SOCKADDR_STORAGE) == 8);
static_assert(sizeof(sockaddr_un) == 110);
static_assert(sizeof(in_addr) == 4 && sizeof(in6_addr) == 16);
static_assert(sizeof(fd_set) == 8 + 64 * sizeof(SOCKET));
static_assert(sizeof(timeval) == 8);
static_assert(sizeof(linger) == 4);
static_assert(offsetof(WSABUF, len) == 0 && offsetof(WSABUF, buf) == 8);
static_assert(offsetof(addrinfo, ai_canonname) == 24 && offsetof(addrinfo, ai_addr) == 32);
static_assert(offsetof(servent, s_proto) == 16 && offsetof(servent, s_port) == 24);
static_assert(sizeof(WSPPROC_TABLE) == 30 * sizeof(void *));
static_assert(sizeof(WSPUPCALLTABLE) == 15 * sizeof(void *));

TEST(Constants, HaveWindowsValues) {
    EXPECT_EQ(AF_INET6, 23);
    EXPECT_EQ(AF_IRDA, 26);
    EXPECT_EQ(AF_BTH, 32);
    EXPECT_EQ(SOL_SOCKET, 0xffff);
    EXPECT_EQ(SO_EXCLUSIVEADDRUSE, static_cast<int>(~SO_REUSEADDR));
    EXPECT_EQ(SO_PROTOCOL_INFOA, 0x2004);
    EXPECT_EQ(SO_PROTOCOL_INFOW, 0x2005);
    EXPECT_EQ(SO_OPENTYPE, 0x7008);
    EXPECT_EQ(IPV6_V6ONLY, 27);
    EXPECT_EQ(static_cast<DWORD>(FIONBIO), 0x8004667Eu);
    EXPECT_EQ(static_cast<DWORD>(FIONREAD), 0x4004667Fu);
    EXPECT_EQ(static_cast<DWORD>(SIOCATMARK), 0x40047307u);
    EXPECT_EQ(static_cast<DWORD>(SIO_GET_EXTENSION_FUNCTION_POINTER), 0xC8000006u);
    EXPECT_EQ(static_cast<DWORD>(SIO_KEEPALIVE_VALS), 0x98000004u);
    EXPECT_EQ(static_cast<DWORD>(SIO_UDP_CONNRESET), 0x9800000Cu);
    EXPECT_EQ(static_cast<DWORD>(SIO_BASE_HANDLE), 0x48000022u);
    EXPECT_EQ(POLLIN, 0x300);
    EXPECT_EQ(WSAEPROVIDERFAILEDINIT, 10106);
    EXPECT_EQ(WSANOTINITIALISED, 10093);
    EXPECT_EQ(WSA_FLAG_NO_HANDLE_INHERIT, 0x80);
    EXPECT_EQ(FD_SETSIZE, 64);
}
