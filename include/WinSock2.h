/* ws2: mixed-case name used by Windows code; the header is <winsock2.h>. */
#include "winsock2.h"
