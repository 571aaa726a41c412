// Windows' readiness rules for a socket, from what poll(2) reported: shared by select and
// WSAPoll.
#pragma once
#include "providers/base/base_state.h"

namespace ws2::base {

struct Verdict {
    bool read = false, write = false, except = false;
    bool closed = false;  // the socket was closed while the caller waited
    bool hang_up = false, error = false;
};

// `ready` holds kernel::Readiness bits. Updates the socket's connect state as a side effect
// (a finished or failed non-blocking connect).
Verdict judge(SOCKET s, unsigned ready);

}  // namespace ws2::base
