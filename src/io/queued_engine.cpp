#include "io/queued_engine.h"

#include <cerrno>
#include <vector>

namespace ws2::io {
namespace {

bool would_block(long n) { return n == -EAGAIN || n == -EWOULDBLOCK; }

// The result a finished request reports: a whole send reports every byte that went, unless it
// failed.
long outcome(const Request *r, long n) {
    if (r->whole && n >= 0) return static_cast<long>(r->moved);
    return n;
}

}  // namespace

void QueuedEngine::complete(Request *r) {
    r->queue.reset();
    r->on_complete(r);
}

Engine::Start QueuedEngine::start(Request *r) {
    prepare_message(r);
    bool created = false;
    std::shared_ptr<FdQueue> q = queues_.get(r->fd, &created);
    if (created) on_new_queue(*q);
    r->queue = q;
    std::unique_lock lock(q->mutex);
    if (!q->push(r)) return Start::kPending;  // behind earlier requests: they go first
    for (;;) {
        long n = transfer_now(r);
        if (would_block(n)) {
            if (launch(r)) r->in_kernel = true;
            return Start::kPending;
        }
        if (r->whole && n > 0 && advance(r, n)) continue;
        if (r->whole && n > 0) n = 0;  // all of it went: moved holds the count
        q->pop_head(r);                // nothing can be behind it: it was pushed under this lock
        r->result = outcome(r, n);
        r->queue.reset();
        return Start::kCompletedNow;
    }
}

void QueuedEngine::drive(const std::shared_ptr<FdQueue> &q, int dir) {
    for (;;) {
        std::unique_lock lock(q->mutex);
        Request *r = q->head[dir];
        if (r == nullptr || r->in_kernel || q->closed) return;
        long n = transfer_now(r);
        if (would_block(n)) {
            if (launch(r)) r->in_kernel = true;
            return;
        }
        if (r->whole && n > 0 && advance(r, n)) continue;
        if (r->whole && n > 0) n = 0;
        q->pop_head(r);
        r->result = outcome(r, n);
        lock.unlock();
        complete(r);
    }
}

void QueuedEngine::settle(Request *r, long n) {
    std::shared_ptr<FdQueue> q = r->queue;
    int dir = FdQueue::direction(r);
    {
        std::unique_lock lock(q->mutex);
        r->in_kernel = false;
        bool stopping = q->closed || r->cancel_requested;
        if (r->kernel_poll) {  // a readiness wait ended: now the attempt itself
            r->kernel_poll = false;
            if (n >= 0) n = stopping ? -ECANCELED : transfer_now(r);
        } else if (n >= 0) {
            record_outcome(r, n);
        }
        if (!stopping && would_block(n)) {
            if (launch(r)) r->in_kernel = true;
            return;
        }
        if (!stopping && r->whole && n > 0 && advance(r, n)) {
            if (launch(r)) r->in_kernel = true;
            return;
        }
        if (r->whole && n > 0) n = 0;
        if (stopping && would_block(n)) n = -ECANCELED;
        q->pop_head(r);
        r->result = outcome(r, n);
    }
    complete(r);
    drive(q, dir);
}

std::size_t QueuedEngine::cancel(int fd, bool (*match)(const Request *, const void *), const void *context) {
    std::shared_ptr<FdQueue> q = queues_.find(fd);
    if (!q) return 0;
    std::vector<Request *> done;
    std::size_t found = 0;
    bool heads_removed[Request::kDirections] = {};
    {
        std::lock_guard lock(q->mutex);
        for (int d = 0; d < Request::kDirections; ++d) {
            for (Request *r = q->head[d], *next = nullptr; r != nullptr; r = next) {
                next = r->next;
                if (!match(r, context) || r->cancel_requested) continue;
                ++found;
                if (r->in_kernel) {
                    r->cancel_requested = true;
                    cancel_in_kernel(r);
                } else if (r == q->head[d]) {
                    q->pop_head(r);
                    heads_removed[d] = true;
                    done.push_back(r);
                } else {
                    q->unlink_waiting(r);
                    done.push_back(r);
                }
            }
        }
    }
    for (Request *r : done) {
        r->result = -ECANCELED;
        complete(r);
    }
    for (int d = 0; d < Request::kDirections; ++d)
        if (heads_removed[d]) drive(q, d);
    return found;
}

void QueuedEngine::forget(int fd) {
    std::shared_ptr<FdQueue> q = queues_.take(fd);
    if (!q) return;
    on_forget(*q);
    std::vector<Request *> done;
    {
        std::lock_guard lock(q->mutex);
        q->closed = true;
        for (int d = 0; d < Request::kDirections; ++d) {
            for (Request *r = q->head[d], *next = nullptr; r != nullptr; r = next) {
                next = r->next;
                if (r->in_kernel) {
                    r->cancel_requested = true;
                    cancel_in_kernel(r);
                    continue;
                }
                if (r == q->head[d]) q->pop_head(r);
                else q->unlink_waiting(r);
                done.push_back(r);
            }
        }
    }
    for (Request *r : done) {
        r->result = -ECANCELED;
        complete(r);
    }
}

}  // namespace ws2::io
