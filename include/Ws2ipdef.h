/* ws2: mixed-case name used by Windows code; the header is <ws2ipdef.h>. */
#include "ws2ipdef.h"
