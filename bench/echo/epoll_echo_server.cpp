#include "epoll_echo_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>
#include <vector>

namespace ws2_bench::echo {
namespace {

class Server final : public EpollEchoServer {
public:
    explicit Server(int workers) {
        listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(listener_, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
        listen(listener_, 4096);
        socklen_t len = sizeof addr;
        getsockname(listener_, reinterpret_cast<sockaddr *>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        stop_fd_ = eventfd(0, EFD_CLOEXEC);
        for (int i = 0; i < workers; ++i) {
            int ep = epoll_create1(EPOLL_CLOEXEC);
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.fd = stop_fd_;
            epoll_ctl(ep, EPOLL_CTL_ADD, stop_fd_, &ev);
            epolls_.push_back(ep);
        }
        for (int ep : epolls_) threads_.emplace_back([this, ep] { serve(ep); });
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~Server() override { stop(); }
    std::uint16_t port() const override { return port_; }
    void stop() override {
        if (stopped_.exchange(true)) return;
        shutdown(listener_, SHUT_RDWR);
        std::uint64_t one = 1;
        ssize_t ignored = write(stop_fd_, &one, sizeof one);
        (void)ignored;
        acceptor_.join();
        for (auto &t : threads_) t.join();
        for (int ep : epolls_) close(ep);
        for (int fd : accepted_) close(fd);
        close(listener_);
        close(stop_fd_);
    }

private:
    void accept_loop() {
        std::size_t next = 0;
        for (;;) {
            int fd = accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (stopped_) return;
                continue;
            }
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            accepted_.push_back(fd);
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLET;
            ev.data.fd = fd;
            epoll_ctl(epolls_[next++ % epolls_.size()], EPOLL_CTL_ADD, fd, &ev);
        }
    }
    void serve(int ep) {
        epoll_event events[256];
        char buffer[4096];
        for (;;) {
            int n = epoll_wait(ep, events, 256, -1);
            for (int i = 0; i < n; ++i) {
                int fd = events[i].data.fd;
                if (fd == stop_fd_) return;
                for (;;) {
                    ssize_t got = recv(fd, buffer, sizeof buffer, 0);
                    if (got <= 0) break;  // EAGAIN (wait for the next edge) or closed
                    ssize_t off = 0;
                    while (off < got) {
                        ssize_t put = send(fd, buffer + off, static_cast<std::size_t>(got - off), MSG_NOSIGNAL);
                        if (put <= 0) break;
                        off += put;
                    }
                }
            }
        }
    }

    int listener_ = -1, stop_fd_ = -1;
    std::uint16_t port_ = 0;
    std::vector<int> epolls_;
    std::vector<int> accepted_;  // touched by the acceptor only, closed after it joined
    std::vector<std::thread> threads_;
    std::thread acceptor_;
    std::atomic<bool> stopped_{false};
};

}  // namespace

std::unique_ptr<EpollEchoServer> start_epoll_echo_server(int workers) {
    return std::make_unique<Server>(workers);
}

}  // namespace ws2_bench::echo
