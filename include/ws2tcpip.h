/*
 * ws2: TCP/IP-specific Winsock 2 definitions (IP options, name resolution, address text).
 * POSIX-named functions are bound to ws2_-prefixed symbols (see winsock2.h).
 */
#ifndef WS2_WS2TCPIP_H
#define WS2_WS2TCPIP_H

#include "winsock2.h"
#include "ws2ipdef.h"

#ifdef __cplusplus
extern "C" {
#endif

/* getaddrinfo errors are Winsock error codes. */
#define EAI_AGAIN WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL WSANO_RECOVERY
#define EAI_FAMILY WSAEAFNOSUPPORT
#define EAI_MEMORY WSA_NOT_ENOUGH_MEMORY
#define EAI_NOSECURENAME WSA_SECURE_HOST_NOT_FOUND
#define EAI_NODATA WSANO_DATA
#define EAI_NONAME WSAHOST_NOT_FOUND
#define EAI_SERVICE WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#define EAI_IPSECPOLICY WSA_IPSEC_NAME_POLICY_ERROR

typedef int socklen_t;
typedef ADDRINFOA ADDRINFO, *LPADDRINFO;

INT WSAAPI getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
                       PADDRINFOA *ppResult) WS2_ASM(ws2_getaddrinfo);
INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints,
                        PADDRINFOW *ppResult);
VOID WSAAPI freeaddrinfo(PADDRINFOA pAddrInfo) WS2_ASM(ws2_freeaddrinfo);
VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo);
INT WSAAPI getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer,
                       DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize,
                       INT Flags) WS2_ASM(ws2_getnameinfo);
INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PWCHAR pNodeBuffer,
                        DWORD NodeBufferSize, PWCHAR pServiceBuffer, DWORD ServiceBufferSize,
                        INT Flags);
INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf) WS2_ASM(ws2_inet_pton);
INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf);
PCSTR WSAAPI inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize)
    WS2_ASM(ws2_inet_ntop);
PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf, size_t StringBufSize);
char *WSAAPI gai_strerrorA(int ecode);
WCHAR *WSAAPI gai_strerrorW(int ecode);

#ifdef UNICODE
#define GetAddrInfo GetAddrInfoW
#define FreeAddrInfo FreeAddrInfoW
#define GetNameInfo GetNameInfoW
#define InetPton InetPtonW
#define InetNtop InetNtopW
#define gai_strerror gai_strerrorW
typedef ADDRINFOW ADDRINFOT, *PADDRINFOT;
#else
#define GetAddrInfoA getaddrinfo
#define GetAddrInfo getaddrinfo
#define FreeAddrInfo freeaddrinfo
#define GetNameInfo getnameinfo
#define InetPton inet_pton
#define InetNtop inet_ntop
#define gai_strerror gai_strerrorA
typedef ADDRINFOA ADDRINFOT, *PADDRINFOT;
#endif
#define InetPtonA inet_pton
#define InetNtopA inet_ntop

#ifdef __cplusplus
}
#endif

#endif /* WS2_WS2TCPIP_H */
