// Per-descriptor ordering shared by both engines: for each descriptor and direction, requests
// wait in a FIFO and only the one at its head is attempted (or sits in the kernel), so several
// operations in flight on one socket complete in the order they were issued, and stream sends
// never interleave.
#pragma once
#include <memory>
#include <mutex>
#include <unordered_map>

#include "io/io_request.h"

namespace ws2::io {

struct FdQueue {
    explicit FdQueue(int descriptor) : fd(descriptor) {}
    std::mutex mutex;
    const int fd;
    bool closed = false;  // forgotten: nothing new starts, stragglers only finish
    Request *head[Request::kDirections] = {};
    Request *tail[Request::kDirections] = {};

    static int direction(const Request *r) { return static_cast<int>(r->kind) & 1; }
    // Appends; true when the request is now at the head of its direction.
    bool push(Request *r);
    // Removes the head of r's direction (which must be r); returns the new head.
    Request *pop_head(Request *r);
    // Unlinks a request that is not at the head; false if it is not queued here.
    bool unlink_waiting(Request *r);
};

class FdQueues {
public:
    std::shared_ptr<FdQueue> get(int fd, bool *created);
    std::shared_ptr<FdQueue> find(int fd);
    std::shared_ptr<FdQueue> take(int fd);  // removes it from the table

private:
    std::mutex mutex_;
    std::unordered_map<int, std::shared_ptr<FdQueue>> queues_;
};

// The transfers themselves (socket_transfer.cpp, the only file here with Linux socket headers).
// Fills the request's msghdr from its buffers and address.
void prepare_message(Request *r);
// One non-blocking attempt; returns bytes or -errno and sets result_flags/address_length.
long transfer_now(Request *r);
// After `n` bytes of a whole send: true when more remain (the buffers now describe the rest).
bool advance(Request *r, long n);
// Records a finished transfer's outcome from the msghdr (receive: source length, msg_flags).
void record_outcome(Request *r, long n);

}  // namespace ws2::io
