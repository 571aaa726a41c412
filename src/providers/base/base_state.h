// What the base provider knows about itself and its sockets.
#pragma once
#include <ws2spi.h>

#include <atomic>
#include <vector>

#include "catalog/catalog.h"
#include "spi/private_ioctls.h"
#include "spi/handle_table.h"

namespace ws2::base {

// Per-socket state, keyed by descriptor (IFS providers keep their own map, as msafd does).
// Option values Windows reports as set (buffer sizes, DWORD timeouts) live here because Linux
// reports something else.
struct BaseSocket {
    enum State : std::uint32_t {
        kBound = 1u << 0,
        kListening = 1u << 1,
        kConnecting = 1u << 2,  // non-blocking connect in progress
        kConnected = 1u << 3,
        kNonBlocking = 1u << 4,
        kSendShut = 1u << 5,
        kReceiveShut = 1u << 6,
        kReuseAddress = 1u << 7,
        kExclusiveAddress = 1u << 8,
        kNoUdpConnReset = 1u << 9,  // SIO_UDP_CONNRESET turned off
        kDebug = 1u << 10,          // SO_DEBUG as set (Linux needs privilege for its own)
        kOobInline = 1u << 11,
        kEventSelect = 1u << 12,    // registered with WSAEventSelect
        kIcmpErrors = 1u << 13,     // the kernel reports ICMP errors to receives (IP_RECVERR)
        kHoldsAddress = 1u << 14,   // has an entry in the address-sharing table
        kMultipointLeaf = 1u << 15, // joined a multipoint session (WSAJoinLeaf)
        kShared = 1u << 16,         // WSADuplicateSocket: other descriptors may share the socket
        kAcceptTarget = 1u << 17,   // the sAcceptSocket of a pending AcceptEx
    };
    const WSAPROTOCOL_INFOW *entry;  // the catalog entry describing the socket
    int af, type, protocol;          // Windows values, resolved at creation
    DWORD flags;                     // WSASocket dwFlags
    std::uint32_t state;
    DWORD receive_timeout_ms, send_timeout_ms;
    int receive_buffer, send_buffer;  // as set; -1 until set
    int connect_error;                // latched result of a failed connect (SO_ERROR)
    std::uint64_t connected_at_ns;    // CLOCK_MONOTONIC when the connection was made
    GROUP group;
    int group_priority;

    bool stream() const { return type == SOCK_STREAM; }
};

spi::HandleTable<BaseSocket> &base_sockets();

// Calls in progress per descriptor, so closesocket can wake blocked callers and wait for them
// before the descriptor number is released.
class InFlight {
public:
    explicit InFlight(SOCKET s);
    ~InFlight();
    InFlight(const InFlight &) = delete;
    InFlight &operator=(const InFlight &) = delete;

private:
    std::uint64_t fd_;
};
// Number of calls in progress on a descriptor.
std::uint32_t calls_in_flight(std::uint64_t fd);

// Looks the socket up; false (and *err = WSAENOTSOCK) when this provider does not own it.
bool find(SOCKET s, BaseSocket *out, LPINT err);
// The state of a new socket (also used for accepted ones).
BaseSocket new_socket_state(const WSAPROTOCOL_INFOW *entry, int af, int type, int protocol,
                            DWORD flags);

// The catalog entries this provider serves (copied at the first WSPStartup) and the upcall
// it registers sockets with.
const std::vector<catalog::Entry> &own_entries();
LPWPUMODIFYIFSHANDLE modify_ifs_handle_upcall();

// The procedure-table entries, one file per concern.
// base_socket.cpp
SOCKET WSPAPI WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                        GROUP g, DWORD dwFlags, LPINT lpErrno);
int WSPAPI WSPCloseSocket(SOCKET s, LPINT lpErrno);
// What a closing socket held besides its descriptor (address reservation, group, event
// registration, multipoint session, audit marker): closesocket and the last WSPCleanup.
void release_socket_resources(SOCKET s, const BaseSocket &closing);
// base_sockopt.cpp
int WSPAPI WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen,
                         LPINT lpErrno);
int WSPAPI WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen,
                         LPINT lpErrno);
// base_address_string.cpp
INT WSPAPI WSPAddressToString(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                              LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                              LPDWORD lpdwAddressStringLength, LPINT lpErrno);
INT WSPAPI WSPStringToAddress(LPWSTR AddressString, INT AddressFamily,
                              LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                              LPINT lpAddressLength, LPINT lpErrno);
// base_join_leaf.cpp
SOCKET WSPAPI WSPJoinLeaf(SOCKET s, const sockaddr *name, int namelen, LPWSABUF lpCallerData,
                          LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags,
                          LPINT lpErrno);
// base_connection.cpp
int WSPAPI WSPBind(SOCKET s, const sockaddr *name, int namelen, LPINT lpErrno);
int WSPAPI WSPListen(SOCKET s, int backlog, LPINT lpErrno);
SOCKET WSPAPI WSPAccept(SOCKET s, sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                        DWORD_PTR dwCallbackData, LPINT lpErrno);
int WSPAPI WSPConnect(SOCKET s, const sockaddr *name, int namelen, LPWSABUF lpCallerData,
                      LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, LPINT lpErrno);
int WSPAPI WSPShutdown(SOCKET s, int how, LPINT lpErrno);
void drop_deferred_connections(SOCKET listener);
int WSPAPI WSPSendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno);
int WSPAPI WSPRecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno);  // connections a condition function deferred
int WSPAPI WSPGetSockName(SOCKET s, sockaddr *name, LPINT namelen, LPINT lpErrno);
int WSPAPI WSPGetPeerName(SOCKET s, sockaddr *name, LPINT namelen, LPINT lpErrno);
// base_transfer.cpp
int WSPAPI WSPSend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                   DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                   LPWSATHREADID lpThreadId, LPINT lpErrno);
int WSPAPI WSPSendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                     LPDWORD lpNumberOfBytesSent, DWORD dwFlags, const sockaddr *lpTo, int iTolen,
                     LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                     LPWSATHREADID lpThreadId, LPINT lpErrno);
int WSPAPI WSPRecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                   LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                   LPWSATHREADID lpThreadId, LPINT lpErrno);
int WSPAPI WSPRecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                       LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, sockaddr *lpFrom,
                       LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                       LPWSATHREADID lpThreadId, LPINT lpErrno);
// base_ioctl.cpp
int WSPAPI WSPIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                    LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                    LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                    LPWSATHREADID lpThreadId, LPINT lpErrno);
// base_select.cpp
int WSPAPI WSPSelect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                     const timeval *timeout, LPINT lpErrno);

// base_event_select.cpp
int WSPAPI WSPEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents, LPINT lpErrno);
int WSPAPI WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents,
                                LPINT lpErrno);
int register_network_events(SOCKET s, HANDLE event, LONG events);  // 0 or a Winsock error
void reenable_network_events(SOCKET s, LONG events);  // the re-enabling calls
void forget_network_events(SOCKET s);                 // closesocket
bool copy_network_events(SOCKET from, SOCKET to);      // accepted sockets inherit them
void record_network_event(SOCKET s, LONG event, int error);  // if registered and armed

// Re-enables network events when the re-enabling call returns (after it consumed its data).
class ReenableOnReturn {
public:
    ReenableOnReturn(SOCKET s, const BaseSocket &socket, LONG events)
        : s_(s), events_((socket.state & BaseSocket::kEventSelect) ? events : 0) {}
    ~ReenableOnReturn() {
        if (events_ != 0) reenable_network_events(s_, events_);
    }
    ReenableOnReturn(const ReenableOnReturn &) = delete;
    ReenableOnReturn &operator=(const ReenableOnReturn &) = delete;

private:
    SOCKET s_;
    LONG events_;
};

// base_poll.cpp: WSAPoll, reached through WSPIoctl(spi::kSioWs2Poll).
int poll_sockets(spi::PollRequest &request, LPINT lpErrno);

// base_duplicate.cpp: WSPDuplicateSocket; WSPSocket adopts a duplicated socket when the info
// carries this provider's share payload; the last WSPCleanup forgets unclaimed duplicates.
int WSPAPI WSPDuplicateSocket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                              LPINT lpErrno);
bool is_duplicate_info(const WSAPROTOCOL_INFOW *info);
SOCKET adopt_shared_socket(const WSAPROTOCOL_INFOW &info, DWORD flags, LPINT lpErrno);
void forget_shared_sockets();

// Entries not implemented yet (base_data_path.cpp).
void fill_data_path_entries(WSPPROC_TABLE *table);

}  // namespace ws2::base
