/*
 * ws2: make Winsock's names coexist with the glibc headers that every C and C++ program pulls in.
 *
 * <stdlib.h>, <string>, <thread>... already declare glibc's `select`, `fd_set`, `struct timeval`,
 * a 64-bit `u_long` and `gethostname(char *, size_t)`. Winsock needs its own versions of all of
 * them (Windows layouts and widths). So this header first lets glibc declare its versions under
 * its include guards, then renames the Winsock ones with macros: code written for Windows sees
 * only Winsock's, and a later #include of those glibc headers is a no-op.
 *
 * Structure tags that glibc's socket headers also define (sockaddr, in_addr, addrinfo, pollfd,
 * ...) are renamed too, so that the two kinds never share a name inside one program.
 *
 * Functions that glibc declares only in socket headers (socket, bind, send, htons, ...) are not
 * renamed here: winsock2.h declares them with asm labels to ws2_-prefixed symbols instead, so the
 * library never exports a symbol that collides with glibc.
 */
#ifndef WS2_POSIX_RENAMES_H
#define WS2_POSIX_RENAMES_H

/* Keep an FD_SETSIZE that the application chose before including winsock2.h (Windows default 64). */
#if defined(FD_SETSIZE) && !defined(_SYS_SELECT_H)
#define WS2_APP_FD_SETSIZE_SET 1
#pragma push_macro("FD_SETSIZE")
#undef FD_SETSIZE
#endif

#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>

#ifdef WS2_APP_FD_SETSIZE_SET
#undef FD_SETSIZE
#pragma pop_macro("FD_SETSIZE")
#elif defined(FD_SETSIZE) && defined(__FD_SETSIZE) && (FD_SETSIZE == __FD_SETSIZE)
/* This is glibc's FD_SETSIZE, not the application's. */
#undef FD_SETSIZE
#endif

/* glibc's fd_set macros operate on its bitmap fd_set; Winsock's are defined in winsock2.h. */
#undef FD_SET
#undef FD_CLR
#undef FD_ISSET
#undef FD_ZERO
#undef timerisset
#undef timercmp
#undef timerclear

#define u_long ws2_u_long
#define timeval ws2_timeval
#define fd_set ws2_fd_set
#define select ws2_select
#define gethostname ws2_gethostname
#define socklen_t ws2_socklen_t /* Windows: int; glibc: unsigned int */

/* Structure tags that glibc's socket headers also define. Winsock's get their own names, so a
 * program (or ws2 itself) that has both kinds in different files never has two different
 * types under one name: C++ would merge their template instances (std::vector<pollfd> ...). */
#define sockaddr ws2_sockaddr
#define sockaddr_in ws2_sockaddr_in
#define sockaddr_in6 ws2_sockaddr_in6
#define sockaddr_storage ws2_sockaddr_storage
#define sockaddr_un ws2_sockaddr_un
#define in_addr ws2_in_addr
#define in6_addr ws2_in6_addr
#define linger ws2_linger
#define hostent ws2_hostent
#define servent ws2_servent
#define protoent ws2_protoent
#define netent ws2_netent
#define addrinfo ws2_addrinfo
#define pollfd ws2_pollfd
#define ip_mreq ws2_ip_mreq
#define ip_mreq_source ws2_ip_mreq_source
#define ipv6_mreq ws2_ipv6_mreq
#define in_pktinfo ws2_in_pktinfo
#define in6_pktinfo ws2_in6_pktinfo

#endif /* WS2_POSIX_RENAMES_H */
