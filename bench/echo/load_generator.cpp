#include "load_generator.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

namespace ws2_bench::echo {
namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
    int fd = -1;
    int sent = 0, received = 0;
    Clock::time_point started;
};

}  // namespace

LoadResult run_load(std::uint16_t port, int connections, double seconds, int payload) {
    LoadResult result;
    std::vector<Connection> conns(static_cast<std::size_t>(connections));
    std::vector<char> request(static_cast<std::size_t>(payload), 'q');
    std::vector<char> sink(65536);
    std::vector<double> latencies;
    latencies.reserve(1 << 20);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (std::size_t i = 0; i < conns.size(); ++i) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
            result.error = std::string("connect: ") + std::strerror(errno);
            close(fd);
            for (auto &c : conns) if (c.fd >= 0) close(c.fd);
            close(ep);
            return result;
        }
        fcntl(fd, F_SETFL, O_NONBLOCK);
        conns[i].fd = fd;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    auto send_request = [&](Connection &c) {
        c.started = Clock::now();
        c.received = 0;
        ssize_t n = send(c.fd, request.data(), request.size(), MSG_NOSIGNAL);
        c.sent = static_cast<int>(n);
        return n == static_cast<ssize_t>(request.size());
    };
    for (auto &c : conns)
        if (!send_request(c)) result.error = "first request could not be sent";

    const auto begin = Clock::now();
    const auto end = begin + std::chrono::duration<double>(seconds);
    epoll_event events[256];
    while (result.error.empty()) {
        auto now = Clock::now();
        if (now >= end) break;
        int timeout = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(end - now).count()) + 1;
        int n = epoll_wait(ep, events, 256, timeout);
        for (int i = 0; i < n; ++i) {
            Connection &c = conns[events[i].data.u64];
            for (;;) {
                ssize_t got = recv(c.fd, sink.data(), sink.size(), 0);
                if (got > 0) {
                    c.received += static_cast<int>(got);
                    continue;
                }
                if (got == 0) result.error = "server closed a connection";
                else if (errno != EAGAIN) result.error = std::string("recv: ") + std::strerror(errno);
                break;
            }
            if (c.received >= payload) {
                auto done = Clock::now();
                latencies.push_back(std::chrono::duration<double, std::micro>(done - c.started).count());
                if (done < end && !send_request(c)) result.error = "request could not be sent";
            }
        }
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    for (auto &c : conns) close(c.fd);
    close(ep);
    result.requests = latencies.size();
    result.requests_per_second = static_cast<double>(result.requests) / result.seconds;
    if (!latencies.empty()) {
        std::sort(latencies.begin(), latencies.end());
        result.p50_us = latencies[latencies.size() / 2];
        result.p99_us = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
    }
    return result;
}

}  // namespace ws2_bench::echo

#include <sys/resource.h>

namespace ws2_bench::echo {
void raise_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}
}  // namespace ws2_bench::echo
