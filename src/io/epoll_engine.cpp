// The epoll engine: every descriptor with overlapped requests is registered edge-triggered
// once; a request that would block waits at the head of its queue until the reaper thread sees
// the descriptor ready and drives the queue again. Used where io_uring is unavailable, or with
// WS2_IO_ENGINE=epoll.
#include <sys/epoll.h>
#include <unistd.h>

#include <thread>

#include "io/engines.h"
#include "io/queued_engine.h"

namespace ws2::io {
namespace {

class EpollEngine final : public QueuedEngine {
public:
    explicit EpollEngine(int epfd) : epfd_(epfd) {
        std::thread([this] { reap(); }).detach();
    }
    const char *name() const override { return "epoll"; }

private:
    void on_new_queue(FdQueue &q) override {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.fd = q.fd;
        epoll_ctl(epfd_, EPOLL_CTL_ADD, q.fd, &ev);
    }
    void on_forget(FdQueue &q) override { epoll_ctl(epfd_, EPOLL_CTL_DEL, q.fd, nullptr); }

    void reap() {
        epoll_event events[64];
        for (;;) {
            int n = epoll_wait(epfd_, events, 64, -1);
            for (int i = 0; i < n; ++i) {
                // By number, not pointer: a stale event for a reused number only costs an attempt.
                std::shared_ptr<FdQueue> q = queue_of(events[i].data.fd);
                if (!q) continue;
                std::uint32_t e = events[i].events;
                if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                    drive(q, static_cast<int>(Request::Kind::kReceive));
                if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR)) drive(q, static_cast<int>(Request::Kind::kSend));
            }
        }
    }

    int epfd_;
};

}  // namespace

Engine *make_epoll_engine() {
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) return nullptr;
    return new EpollEngine(epfd);
}

}  // namespace ws2::io
