// The hook through which an I/O engine feeds a completion port (e.g. an io_uring ring): while
// the port's queue is empty, ONE waiting thread (the leader) calls harvest(), which waits for
// completions and posts them to the port; the other waiters sleep on the port as usual.
#pragma once
#include <memory>

namespace ws2::win32 {

class CompletionPort;

class CompletionSource {
public:
    virtual ~CompletionSource() = default;
    // Waits up to timeout_ms (-1: no limit, 0: just look) for completions and posts those it
    // finds to port (CompletionPort::post). Returns after posting something, after the time
    // runs out, or soon after wake().
    virtual void harvest(CompletionPort &port, int timeout_ms) = 0;
    // Makes a running (or the next) harvest return soon; callable from any thread.
    virtual void wake() = 0;
};

}  // namespace ws2::win32
