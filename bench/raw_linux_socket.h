// Baseline benchmarks that use the Linux socket API directly.
//
// Declared here and defined in raw_linux_socket.cpp, which includes the glibc socket headers.
// This header must stay free of both <sys/socket.h> and <winsock2.h>, so it can be included by
// socket_create_bench.cpp (the Winsock side) without mixing the two APIs in one translation unit.
#pragma once

#include <benchmark/benchmark.h>

namespace ws2_bench {

// Linux socket(AF_INET, SOCK_STREAM, 0) + close() per iteration.
void BM_raw_socket_close_tcp(benchmark::State &state);
// Linux socket(AF_INET, SOCK_DGRAM, 0) + close() per iteration.
void BM_raw_socket_close_udp(benchmark::State &state);

}  // namespace ws2_bench
