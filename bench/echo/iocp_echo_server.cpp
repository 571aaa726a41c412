#include "iocp_echo_server.h"

#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
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
    bool accepting = false;  // an AcceptEx into this socket is pending
    bool sending = false;
    char data[4096];
};

constexpr int kAcceptsPending = 32;  // AcceptEx requests kept posted on the listener
constexpr ULONG_PTR kListenerKey = 1;

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
        GUID accept_ex_id = WSAID_ACCEPTEX;
        DWORD returned = 0;
        if (WSAIoctl(listener_, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_ex_id, sizeof accept_ex_id,
                     &accept_ex_, sizeof accept_ex_, &returned, nullptr, nullptr) != 0)
            return false;
        port_handle_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, static_cast<DWORD>(workers));
        if (port_handle_ == nullptr ||
            CreateIoCompletionPort(reinterpret_cast<HANDLE>(listener_), port_handle_, kListenerKey, 0) != port_handle_)
            return false;
        for (int i = 0; i < kAcceptsPending; ++i)
            if (!post_accept(new_connection())) return false;
        for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
        return true;
    }
    ~Server() override { stop(); }
    std::uint16_t port() const override { return port_; }
    void stop() override {
        if (stopped_.exchange(true)) return;
        for (std::size_t i = 0; i < workers_.size(); ++i) PostQueuedCompletionStatus(port_handle_, 0, 0, nullptr);
        for (auto &t : workers_) t.join();
        closesocket(listener_);
        for (Connection *c : connections_) closesocket(c->socket);
        // As on Windows, an OVERLAPPED may be freed only after its request has completed: take
        // the aborted requests' packets until the port stays quiet.
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED ov;
        while (GetQueuedCompletionStatus(port_handle_, &bytes, &key, &ov, 200) || ov != nullptr) {
        }
        CloseHandle(port_handle_);
        for (Connection *c : connections_) delete c;
    }

private:
    Connection *new_connection() {
        auto *c = new Connection();
        c->socket = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
        std::lock_guard lock(mutex_);
        connections_.push_back(c);
        return c;
    }
    // AcceptEx with no receive data: the connection completes on the port at once.
    bool post_accept(Connection *c) {
        c->accepting = true;
        DWORD bytes = 0;
        constexpr DWORD kAddress = sizeof(sockaddr_in) + 16;
        if (accept_ex_(listener_, c->socket, c->data, 0, kAddress, kAddress, &bytes, &c->ov)) return true;
        return WSAGetLastError() == WSA_IO_PENDING;
    }
    // A connection arrived on c: make it a full socket on the port and start echoing; keep one
    // more AcceptEx posted in its place.
    void accepted(Connection *c) {
        c->accepting = false;
        setsockopt(c->socket, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, reinterpret_cast<const char *>(&listener_),
                   sizeof listener_);
        BOOL one = TRUE;
        setsockopt(c->socket, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one);
        CreateIoCompletionPort(reinterpret_cast<HANDLE>(c->socket), port_handle_, reinterpret_cast<ULONG_PTR>(c), 0);
        SetFileCompletionNotificationModes(reinterpret_cast<HANDLE>(c->socket), FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
        if (!stopped_) post_accept(new_connection());
        receive(c);
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
            if (key == kListenerKey) {
                auto *c = reinterpret_cast<Connection *>(ov);  // ov is the first member
                if (ok) accepted(c);
                continue;
            }
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
    LPFN_ACCEPTEX accept_ex_ = nullptr;
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
