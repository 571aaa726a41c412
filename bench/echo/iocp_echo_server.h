// The echo server written the Windows way: a completion port, AcceptEx requests kept posted on
// the listener, overlapped WSARecv/WSASend on every connection, `workers` threads in
// GetQueuedCompletionStatus, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS so a request that completes at
// once is handled inline (what high-performance Windows servers do). Windows side only.
#pragma once
#include <cstdint>
#include <memory>

namespace ws2_bench::echo {

class IocpEchoServer {
public:
    virtual ~IocpEchoServer() = default;
    virtual std::uint16_t port() const = 0;
    virtual void stop() = 0;
};

// nullptr when the server cannot start (WSAStartup must have succeeded).
std::unique_ptr<IocpEchoServer> start_iocp_echo_server(int workers);

}  // namespace ws2_bench::echo
