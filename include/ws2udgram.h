/*
 * ws2: the user-space datagram transport shipped with ws2 (libws2_user_datagram.so).
 * Datagrams travel between sockets of one process through in-memory queues; sockets are
 * non-IFS handles made by WPUCreateSocketHandle.
 *
 * Its address family, AF_UDGRAM, is a number Windows does not assign: Windows' families stop
 * at AF_HYPERV (34) with AF_MAX 35, and ADDRESS_FAMILY is 16 bits, so 0x5755 ("WU") sits far
 * above anything Windows uses or is likely to add, and still fits every sockaddr.
 */
#ifndef WS2_WS2UDGRAM_H
#define WS2_WS2UDGRAM_H

#include "winsock2.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AF_UDGRAM 0x5755
#define PF_UDGRAM AF_UDGRAM

/* The one protocol of the family (protocol 0 selects it too). */
#define UDGRAMPROTO_DATAGRAM 1

/* The largest datagram sendto accepts (larger: WSAEMSGSIZE), as UDP over IPv4. */
#define UDGRAM_MAX_MESSAGE 65507

/* The default receive queue limit in bytes (SO_RCVBUF); a datagram that does not fit is
   dropped, as UDP drops datagrams that find a full receive buffer. */
#define UDGRAM_DEFAULT_RCVBUF 65536

/* A socket address: the family and a port in network byte order, padded to 16 bytes like
   SOCKADDR_IN so that it fits every buffer sized for a SOCKADDR. Port 0 in bind asks for an
   ephemeral port (49152-65535). */
typedef struct sockaddr_udgram {
    ADDRESS_FAMILY sudg_family;
    USHORT sudg_port;
    CHAR sudg_zero[12];
} SOCKADDR_UDGRAM, *PSOCKADDR_UDGRAM, *LPSOCKADDR_UDGRAM;

/* The provider's fixed ProviderId: {57533255-4447-5241-8d00-7773325f7564}. */
#define WS2_UDGRAM_PROVIDER_ID_INIT                                                          \
    { 0x57533255, 0x4447, 0x5241, { 0x8d, 0x00, 0x77, 0x73, 0x32, 0x5f, 0x75, 0x64 } }

/* Text of the catalog entry's szProtocol. */
#define WS2_UDGRAM_PROTOCOL_NAME L"ws2 user-space datagram"

/* The file name of the provider library (installed in <libdir>/ws2/). */
#define WS2_UDGRAM_LIBRARY_NAME "libws2_user_datagram.so"

/* Diagnostics exported by the provider library next to WSPStartup (look it up with dlsym):
   how often WSPStartup and WSPCleanup succeeded, the per-process reference count, how many
   socket objects exist, and how many calls are waiting (blocked receives, select, WSAPoll). */
typedef struct udgram_statistics {
    LONG startups;
    LONG cleanups;
    LONG references;
    LONG live_sockets;
    LONG waiting_calls;
} UDGRAM_STATISTICS;
typedef void(WSAAPI *LPFN_UDGRAM_STATISTICS)(UDGRAM_STATISTICS *statistics);
#define UDGRAM_STATISTICS_EXPORT "UdgramProviderStatistics"

#ifdef __cplusplus
}
#endif

#endif /* WS2_WS2UDGRAM_H */
