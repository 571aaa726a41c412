/* ws2: mixed-case name used by Windows code; the header is <mswsock.h>. */
#include "mswsock.h"
