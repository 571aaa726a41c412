#include "win32/completion_port.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "win32/futex.h"
#include "win32/last_error.h"
#include "win32/thread_object.h"

namespace ws2::win32 {

// What a thread knows about ports: its wait node, the port it is active on, and its last
// handle lookup.
struct PortThreadContext {
    CompletionPort::Waiter waiter;
    CompletionPort *active_port = nullptr;
    std::shared_ptr<CompletionPort> active_ref;  // keeps active_port alive until the thread leaves
    HANDLE cached_handle = nullptr;
    std::uint64_t cached_generation = 0;
    std::shared_ptr<CompletionPort> cached_port;

    ~PortThreadContext();
};

namespace {

// The context lives in a thread_local with a destructor (so thread exit ends the thread's
// activity); reaching such a variable costs a guard check through __tls_get_addr, so the hot
// path goes through a plain initial-exec pointer to it instead.
thread_local PortThreadContext t_port_storage;
thread_local PortThreadContext *t_port_pointer __attribute__((tls_model("initial-exec"))) = nullptr;

}  // namespace

PortThreadContext::~PortThreadContext() {
    t_port_pointer = nullptr;
    if (active_port != nullptr) active_port->thread_left();  // an exiting thread is no longer active
    if (waiter.wake_fd >= 0) ::close(waiter.wake_fd);
}

namespace {

[[gnu::noinline]] PortThreadContext &first_port_context() {
    t_port_pointer = &t_port_storage;
    return t_port_storage;
}

inline PortThreadContext &port_context() {
    PortThreadContext *p = t_port_pointer;
    return __builtin_expect(p != nullptr, 1) ? *p : first_port_context();
}

constexpr int kAlertableSliceMs = 10;  // how long an alertable leader harvests between APC checks

timespec deadline_after(DWORD ms) {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += static_cast<time_t>(ms / 1000);
    ts.tv_nsec += static_cast<long>(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec += 1;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

// Milliseconds (rounded up) until the deadline; 0 once it has passed.
int remaining_ms(const timespec &deadline) {
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ns = (static_cast<long long>(deadline.tv_sec) - now.tv_sec) * 1000000000LL +
                   (deadline.tv_nsec - now.tv_nsec);
    return ns <= 0 ? 0 : static_cast<int>((ns + 999999) / 1000000);
}

bool apc_pending(const ThreadObject &self) {
    pollfd p{self.apc_descriptor(), POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
}

void signal_fd(int fd) {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(fd, &one, sizeof one);
}

}  // namespace

// Wakes decided under the port lock and made after it is dropped, so a woken thread never
// blocks on the lock its waker still holds. Waits in poll(2) are woken at once (under the lock)
// because their eventfd is closed when the thread exits; a stale futex address is harmless.
struct CompletionPort::Wakes {
    static constexpr std::size_t kInline = 16;
    Waiter *futexes[kInline];
    std::size_t count = 0;
    std::shared_ptr<CompletionSource> source;

    void add(Waiter *w) {
        if (w->uses_fd) {
            signal_fd(w->wake_fd);
        } else if (count < kInline) {
            futexes[count++] = w;
        } else {
            futex_wake_one(&w->state);
        }
    }
    void run() {
        for (std::size_t i = 0; i < count; ++i) futex_wake_one(&futexes[i]->state);
        if (source) source->wake();
    }
};

CompletionPort::CompletionPort(DWORD concurrency)
    : concurrency_(concurrency != 0 ? concurrency : static_cast<DWORD>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)))) {}

CompletionPort::~CompletionPort() = default;

void CompletionPort::push_waiter(Waiter *w) {
    w->below = top_;
    w->above = nullptr;
    if (top_ != nullptr) top_->above = w;
    top_ = w;
}

void CompletionPort::remove_waiter(Waiter *w) {
    if (w->above != nullptr) w->above->below = w->below;
    else top_ = w->below;
    if (w->below != nullptr) w->below->above = w->above;
    w->above = w->below = nullptr;
}

CompletionPort::Waiter *CompletionPort::pop_waiter() {
    Waiter *w = top_;
    remove_waiter(w);
    return w;
}

std::size_t CompletionPort::take_locked(CompletionPacket *out, std::size_t max) {
    std::size_t n = 0;
    while (n < max && !queue_.empty()) out[n++] = queue_.pop();
    return n;
}

void CompletionPort::dispatch_locked(Wakes &wakes, const PortThreadContext *caller) {
    // LIFO release: the most recent waiter gets the oldest packet, and counts as active. A
    // leader posting what it harvested keeps one packet for itself: it is awake already.
    std::size_t keep = caller != nullptr && caller == leader_ ? 1 : 0;
    while (queue_.size() > keep && active_ < concurrency_ && top_ != nullptr) {
        Waiter *w = pop_waiter();
        w->packet = queue_.pop();
        ++active_;
        w->state.store(Waiter::kHanded, std::memory_order_release);
        wakes.add(w);
    }
    // Packets nobody sleeps for while the leader harvests: interrupt the harvest.
    if (!queue_.empty() && active_ < concurrency_ && leader_ != nullptr && leader_ != caller && !leader_woken_) {
        leader_woken_ = true;
        wakes.source = source_;
    }
    // Sleepers but nobody harvesting the source: wake one to lead.
    if (queue_.empty() && source_ && leader_ == nullptr && !leader_promised_ && top_ != nullptr) {
        Waiter *w = pop_waiter();
        leader_promised_ = true;
        w->state.store(Waiter::kRecheck, std::memory_order_release);
        wakes.add(w);
    }
}

bool CompletionPort::post_batch(const CompletionPacket *packets, std::size_t count) {
    Wakes wakes;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return false;
        for (std::size_t i = 0; i < count; ++i) queue_.push(packets[i]);
        if (top_ != nullptr || leader_ != nullptr) dispatch_locked(wakes, t_port_pointer);  // the leader (if the caller leads) has a context
    }
    wakes.run();
    return true;
}

void CompletionPort::become_active(PortThreadContext &t) {
    t.active_port = this;
    if (t.active_ref.get() != this) t.active_ref = shared_from_this();
}

void CompletionPort::thread_left() {
    Wakes wakes;
    {
        std::lock_guard lock(mutex_);
        if (active_ > 0) --active_;
        dispatch_locked(wakes, nullptr);
    }
    wakes.run();
}

CompletionPort::Dequeue CompletionPort::dequeue(CompletionPacket *out, std::size_t max, std::size_t *got,
                                                DWORD timeout_ms, bool alertable) {
    *got = 0;
    PortThreadContext &t = port_context();
    if (t.active_port != nullptr && t.active_port != this) {
        t.active_port->thread_left();  // waiting here ends its activity on the other port
        t.active_port = nullptr;
        t.active_ref.reset();
    }
    std::shared_ptr<ThreadObject> self = alertable ? current_thread() : nullptr;
    timespec deadline{};
    const bool finite = timeout_ms != INFINITE && timeout_ms != 0;
    if (finite) deadline = deadline_after(timeout_ms);
    Waiter &w = t.waiter;
    if (alertable && w.wake_fd < 0) w.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

    for (;;) {
        Dequeue result;
        Wakes wakes;
        bool promised = false, polled = false;
        {
            std::unique_lock lock(mutex_);
            if (t.active_port == this) {  // dequeuing again: the previous packet is done with
                --active_;
                t.active_port = nullptr;
            }
            for (;;) {
                if (closed_) {
                    result = Dequeue::kAbandoned;
                    break;
                }
                if (!queue_.empty() && active_ < concurrency_) {
                    *got = take_locked(out, max);
                    ++active_;
                    become_active(t);
                    result = Dequeue::kPackets;
                    break;
                }
                if (self && apc_pending(*self)) {
                    result = Dequeue::kApc;
                    break;
                }
                bool expired = timeout_ms == 0 || (finite && remaining_ms(deadline) == 0);
                bool may_lead = source_ && leader_ == nullptr && (!leader_promised_ || promised);
                if (expired && !(may_lead && !polled)) {
                    result = Dequeue::kTimeout;
                    break;
                }
                if (may_lead) {
                    // Lead: harvest the source while the others sleep. Out of time, still look
                    // once: completions may already wait there.
                    if (promised) leader_promised_ = promised = false;
                    leader_ = &t;
                    leader_woken_ = false;
                    std::shared_ptr<CompletionSource> source = source_;
                    int ms = expired ? 0 : finite ? remaining_ms(deadline) : -1;
                    if (self && (ms < 0 || ms > kAlertableSliceMs)) ms = kAlertableSliceMs;  // APCs need a look
                    polled = polled || ms == 0;
                    lock.unlock();
                    source->harvest(*this, ms);
                    lock.lock();
                    leader_ = nullptr;
                    leader_woken_ = false;
                    continue;
                }
                // Follow: sleep until a packet is handed over, the lead is offered, or the port closes.
                if (promised) leader_promised_ = promised = false;  // the source went away meanwhile
                w.state.store(Waiter::kWaiting, std::memory_order_relaxed);
                w.uses_fd = self && w.wake_fd >= 0;
                push_waiter(&w);
                lock.unlock();
                if (w.uses_fd) {
                    pollfd fds[2] = {{w.wake_fd, POLLIN, 0}, {self->apc_descriptor(), POLLIN, 0}};
                    ::poll(fds, 2, finite ? remaining_ms(deadline) : -1);
                } else if (self) {  // no eventfd for this thread: look for APCs between slices
                    timespec slice = deadline_after(kAlertableSliceMs);
                    if (finite && (deadline.tv_sec < slice.tv_sec ||
                                   (deadline.tv_sec == slice.tv_sec && deadline.tv_nsec < slice.tv_nsec)))
                        slice = deadline;
                    futex_wait(&w.state, Waiter::kWaiting, &slice);
                } else {
                    futex_wait(&w.state, Waiter::kWaiting, finite ? &deadline : nullptr);
                }
                if (!w.uses_fd && w.state.load(std::memory_order_acquire) == Waiter::kHanded && max == 1) {
                    // The common case: one packet handed over, no need for the lock again.
                    out[0] = w.packet;
                    *got = 1;
                    become_active(t);
                    return Dequeue::kPackets;
                }
                lock.lock();
                if (w.uses_fd) {
                    std::uint64_t drained;
                    [[maybe_unused]] ssize_t n = read(w.wake_fd, &drained, sizeof drained);
                }
                std::uint32_t state = w.state.load(std::memory_order_acquire);
                if (state == Waiter::kHanded) {
                    out[0] = w.packet;
                    *got = 1 + take_locked(out + 1, max - 1);
                    become_active(t);
                    result = Dequeue::kPackets;
                    break;
                }
                if (state == Waiter::kClosed) {
                    result = Dequeue::kAbandoned;
                    break;
                }
                if (state == Waiter::kRecheck) {
                    promised = true;  // the waker took us off the stack and offers the lead
                    continue;
                }
                remove_waiter(&w);  // timed out, an APC arrived, or woke spuriously
            }
            if (promised) leader_promised_ = false;  // leaving without taking the offered lead
            if (!closed_ && (top_ != nullptr || source_)) dispatch_locked(wakes, &t);
        }
        wakes.run();
        if (result != Dequeue::kApc) return result;
        if (self->run_apcs() > 0) return Dequeue::kApc;
        // Another look took the APCs first (cannot happen for a thread's own queue, but cheap).
    }
}

void CompletionPort::set_source(std::shared_ptr<CompletionSource> source) {
    Wakes wakes;
    {
        std::lock_guard lock(mutex_);
        source_ = std::move(source);
        if (!closed_) dispatch_locked(wakes, nullptr);
    }
    wakes.run();
}

void CompletionPort::close() {
    Wakes wakes;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return;
        closed_ = true;
        queue_.clear();
        while (top_ != nullptr) {
            Waiter *w = pop_waiter();
            w->state.store(Waiter::kClosed, std::memory_order_release);
            wakes.add(w);
        }
        if (leader_ != nullptr) wakes.source = source_;
    }
    wakes.run();
}

bool CompletionPort::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

std::size_t CompletionPort::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

std::size_t CompletionPort::waiting() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const Waiter *w = top_; w != nullptr; w = w->below) ++n;
    return n;
}

HANDLE create_completion_port(DWORD concurrency) {
    HANDLE h = register_object(std::make_shared<CompletionPort>(concurrency));
    if (h == nullptr) set_last_error(ERROR_NOT_ENOUGH_MEMORY);
    return h;
}

std::shared_ptr<CompletionPort> find_port(HANDLE h) { return find_object_as<CompletionPort>(h); }

CompletionPort *find_port_cached(HANDLE h) {
    PortThreadContext &t = port_context();
    std::uint64_t generation = handle_close_generation();
    if (t.cached_port && t.cached_handle == h && t.cached_generation == generation) return t.cached_port.get();
    std::shared_ptr<CompletionPort> port = find_port(h);
    if (!port) return nullptr;
    t.cached_handle = h;
    t.cached_generation = generation;
    t.cached_port = std::move(port);
    return t.cached_port.get();
}

}  // namespace ws2::win32
