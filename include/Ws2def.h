/* ws2: mixed-case name used by Windows code; the header is <ws2def.h>. */
#include "ws2def.h"
