// The socket table, the port table and network-event recording.
#include "provider_state.h"

namespace udgram {
namespace {

// Windows' dynamic port range.
constexpr unsigned kFirstEphemeral = 49152;
constexpr unsigned kLastEphemeral = 65535;

}  // namespace

std::atomic<LONG> g_startups{0}, g_cleanups{0}, g_live_sockets{0}, g_waiting_calls{0};

Socket::Socket() { g_live_sockets.fetch_add(1, std::memory_order_relaxed); }
Socket::~Socket() { g_live_sockets.fetch_sub(1, std::memory_order_relaxed); }

State &state() {
    static State *s = new State();
    return *s;
}

SocketPtr find_socket(SOCKET s, int *err) {
    State &st = state();
    LPWPUQUERYSOCKETHANDLECONTEXT query;
    {
        std::lock_guard lock(st.mutex);
        query = st.upcalls.lpWPUQuerySocketHandleContext;
    }
    DWORD_PTR context = 0;
    int ignored = 0;
    if (query == nullptr || query(s, &context, &ignored) != 0) {
        *err = WSAENOTSOCK;
        return nullptr;
    }
    std::lock_guard lock(st.mutex);
    auto it = st.live.find(reinterpret_cast<Socket *>(context));
    if (it == st.live.end() || it->second->handle != s || it->second->closed) {
        *err = WSAENOTSOCK;
        return nullptr;
    }
    return it->second;
}

void notify(Socket &socket) {
    socket.changed.notify_all();
    state().any_change.notify_all();
}

int bind_port(Socket &socket, USHORT port) {
    State &st = state();
    if (port == 0) {
        unsigned span = kLastEphemeral - kFirstEphemeral + 1;
        for (unsigned tried = 0; tried < span; ++tried) {
            USHORT candidate = static_cast<USHORT>(kFirstEphemeral + (st.next_ephemeral + tried) % span);
            if (st.ports.count(candidate) == 0) {
                st.next_ephemeral = static_cast<USHORT>((st.next_ephemeral + tried + 1) % span);
                port = candidate;
                break;
            }
        }
        if (port == 0) return WSAENOBUFS;
    } else if (st.ports.count(port) != 0) {
        return WSAEADDRINUSE;
    }
    st.ports[port] = &socket;
    socket.port = port;
    socket.bound = true;
    return 0;
}

int bind_implicitly(Socket &socket) { return socket.bound ? 0 : bind_port(socket, 0); }

void detach(Socket &socket) {
    State &st = state();
    socket.closed = true;
    if (socket.bound) {
        auto it = st.ports.find(socket.port);
        if (it != st.ports.end() && it->second == &socket) st.ports.erase(it);
    }
    socket.queue.clear();
    socket.queued_bytes = 0;
    socket.event = nullptr;
    socket.event_mask = socket.armed = socket.pending = 0;
    st.live.erase(&socket);  // callers hold their own reference
    notify(socket);
}

void record_events(Socket &socket, LONG events) {
    LONG fire = events & socket.armed;
    if (fire == 0 || socket.event == nullptr) return;
    socket.pending |= fire;
    socket.armed &= ~fire;
    int ignored = 0;
    // An event handle closed by the application meanwhile simply is not signalled.
    state().upcalls.lpWPUSetEvent(socket.event, &ignored);
}

}  // namespace udgram
