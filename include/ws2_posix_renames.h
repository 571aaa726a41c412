/*
 * ws2: make Winsock's names coexist with the glibc headers that every C and C++ program pulls in.
 *
 * <stdlib.h>, <string>, <thread>... already declare glibc's `select`, `fd_set`, `struct timeval`,
 * a 64-bit `u_long` and `gethostname(char *, size_t)`. Winsock needs its own versions of all of
 * them (Windows layouts and widths). So this header first lets glibc declare its versions under
 * its include guards, then renames the Winsock ones with macros: code written for Windows sees
 * only Winsock's, and a later #include of those glibc headers is a no-op.
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

#endif /* WS2_POSIX_RENAMES_H */
