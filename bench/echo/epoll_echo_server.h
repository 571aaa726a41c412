// The echo server written directly on Linux epoll: `workers` threads, each with its own epoll
// set; an acceptor hands new connections round-robin. Edge-triggered, non-blocking, read until
// EAGAIN and write the same bytes back. Linux side: no Windows headers.
#pragma once
#include <cstdint>
#include <memory>

namespace ws2_bench::echo {

class EpollEchoServer {
public:
    virtual ~EpollEchoServer() = default;
    virtual std::uint16_t port() const = 0;
    virtual void stop() = 0;
};

std::unique_ptr<EpollEchoServer> start_epoll_echo_server(int workers);

}  // namespace ws2_bench::echo
