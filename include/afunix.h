/* ws2: AF_UNIX socket addresses (afunix.h), Windows layout: a 108-byte path after the family. */
#ifndef WS2_AFUNIX_H
#define WS2_AFUNIX_H

#include "winsock2.h"

#define UNIX_PATH_MAX 108

typedef struct sockaddr_un {
    ADDRESS_FAMILY sun_family;
    char sun_path[UNIX_PATH_MAX];
} SOCKADDR_UN, *PSOCKADDR_UN;

#define SIO_AF_UNIX_GETPEERPID _WSAIOR(IOC_VENDOR, 256)

#endif /* WS2_AFUNIX_H */
