/* ws2: mixed-case name used by Windows code; the header is <ws2tcpip.h>. */
#include "ws2tcpip.h"
