// The engine implementations; nullptr when the kernel refuses what one needs.
#pragma once
#include "io/io_engine.h"

namespace ws2::io {

Engine *make_uring_engine();
Engine *make_epoll_engine();

}  // namespace ws2::io
