// The I/O engine: runs overlapped socket transfers without a thread per socket. Two
// implementations share this interface and the per-descriptor ordering rules (fd_queues.h):
// io_uring where the kernel offers it, epoll otherwise. WS2_IO_ENGINE=io_uring|epoll forces
// one (tests run the same suite under both).
#pragma once
#include <cstddef>

#include "io/io_request.h"

namespace ws2::io {

class Engine {
public:
    virtual ~Engine() = default;
    virtual const char *name() const = 0;

    enum class Start { kCompletedNow, kPending };
    // Requests of one descriptor and direction complete in the order they were started. When
    // none is ahead of it the request is tried at once in the calling thread: kCompletedNow
    // means its result is set and on_complete will NOT run (the caller finishes it); kPending
    // means on_complete will run later, on another thread or on this one.
    virtual Start start(Request *request) = 0;

    // Cancels the requests of `fd` that `match` accepts; each completes with -ECANCELED (or
    // with its real result if it finished first). Returns how many were found.
    virtual std::size_t cancel(int fd, bool (*match)(const Request *, const void *), const void *context) = 0;

    // The descriptor is closing: every request still queued on it is cancelled, and a later
    // descriptor with the same number starts with an empty queue.
    virtual void forget(int fd) = 0;
};

// The engine, chosen and started on first use.
Engine &engine();
// The engine if anything has started it, else nullptr (closing a socket that never did
// overlapped I/O must not start threads).
Engine *started_engine();

}  // namespace ws2::io
