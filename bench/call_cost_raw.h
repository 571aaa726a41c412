// See call_cost.cpp.
#pragma once

namespace ws2_bench {
// `count` sendto+recvfrom exchanges between two UDP sockets on 127.0.0.1; false on any failure.
bool raw_udp_exchanges(long count);
}  // namespace ws2_bench
