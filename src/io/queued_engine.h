// What both engines share: the per-descriptor queues, the immediate attempt, completion in
// order, cancellation. A subclass says how a request that would block waits for the kernel.
#pragma once
#include "io/fd_queues.h"
#include "io/io_engine.h"

namespace ws2::io {

class QueuedEngine : public Engine {
public:
    Start start(Request *request) override;
    std::size_t cancel(int fd, bool (*match)(const Request *, const void *), const void *context) override;
    void forget(int fd) override;

protected:
    // A new descriptor was seen (epoll registers it).
    virtual void on_new_queue(FdQueue &) {}
    virtual void on_forget(FdQueue &) {}
    // The head request would block: hand it to the kernel (io_uring) or leave it for readiness
    // (epoll: return false). Called with the queue locked; true sets in_kernel.
    virtual bool launch(Request *) { return false; }
    // Asks the kernel to give back a launched request (it then finishes with -ECANCELED).
    virtual void cancel_in_kernel(Request *) {}

    // Attempts the heads of `dir` until one would block; completes what finishes.
    void drive(const std::shared_ptr<FdQueue> &q, int dir);
    // A launched request came back from the kernel with `n` (bytes or -errno).
    void settle(Request *r, long n);
    std::shared_ptr<FdQueue> queue_of(int fd) { return queues_.find(fd); }

private:
    static void complete(Request *r);
    FdQueues queues_;
};

}  // namespace ws2::io
