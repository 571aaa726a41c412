// The provider's state: its sockets, the port table that delivers datagrams, and the upcall
// table ws2_32 gave it. One mutex guards all of it; waiters sleep on condition variables
// under that mutex. Socket objects are shared_ptr-owned, so a call that found a socket keeps
// it alive even if another thread closes it meanwhile.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <ws2spi.h>
#include <ws2udgram.h>

namespace udgram {

struct Datagram {
    std::vector<char> bytes;
    USHORT from_port;  // host byte order
};

struct Socket {
    Socket();
    ~Socket();
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;

    SOCKET handle = INVALID_SOCKET;
    WSAPROTOCOL_INFOW info{};  // what SO_PROTOCOL_INFOW reports
    DWORD create_flags = 0;    // WSASocket's dwFlags

    bool closed = false;
    bool bound = false;
    bool connected = false;
    bool non_blocking = false;
    bool receive_shut = false;
    bool send_shut = false;
    USHORT port = 0;  // host byte order, valid when bound
    USHORT peer = 0;  // host byte order, valid when connected

    std::deque<Datagram> queue;
    std::size_t queued_bytes = 0;
    DWORD receive_buffer = UDGRAM_DEFAULT_RCVBUF;
    DWORD receive_timeout_ms = 0;  // 0: wait forever
    DWORD send_timeout_ms = 0;     // kept and reported; a send never waits

    // WSAEventSelect: the event, what was asked for, what may be recorded, what was recorded.
    WSAEVENT event = nullptr;
    LONG event_mask = 0;
    LONG armed = 0;
    LONG pending = 0;

    std::condition_variable changed;  // receivers wait here
};

using SocketPtr = std::shared_ptr<Socket>;

struct State {
    std::mutex mutex;
    std::condition_variable any_change;  // select and WSAPoll wait here
    WSPUPCALLTABLE upcalls{};
    int references = 0;
    std::unordered_map<Socket *, SocketPtr> live;   // every open socket, keyed by its context
    std::unordered_map<USHORT, Socket *> ports;     // bound sockets by port
    USHORT next_ephemeral = 0;
};

// Never destroyed: a thread still blocked in a call may use the mutex after the last cleanup.
State &state();

// Counters for the diagnostics export.
extern std::atomic<LONG> g_startups, g_cleanups, g_live_sockets, g_waiting_calls;

// Counts a call as waiting while it exists (diagnostics).
struct WaitingCall {
    WaitingCall() { g_waiting_calls.fetch_add(1); }
    ~WaitingCall() { g_waiting_calls.fetch_sub(1); }
};

// The socket behind a handle: WPUQuerySocketHandleContext gives the context, which must name a
// live socket of ours registered under that handle. Null (and *err = WSAENOTSOCK) otherwise.
SocketPtr find_socket(SOCKET s, int *err);

inline int fail(LPINT lpErrno, int code) {
    if (lpErrno != nullptr) *lpErrno = code;
    return SOCKET_ERROR;
}

// Holding the mutex: the state changed in a way a waiter may care about.
void notify(Socket &socket);

// Holding the mutex: binds to `port` (host order), or to an ephemeral port when 0.
// 0, WSAEADDRINUSE, or WSAENOBUFS when no ephemeral port is free.
int bind_port(Socket &socket, USHORT port);
// Holding the mutex: an unbound socket gets an ephemeral port (sendto, connect).
int bind_implicitly(Socket &socket);
// Holding the mutex: marks the socket closed, drops its port, queue and registration, wakes
// everyone. The handle itself is released by the caller, outside the mutex.
void detach(Socket &socket);

// Holding the mutex: records network events that are armed (WSAEventSelect).
void record_events(Socket &socket, LONG events);

// Reads and checks a caller's address: WSAEFAULT (null or too short), WSAEAFNOSUPPORT.
int read_address(const sockaddr *name, int namelen, int family_error, USHORT *port);
// Writes an address to a caller buffer whose length *namelen is read first (WSAEFAULT).
int write_address(USHORT port, sockaddr *name, LPINT namelen);

}  // namespace udgram
