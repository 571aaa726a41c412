// WSPEventSelect / WSPEnumNetworkEvents of the base provider: Windows' latched network events.
// A reactor thread watches every registered socket with epoll. An event that occurs is recorded
// (with its error code), the socket's event object is signalled, and that event is disarmed
// until its re-enabling call: recv* for FD_READ (and FD_OOB with MSG_OOB), accept for
// FD_ACCEPT, a send that would block for FD_WRITE. FD_CONNECT and FD_CLOSE happen once.
// A socket is non-blocking while registered, as on Windows.
#include <mutex>
#include <thread>
#include <unordered_map>

#include "providers/base/base_state.h"
#include "providers/base/kernel_epoll.h"
#include "providers/base/kernel_socket.h"
#include "win32/errno_map.h"
#include "win32/event_object.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

struct Registration {
    std::shared_ptr<win32::EventObject> event;
    HANDLE handle = nullptr;  // the application's name for the event
    LONG mask = 0;     // what the application asked for
    LONG armed = 0;    // what may be recorded now
    LONG pending = 0;  // recorded, not yet enumerated
    int errors[FD_MAX_EVENTS] = {};
    bool watching = false;  // in the epoll set
};

std::mutex g_mutex;
auto *g_registrations = new std::unordered_map<SOCKET, Registration>();  // guarded by g_mutex
int g_epoll = -1;

int bit_index(LONG event) {
    int i = 0;
    while (event > 1) {
        event >>= 1;
        ++i;
    }
    return i;
}

// The epoll interest that lets the armed events fire. Holding g_mutex.
void update_watch(SOCKET s, Registration &r) {
    unsigned interest = 0;
    if (r.armed & (FD_READ | FD_ACCEPT | FD_CLOSE)) interest |= kernel::kReadable;
    // FD_CONNECT comes from the kernel only for a stream connect; a datagram socket is always
    // writable, and watching it for a connect would wake the reactor without end.
    BaseSocket socket{};
    bool stream = base_sockets().load(s, &socket) && socket.stream();
    if ((r.armed & FD_WRITE) || ((r.armed & FD_CONNECT) && stream)) interest |= kernel::kWritable;
    if (r.armed & FD_OOB) interest |= kernel::kUrgent;
    int fd = static_cast<int>(s);
    if (interest == 0) {
        if (r.watching) kernel::epoll_forget(g_epoll, fd);
        r.watching = false;
        return;
    }
    kernel::epoll_watch(g_epoll, fd, interest, !r.watching);
    r.watching = true;
}

void record(Registration &r, LONG event, int error) {
    r.pending |= event;
    r.armed &= ~event;
    r.errors[bit_index(event)] = error;
}

// What the kernel reported, as Windows network events. Holding g_mutex.
void on_ready(SOCKET s, unsigned ready) {
    auto it = g_registrations->find(s);
    if (it == g_registrations->end()) return;
    Registration &r = it->second;
    BaseSocket socket{};
    if (!base_sockets().load(s, &socket)) return;
    LONG before = r.pending;
    int fd = static_cast<int>(s);
    // A stream socket that is not listening, connecting or connected has nothing to report
    // (Linux calls it hung up); connect and listen re-enable it.
    if (socket.stream() && !(socket.state & (BaseSocket::kListening | BaseSocket::kConnecting | BaseSocket::kConnected))) {
        if (r.watching) kernel::epoll_forget(g_epoll, fd);
        r.watching = false;
        return;
    }
    bool hang_up = ready & (kernel::kHangUp | kernel::kError);
    if (socket.state & BaseSocket::kListening) {
        if ((ready & kernel::kReadable) && (r.armed & FD_ACCEPT)) record(r, FD_ACCEPT, 0);
    } else if (socket.stream() && (socket.state & BaseSocket::kConnecting)) {
        if (ready & kernel::kError) {
            int e = kernel::pending_error(fd);
            int code = e != 0 ? win32::wsa_error_from_errno(e) : WSAECONNREFUSED;
            base_sockets().update(s, [code](BaseSocket &b) {
                b.state &= ~BaseSocket::kConnecting;
                b.connect_error = code;
            });
            if (r.armed & FD_CONNECT) record(r, FD_CONNECT, code);
        } else if (ready & kernel::kWritable) {
            base_sockets().update(s, [](BaseSocket &b) {
                b.state = (b.state | BaseSocket::kConnected) & ~BaseSocket::kConnecting;
            });
            if (r.armed & FD_CONNECT) record(r, FD_CONNECT, 0);
            if (r.armed & FD_WRITE) record(r, FD_WRITE, 0);
        }
    } else {
        unsigned long pending_bytes = 0;
        if (socket.stream() && hang_up) kernel::bytes_readable(fd, &pending_bytes);
        bool at_end = socket.stream() && hang_up && pending_bytes == 0;
        if ((ready & kernel::kReadable) && (r.armed & FD_READ) && !at_end) record(r, FD_READ, 0);
        if ((ready & kernel::kWritable) && (r.armed & FD_WRITE) && !(ready & kernel::kError))
            record(r, FD_WRITE, 0);
        if ((ready & kernel::kUrgent) && (r.armed & FD_OOB)) record(r, FD_OOB, 0);
        if (at_end && (r.armed & FD_CLOSE)) {
            int e = (ready & kernel::kError) ? kernel::pending_error(fd) : 0;
            record(r, FD_CLOSE, e != 0 ? win32::wsa_error_from_errno(e) : 0);
        }
        // A stream at its end can report nothing more for reading.
        if (at_end) r.armed &= ~FD_READ;
    }
    if (r.pending != before) r.event->set();
    // Nothing recorded from a socket the kernel keeps reporting (hung up): stop watching it
    // until a re-enabling call.
    if (r.pending == before && hang_up) {
        if (r.watching) kernel::epoll_forget(g_epoll, fd);
        r.watching = false;
        return;
    }
    update_watch(s, r);
}

void reactor_loop() {
    int fds[64];
    unsigned ready[64];
    for (;;) {
        int n = kernel::epoll_wait_ready(g_epoll, fds, ready, 64, -1);
        std::lock_guard lock(g_mutex);
        for (int i = 0; i < n; ++i) {
            // A report may be stale by now (a recv or accept consumed it while this thread
            // waited for the lock): record only what is true at this moment.
            unsigned interest = kernel::kReadable | kernel::kWritable | kernel::kUrgent, now = 0;
            if (kernel::poll(&fds[i], &interest, &now, 1, 0) < 0) continue;
            on_ready(static_cast<SOCKET>(fds[i]), now);
        }
    }
}

// The reactor starts with the first registration and runs for the life of the process.
bool ensure_reactor() {
    if (g_epoll >= 0) return true;
    int ep = kernel::epoll_open();
    if (ep < 0) return false;
    g_epoll = ep;
    std::thread(reactor_loop).detach();
    return true;
}

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

}  // namespace

namespace {
int register_event_object(SOCKET s, std::shared_ptr<win32::EventObject> event, HANDLE event_handle,
                          LONG events);
}  // namespace

int register_network_events(SOCKET s, HANDLE event_handle, LONG events) {
    std::shared_ptr<win32::EventObject> event;
    if (events != 0) {
        event = win32::find_event(event_handle);
        if (!event) return WSAEINVAL;
    }
    return register_event_object(s, std::move(event), event_handle, events);
}

namespace {
int register_event_object(SOCKET s, std::shared_ptr<win32::EventObject> event, HANDLE event_handle,
                          LONG events) {
    if (int rc = kernel::set_nonblocking(static_cast<int>(s), true)) return win32::wsa_error_from_errno(-rc);
    std::lock_guard lock(g_mutex);
    auto it = g_registrations->find(s);
    if (events == 0) {
        if (it != g_registrations->end()) {
            if (it->second.watching) kernel::epoll_forget(g_epoll, static_cast<int>(s));
            g_registrations->erase(it);
        }
        base_sockets().update(s, [](BaseSocket &b) {
            b.state = (b.state | BaseSocket::kNonBlocking) & ~BaseSocket::kEventSelect;
        });
        return 0;
    }
    if (!ensure_reactor()) return WSAENOBUFS;
    Registration &r = (*g_registrations)[s];
    if (r.watching) kernel::epoll_forget(g_epoll, static_cast<int>(s));
    r = Registration{};
    r.event = std::move(event);
    r.handle = event_handle;
    r.mask = events & FD_ALL_EVENTS;
    r.armed = r.mask;
    base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kNonBlocking | BaseSocket::kEventSelect; });
    update_watch(s, r);
    return 0;
}
}  // namespace

void reenable_network_events(SOCKET s, LONG events) {
    std::lock_guard lock(g_mutex);
    auto it = g_registrations->find(s);
    if (it == g_registrations->end()) return;
    Registration &r = it->second;
    LONG again = events & r.mask;
    if ((r.armed & again) == again && r.watching) return;
    r.armed |= again;
    update_watch(s, r);
}

void forget_network_events(SOCKET s) {
    std::lock_guard lock(g_mutex);
    auto it = g_registrations->find(s);
    if (it == g_registrations->end()) return;
    if (it->second.watching) kernel::epoll_forget(g_epoll, static_cast<int>(s));
    g_registrations->erase(it);
}

// An event that completes inside a call (a multipoint join) rather than in the kernel.
void record_network_event(SOCKET s, LONG event, int error) {
    std::lock_guard lock(g_mutex);
    auto it = g_registrations->find(s);
    if (it == g_registrations->end() || !(it->second.armed & event)) return;
    record(it->second, event, error);
    it->second.event->set();
    update_watch(s, it->second);
}

bool copy_network_events(SOCKET from, SOCKET to) {
    std::shared_ptr<win32::EventObject> event;  // the object itself: its handle may be closed
    HANDLE handle = nullptr;
    LONG mask = 0;
    {
        std::lock_guard lock(g_mutex);
        auto it = g_registrations->find(from);
        if (it == g_registrations->end()) return true;
        event = it->second.event;
        handle = it->second.handle;
        mask = it->second.mask;
    }
    return register_event_object(to, std::move(event), handle, mask) == 0;
}

int WSPAPI WSPEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    if (int e = register_network_events(s, hEventObject, lNetworkEvents)) return fail(lpErrno, e);
    return 0;
}

int WSPAPI WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents,
                                LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    if (lpNetworkEvents == nullptr) return fail(lpErrno, WSAEFAULT);
    std::shared_ptr<win32::EventObject> event;
    if (hEventObject != nullptr) {
        event = win32::find_event(hEventObject);
        if (!event) return fail(lpErrno, WSAEINVAL);
    }
    WSANETWORKEVENTS result{};
    {
        std::lock_guard lock(g_mutex);
        auto it = g_registrations->find(s);
        if (it != g_registrations->end()) {
            Registration &r = it->second;
            result.lNetworkEvents = r.pending;
            for (int i = 0; i < FD_MAX_EVENTS; ++i) result.iErrorCode[i] = (r.pending & (1 << i)) ? r.errors[i] : 0;
            r.pending = 0;
        }
        if (event) event->reset();  // together with clearing the record, as Windows does
    }
    if (!win32::write_user_value(lpNetworkEvents, result)) return fail(lpErrno, WSAEFAULT);
    return 0;
}

}  // namespace ws2::base
