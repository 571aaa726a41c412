// WSPDuplicateSocket and the other half of it in WSPSocket: a WSAPROTOCOL_INFOW that carries
// this provider's share payload becomes a second descriptor of the same socket.
//
// The payload (msafd also uses dwServiceFlags3/4): dwServiceFlags3 = the source pid,
// dwServiceFlags4 = a one-time token, dwProviderReserved = kShareMarker. The source keeps a
// second descriptor per token (an "offer") until the target process claims it: in the same
// process straight from the table below, from another process through the broker
// (kernel_share.cpp), which checks the caller's pid. A claimed token is forgotten, so an info
// works once; the last WSPCleanup forgets every offer.
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "providers/base/base_state.h"
#include "providers/base/kernel_share.h"
#include "providers/base/kernel_socket.h"
#include "win32/errno_map.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

constexpr DWORD kShareMarker = 0x57533244;  // "WS2D"

// The Windows-only state of the socket that travels with the descriptor (the kernel already
// shares everything else). A snapshot taken at duplication.
struct SharedState {
    std::int32_t af, type, protocol;
    std::uint32_t catalog_id;
    std::uint32_t state;
    std::uint32_t receive_timeout_ms, send_timeout_ms;
    std::int32_t receive_buffer, send_buffer;
    std::int32_t connect_error;
    std::int32_t group_priority;
    std::uint64_t connected_at_ns;
};
static_assert(sizeof(SharedState) <= kernel::kShareStateBytes);

// State bits that belong to one descriptor, not to the socket: the address reservation, the
// WSAEventSelect registration and a multipoint session stay with the descriptor that made them.
constexpr std::uint32_t kPerDescriptorBits =
    BaseSocket::kHoldsAddress | BaseSocket::kEventSelect | BaseSocket::kMultipointLeaf;

struct Offer {
    int fd;             // the source's second descriptor
    DWORD target_pid;   // the only process that may claim it
    SharedState state;
};

// Never destroyed: the broker thread may still look offers up while the process exits.
std::mutex &g_mutex = *new std::mutex();
auto &g_offers = *new std::unordered_map<std::uint32_t, Offer>();  // by token, under g_mutex

SharedState snapshot(const BaseSocket &b) {
    SharedState s{};
    s.af = b.af;
    s.type = b.type;
    s.protocol = b.protocol;
    s.catalog_id = b.entry->dwCatalogEntryId;
    s.state = b.state & ~kPerDescriptorBits;
    s.receive_timeout_ms = b.receive_timeout_ms;
    s.send_timeout_ms = b.send_timeout_ms;
    s.receive_buffer = b.receive_buffer;
    s.send_buffer = b.send_buffer;
    s.connect_error = b.connect_error;
    s.group_priority = b.group_priority;
    s.connected_at_ns = b.connected_at_ns;
    return s;
}

// Takes the offer `token` if it was made for `pid`. A claim by another process leaves it in
// place for the right one.
bool take_offer(std::uint32_t token, DWORD pid, Offer *out) {
    std::lock_guard lock(g_mutex);
    auto it = g_offers.find(token);
    if (it == g_offers.end() || it->second.target_pid != pid) return false;
    *out = it->second;
    g_offers.erase(it);
    return true;
}

// The broker's question, on its thread.
bool claim_for_broker(std::uint32_t token, std::uint32_t peer_pid, int *fd, unsigned char *state) {
    Offer offer{};
    if (!take_offer(token, peer_pid, &offer)) return false;
    *fd = offer.fd;
    std::memcpy(state, &offer.state, sizeof offer.state);
    return true;
}

std::uint32_t new_token_locked() {
    for (;;) {
        std::uint32_t token = kernel::random_token();
        if (!g_offers.contains(token)) return token;
    }
}

const WSAPROTOCOL_INFOW *own_entry(DWORD catalog_id) {
    for (const catalog::Entry &e : own_entries())
        if (e.id() == catalog_id) return &e.info;
    return nullptr;
}

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

}  // namespace

int WSPAPI WSPDuplicateSocket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                              LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    // Windows checks the process before the buffer (Wine's test_WSADuplicateSocket).
    if (!kernel::process_exists(dwProcessId)) return fail(lpErrno, WSAEINVAL);
    if (lpProtocolInfo == nullptr) return fail(lpErrno, WSAEFAULT);

    DWORD self = kernel::current_pid();
    if (dwProcessId != self) {
        if (int rc = kernel::start_share_broker(claim_for_broker))
            return fail(lpErrno, win32::wsa_error_from_errno(-rc));
    }
    int fd = kernel::duplicate_descriptor(static_cast<int>(s));
    if (fd < 0) return fail(lpErrno, win32::wsa_error_from_errno(-fd));

    // The socket's catalog entry with the socket's own triple (a raw socket's entry says 0).
    WSAPROTOCOL_INFOW info = *socket.entry;
    info.iAddressFamily = socket.af;
    info.iSocketType = socket.type;
    info.iProtocol = socket.protocol;
    info.dwServiceFlags3 = self;
    info.dwProviderReserved = kShareMarker;
    {
        std::lock_guard lock(g_mutex);
        info.dwServiceFlags4 = new_token_locked();
        g_offers.emplace(info.dwServiceFlags4, Offer{fd, dwProcessId, snapshot(socket)});
    }
    if (!win32::write_user_value(lpProtocolInfo, info)) {
        Offer unused{};
        if (take_offer(info.dwServiceFlags4, dwProcessId, &unused)) kernel::close_socket(unused.fd);
        return fail(lpErrno, WSAEFAULT);
    }
    // From now on closing this descriptor must leave the socket alone (WSPCloseSocket).
    base_sockets().update(s, [](BaseSocket &b) { b.state |= BaseSocket::kShared; });
    return 0;
}

bool is_duplicate_info(const WSAPROTOCOL_INFOW *info) {
    return info != nullptr && info->dwProviderReserved == kShareMarker;
}

SOCKET adopt_shared_socket(const WSAPROTOCOL_INFOW &info, DWORD flags, LPINT lpErrno) {
    DWORD source = info.dwServiceFlags3;
    std::uint32_t token = info.dwServiceFlags4;
    bool inheritable = (flags & WSA_FLAG_NO_HANDLE_INHERIT) == 0;
    DWORD self = kernel::current_pid();
    int fd = -1;
    SharedState shared{};
    if (source == self) {
        // Same process: the offer's descriptor becomes the new socket, no broker involved.
        Offer offer{};
        if (!take_offer(token, self, &offer)) return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;
        fd = offer.fd;
        shared = offer.state;
        kernel::set_inheritable(fd, inheritable);
    } else {
        unsigned char bytes[kernel::kShareStateBytes];
        fd = kernel::receive_shared_socket(source, token, inheritable, bytes);
        // Used, not meant for this process, or its source is gone: the info is no longer valid.
        if (fd < 0) return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;
        std::memcpy(&shared, bytes, sizeof shared);
    }

    const WSAPROTOCOL_INFOW *entry = own_entry(shared.catalog_id);
    if (entry == nullptr) {
        kernel::close_socket(fd);
        return fail(lpErrno, WSAEINVAL), INVALID_SOCKET;
    }
    // af/type/protocol come from the socket itself, as msafd takes them from its shared state.
    // Auditing (WSA_FLAG_ACCESS_SYSTEM_SECURITY) belongs to the descriptor that asked for it.
    BaseSocket b = new_socket_state(entry, shared.af, shared.type, shared.protocol,
                                    flags & ~static_cast<DWORD>(WSA_FLAG_ACCESS_SYSTEM_SECURITY));
    b.state = (shared.state & ~kPerDescriptorBits) | BaseSocket::kShared;
    b.receive_timeout_ms = shared.receive_timeout_ms;
    b.send_timeout_ms = shared.send_timeout_ms;
    b.receive_buffer = shared.receive_buffer;
    b.send_buffer = shared.send_buffer;
    b.connect_error = shared.connect_error;
    b.group_priority = shared.group_priority;
    b.connected_at_ns = shared.connected_at_ns;
    if (!base_sockets().store(static_cast<std::uint64_t>(fd), b)) {
        kernel::close_socket(fd);
        return fail(lpErrno, WSAENOBUFS), INVALID_SOCKET;
    }
    int err = 0;
    SOCKET s = modify_ifs_handle_upcall()(entry->dwCatalogEntryId, static_cast<SOCKET>(fd), &err);
    if (s == INVALID_SOCKET) {
        base_sockets().erase(static_cast<std::uint64_t>(fd));
        kernel::close_socket(fd);
        return fail(lpErrno, err), INVALID_SOCKET;
    }
    return s;
}

void forget_shared_sockets() {
    // The broker first, so no claim runs while the offers go.
    kernel::stop_share_broker();
    std::lock_guard lock(g_mutex);
    for (auto &[token, offer] : g_offers) kernel::close_socket(offer.fd);
    g_offers.clear();
}

}  // namespace ws2::base
