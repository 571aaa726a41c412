// The io_uring engine: a request that would block goes to the kernel as one IORING_OP_SENDMSG /
// IORING_OP_RECVMSG / IORING_OP_ACCEPT (the kernel waits for readiness and does the work itself, into the
// caller's buffers: no extra copy); a reaper thread takes completions in batches.
#include <liburing.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <mutex>
#include <thread>

#include "io/engines.h"
#include "io/queued_engine.h"

namespace ws2::io {
namespace {

constexpr unsigned kRingEntries = 1024;

class UringEngine final : public QueuedEngine {
public:
    UringEngine() = default;
    bool init() {
        if (io_uring_queue_init(kRingEntries, &ring_, 0) != 0) return false;
        std::thread([this] { reap(); }).detach();
        return true;
    }
    const char *name() const override { return "io_uring"; }

private:
    io_uring_sqe *sqe_locked() {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        while (sqe == nullptr) {  // the submission ring is full: hand it over and retry
            io_uring_submit(&ring_);
            sqe = io_uring_get_sqe(&ring_);
        }
        return sqe;
    }

    bool launch(Request *r) override {
        std::lock_guard lock(submit_mutex_);
        io_uring_sqe *sqe = sqe_locked();
        auto *message = reinterpret_cast<msghdr *>(r->kernel_message);
        switch (r->kind) {
            case Request::Kind::kSend:
                io_uring_prep_sendmsg(sqe, r->fd, message, static_cast<unsigned>(r->flags | MSG_NOSIGNAL));
                break;
            case Request::Kind::kReceive:
                io_uring_prep_recvmsg(sqe, r->fd, message, static_cast<unsigned>(r->flags));
                break;
            case Request::Kind::kAccept:
                if (!r->wait_only) {
                    r->address_length = sizeof r->address;
                    io_uring_prep_accept(sqe, r->fd, reinterpret_cast<sockaddr *>(r->address),
                                         reinterpret_cast<socklen_t *>(&r->address_length), SOCK_CLOEXEC);
                    break;
                }
                io_uring_prep_poll_add(sqe, r->fd, POLLIN);
                r->kernel_poll = true;
                break;
            case Request::Kind::kConnect:
                // The immediate attempt already started the connection (IORING_OP_CONNECT would
                // now report EALREADY): wait for writability, then read SO_ERROR.
                io_uring_prep_poll_add(sqe, r->fd, POLLOUT);
                r->kernel_poll = true;
                break;
        }
        io_uring_sqe_set_data(sqe, r);
        io_uring_submit(&ring_);
        return true;
    }

    void cancel_in_kernel(Request *r) override {
        std::lock_guard lock(submit_mutex_);
        io_uring_sqe *sqe = sqe_locked();
        io_uring_prep_cancel(sqe, r, 0);
        io_uring_sqe_set_data(sqe, nullptr);  // the cancel's own completion carries no request
        io_uring_submit(&ring_);
    }

    void reap() {
        for (;;) {
            io_uring_cqe *cqe = nullptr;
            if (io_uring_wait_cqe(&ring_, &cqe) != 0) continue;
            // Every request whose completion is in the ring was submitted under this mutex:
            // taking it once orders those submissions (and what they wrote into their requests)
            // before the settling below, in a way ThreadSanitizer can follow too.
            { std::lock_guard lock(submit_mutex_); }
            // Take the whole batch out of the ring first, then settle (settling may submit).
            Request *done[256];
            long results[256];
            unsigned n = 0, head;
            io_uring_for_each_cqe(&ring_, head, cqe) {
                if (n == 256) break;
                auto *r = static_cast<Request *>(io_uring_cqe_get_data(cqe));
                if (r != nullptr) {
                    done[n] = r;
                    results[n++] = cqe->res;
                }
                io_uring_cq_advance(&ring_, 1);
            }
            for (unsigned i = 0; i < n; ++i) settle(done[i], results[i]);
        }
    }

    io_uring ring_{};
    std::mutex submit_mutex_;
};

}  // namespace

Engine *make_uring_engine() {
    auto *engine = new UringEngine();
    if (!engine->init()) {
        delete engine;
        return nullptr;
    }
    return engine;
}

}  // namespace ws2::io
