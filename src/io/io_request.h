// One asynchronous socket transfer as the I/O engine sees it: Linux terms only (descriptor,
// buffers, MSG_* flags, a kernel socket address), so this layer never meets the Windows
// headers. The Winsock side (providers/base/base_overlapped.cpp) derives from it and turns the
// result into an OVERLAPPED completion.
#pragma once
#include <cstdint>
#include <memory>

namespace ws2::io {

// Same layout as WSABUF: the length first, padded, then the pointer.
struct Buffer {
    std::uint32_t length;
    char *data;
};

struct FdQueue;

struct Request {
    // kConnect waits on the send direction of its descriptor, kAccept on the receive
    // direction of the listener (direction = kind & 1).
    enum class Kind : std::uint8_t { kSend = 0, kReceive = 1, kConnect = 2, kAccept = 3 };
    static constexpr int kDirections = 2;

    Kind kind = Kind::kReceive;
    bool whole = false;   // a stream send: completes only when every byte has gone (or on error)
    int fd = -1;
    int flags = 0;        // Linux MSG_* flags for sendmsg/recvmsg

    // The caller's buffers, copied (the WSABUF array need not outlive the call; the bytes must).
    Buffer *buffers = nullptr;
    unsigned count = 0;
    Buffer inline_buffers[4];
    std::unique_ptr<Buffer[]> more_buffers;

    // Send: the destination (length 0: none). Receive: capacity in (0: not wanted), source out.
    alignas(8) unsigned char address[128];
    std::uint32_t address_length = 0;

    // Ancillary data for sendmsg/recvmsg (Linux cmsg layout); a receive's length comes back.
    void *control = nullptr;
    std::uint32_t control_length = 0;

    // kAccept: complete with 0 once a connection waits, leaving it queued (nothing accepted).
    bool wait_only = false;

    // The outcome, set before on_complete runs.
    // bytes moved, the accepted descriptor (kAccept), 0 (kConnect), or -errno (-ECANCELED:
    // cancelled)
    long result = 0;
    int result_flags = 0;  // msg_flags of a receive (MSG_TRUNC, MSG_CTRUNC, MSG_OOB)

    // Runs exactly once, on whichever thread finishes the request; the engine forgets the
    // request before calling it, so it may free it.
    void (*on_complete)(Request *) = nullptr;

    virtual ~Request() = default;

    // Takes `n` buffers (copied into the request).
    bool set_buffers(const Buffer *source, unsigned n);
    std::uint64_t total_length() const;

    // ---- engine bookkeeping -----------------------------------------------------------------
    Request *next = nullptr;
    std::shared_ptr<FdQueue> queue;
    std::uint64_t moved = 0;                    // bytes of a whole send already gone
    alignas(8) unsigned char kernel_message[64];  // the msghdr handed to the kernel
    bool in_kernel = false;                     // io_uring: submitted and not yet reaped
    bool kernel_poll = false;                   // io_uring: launched as a readiness wait
    bool connect_started = false;               // kConnect: the kernel connect is under way
    bool cancel_requested = false;
};

}  // namespace ws2::io
