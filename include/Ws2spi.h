/* ws2: mixed-case name used by Windows code; the header is <ws2spi.h>. */
#include "ws2spi.h"
