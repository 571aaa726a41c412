// Data-path baselines that use the Linux socket API directly, and the Linux-side helpers the
// Winsock benchmarks fall back to.
//
// Declared here and defined in raw_linux_data_path.cpp, which includes the glibc socket headers.
// This header must stay free of both <sys/socket.h> and <winsock2.h>, so it can be included by
// data_path_bench.cpp (the Winsock side) without mixing the two APIs in one translation unit.
#pragma once

#include <benchmark/benchmark.h>

#include <string>

namespace ws2_bench {

// UDP ping-pong over 127.0.0.1 with Linux sendto/recvfrom: one round trip per iteration.
void BM_raw_udp_ping_pong_1(benchmark::State &state);   // 1-byte datagrams
void BM_raw_udp_ping_pong_64(benchmark::State &state);  // 64-byte datagrams
// TCP ping-pong over 127.0.0.1 (TCP_NODELAY) with Linux send/recv: one 1-byte round trip.
void BM_raw_tcp_ping_pong_1(benchmark::State &state);
// TCP stream over 127.0.0.1: one 64 KiB send() per iteration, drained by a receiver thread.
void BM_raw_tcp_stream_64k(benchmark::State &state);

// setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1) on a Linux descriptor (a ws2 SOCKET is one).
// False, with *error set, on failure.
bool raw_set_tcp_nodelay(int fd, std::string *error);

}  // namespace ws2_bench
