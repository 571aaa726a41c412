// I/O completion ports (CreateIoCompletionPort & co.): a kernel object holding a FIFO of
// completion packets and the threads waiting for them.
//
// - Packets are dequeued first in, first out; waiting threads are released last in, first out
//   (the most recent waiter is the one whose stack and caches are still warm), as on Windows.
// - Concurrency: a packet goes to a thread only while fewer than `concurrency` threads are
//   active on the port. A thread becomes active when a dequeue hands it packets, and stops being
//   active when it dequeues from this port again, dequeues from another port, or exits.
//   Windows also stops counting a thread while it blocks anywhere else (in a wait, a blocking
//   read...); Linux gives no such notification, so ws2 keeps counting it (documented difference).
// - post() is callable from any thread and cheap: a mutex-protected ring, and a futex wake of
//   exactly one waiter per packet handed over, nothing at all when nobody waits.
// - A CompletionSource (completion_source.h) may feed the port: one waiter at a time leads and
//   harvests it while the others sleep; a post from elsewhere interrupts the leader.
// - Closing the port's handle wakes every waiter with "abandoned" and discards queued packets;
//   the object itself lives on while associations or running calls hold a reference.
#pragma once
#include <windows.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "win32/completion_packet.h"
#include "win32/completion_source.h"
#include "win32/kernel_object.h"

namespace ws2::win32 {

struct PortThreadContext;

class CompletionPort : public KernelObject, public std::enable_shared_from_this<CompletionPort> {
public:
    // 0 means the number of processors, as on Windows.
    explicit CompletionPort(DWORD concurrency);
    ~CompletionPort() override;
    CompletionPort(const CompletionPort &) = delete;
    CompletionPort &operator=(const CompletionPort &) = delete;

    int wait_descriptor() const override { return -1; }
    void handle_closed() override { close(); }

    DWORD concurrency() const { return concurrency_; }

    // Queues a packet, or hands it straight to a waiting thread. False once the port is closed.
    bool post(const CompletionPacket &packet) { return post_batch(&packet, 1); }
    bool post(DWORD bytes, ULONG_PTR key, LPOVERLAPPED overlapped, DWORD status) {
        return post(CompletionPacket{key, overlapped, bytes, status});
    }
    // Several packets under one lock, in order.
    bool post_batch(const CompletionPacket *packets, std::size_t count);

    enum class Dequeue { kPackets, kTimeout, kAbandoned, kApc };
    // Removes up to max (>= 1) packets into out, waiting up to timeout_ms (INFINITE: no limit).
    // kApc: an alertable wait ran the thread's queued APCs instead (no packet was available).
    Dequeue dequeue(CompletionPacket *out, std::size_t max, std::size_t *got, DWORD timeout_ms,
                    bool alertable);

    // Attaches the source that the leading waiter harvests (nullptr detaches).
    void set_source(std::shared_ptr<CompletionSource> source);

    // Wakes every waiter with kAbandoned and discards the queue; later posts are refused.
    void close();
    bool closed() const;
    std::size_t queued() const;
    // Threads asleep on the port (not counting one harvesting its source).
    std::size_t waiting() const;

    // The calling thread stops being active on this port (thread exit, or a wait elsewhere).
    void thread_left();

    // One thread's wait on the port: a node of the port's LIFO stack of waiters.
    struct Waiter {
        enum : std::uint32_t { kWaiting, kHanded, kRecheck, kClosed };
        std::atomic<std::uint32_t> state{kWaiting};
        CompletionPacket packet{};  // the packet handed over with kHanded
        Waiter *below = nullptr, *above = nullptr;
        int wake_fd = -1;      // eventfd of alertable waits (they also watch the APC descriptor)
        bool uses_fd = false;  // this wait sleeps in poll(2) on wake_fd, not on the futex
    };

private:
    struct Wakes;
    void push_waiter(Waiter *w);
    void remove_waiter(Waiter *w);
    Waiter *pop_waiter();
    // Hands queued packets to waiting threads while the concurrency allows, promotes a waiter to
    // harvest the source when nobody does, and notes the wakes to make once the lock is dropped.
    void dispatch_locked(Wakes &wakes, const PortThreadContext *caller);
    std::size_t take_locked(CompletionPacket *out, std::size_t max);
    void become_active(PortThreadContext &t);

    const DWORD concurrency_;
    mutable std::mutex mutex_;
    PacketQueue queue_;
    Waiter *top_ = nullptr;  // most recent waiter
    DWORD active_ = 0;
    bool closed_ = false;
    std::shared_ptr<CompletionSource> source_;
    const PortThreadContext *leader_ = nullptr;  // the thread harvesting the source
    bool leader_promised_ = false;               // a waiter was woken to take the lead
    bool leader_woken_ = false;                  // source->wake() already called for this harvest
};

// Creates a port and its handle; nullptr with the last error set on failure.
HANDLE create_completion_port(DWORD concurrency);
std::shared_ptr<CompletionPort> find_port(HANDLE h);
// The port h names, from a per-thread cache while no handle has been closed since: the pointer
// stays valid until this thread's next lookup. nullptr when h is not a completion port.
CompletionPort *find_port_cached(HANDLE h);

}  // namespace ws2::win32
