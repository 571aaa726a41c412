// The load both echo servers get (Linux side, no Windows headers): `connections` TCP
// connections to 127.0.0.1:port, each sending a `payload`-byte request and waiting for the whole
// echo before the next (closed loop), driven from one epoll thread for `seconds`.
#pragma once
#include <cstdint>
#include <string>

namespace ws2_bench::echo {

struct LoadResult {
    std::uint64_t requests = 0;
    double seconds = 0;
    double requests_per_second = 0;
    double p50_us = 0, p99_us = 0;
    std::string error;  // non-empty: the run failed
};

LoadResult run_load(std::uint16_t port, int connections, double seconds, int payload);

}  // namespace ws2_bench::echo

namespace ws2_bench::echo {
// Raises the descriptor limit to the hard limit (1,000 connections need two descriptors each).
void raise_descriptor_limit();
}  // namespace ws2_bench::echo
