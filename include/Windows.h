/* ws2: mixed-case name used by Windows code; the header is <windows.h>. */
#include "windows.h"
