#include "iocp_echo_server.h"

#include <winsock2.h>
#include <windows.h>
#include <ws2tcpip.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace ws2_bench::echo {
namespace {

struct Connection {
    WSAOVERLAPPED ov{};
    SOCKET socket = INVALID_SOCKET;
    bool sending = false;
    char data[4096];
};

class Server final : public IocpEchoServer {
public:
    bool start(int workers) {
        listener_ = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int len = sizeof addr;
        if (listener_ == INVALID_SOCKET || bind(listener_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
            listen(listener_, SOMAXCONN) != 0 || getsockname(listener_, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
            return false;
        port_ = ntohs(addr.sin_port);
        port_handle_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, static_cast<DWORD>(workers));
        if (port_handle_ == nullptr) return false;
        for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
        acceptor_ = std::thread([this] { accept_loop(); });
        return true;
    }
    ~Server() override { stop(); }
    std::uint16_t port() const override { return port_; }
    void stop() override {
        if (stopped_.exchange(true)) return;
        closesocket(listener_);
        if (acceptor_.joinable()) acceptor_.join();
        for (std::size_t i = 0; i < workers_.size(); ++i) PostQueuedCompletionStatus(port_handle_, 0, 0, nullptr);
        for (auto &t : workers_) t.join();
        for (Connection *c : connections_) {
            closesocket(c->socket);
            delete c;
        }
        if (port_handle_ != nullptr) CloseHandle(port_handle_);
    }

private:
    void accept_loop() {
        for (;;) {
            SOCKET s = accept(listener_, nullptr, nullptr);
            if (s == INVALID_SOCKET) return;  // the listener was closed
            BOOL one = TRUE;
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one);
            auto *c = new Connection();
            c->socket = s;
            {
                std::lock_guard lock(mutex_);
                connections_.push_back(c);
            }
            CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), port_handle_, reinterpret_cast<ULONG_PTR>(c), 0);
            SetFileCompletionNotificationModes(reinterpret_cast<HANDLE>(s), FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
            receive(c);
        }
    }

    // Issues the next receive; with skip-on-success, whatever completes at once is echoed
    // inline until a request goes pending.
    void receive(Connection *c) {
        for (;;) {
            c->sending = false;
            WSABUF buf{sizeof c->data, c->data};
            DWORD flags = 0, bytes = 0;
            if (WSARecv(c->socket, &buf, 1, &bytes, &flags, &c->ov, nullptr) != 0) return;  // pending or failed
            if (bytes == 0 || !echo(c, bytes)) return;
        }
    }
    // Sends `bytes` back; true when the send completed at once (the caller receives next).
    bool echo(Connection *c, DWORD bytes) {
        c->sending = true;
        WSABUF buf{bytes, c->data};
        DWORD sent = 0;
        return WSASend(c->socket, &buf, 1, &sent, 0, &c->ov, nullptr) == 0;
    }

    void work() {
        for (;;) {
            DWORD bytes = 0;
            ULONG_PTR key = 0;
            LPOVERLAPPED ov = nullptr;
            BOOL ok = GetQueuedCompletionStatus(port_handle_, &bytes, &key, &ov, INFINITE);
            if (ov == nullptr) return;  // the stop packet, or the port closed
            auto *c = reinterpret_cast<Connection *>(key);
            if (!ok || (!c->sending && bytes == 0)) continue;  // the connection ended
            if (c->sending) {
                receive(c);
            } else if (echo(c, bytes)) {
                receive(c);
            }
        }
    }

    SOCKET listener_ = INVALID_SOCKET;
    HANDLE port_handle_ = nullptr;
    std::uint16_t port_ = 0;
    std::vector<std::thread> workers_;
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<Connection *> connections_;
    std::atomic<bool> stopped_{false};
};

}  // namespace

std::unique_ptr<IocpEchoServer> start_iocp_echo_server(int workers) {
    auto server = std::make_unique<Server>();
    if (!server->start(workers)) return nullptr;
    return server;
}

}  // namespace ws2_bench::echo
