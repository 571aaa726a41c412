// WSPGetSockOpt / WSPSetSockOpt of the base provider: Windows option numbers and semantics over
// Linux options, with Windows' length rules (windows-behaviour.md §3.13):
//  - SOL_SOCKET booleans accept 1- and 2-byte buffers (and a 0-length set, meaning FALSE);
//  - SO_KEEPALIVE, SO_DONTROUTE, TCP_NODELAY and IPV6_V6ONLY are one-byte BOOLEANs;
//  - SO_LINGER, SO_RCVBUF, SO_SNDBUF refuse short buffers but zero what they were given;
//  - DWORD timeouts and most ints refuse short buffers;
//  - byte-sized IP values (TTL, TOS, hop limits) accept short buffers and refuse values > 255.
// Values Windows reports as set (buffer sizes, timeouts, SO_ERROR, SO_DEBUG, group priority)
// are kept in the socket's state because Linux reports something else.
#include <mswsock.h>
#include <ws2tcpip.h>

#include <cstring>
#include <ctime>

#include "providers/base/base_state.h"
#include "providers/base/kernel_options.h"
#include "providers/base/kernel_socket.h"
#include "win32/errno_map.h"
#include "win32/user_memory.h"

namespace ws2::base {
namespace {

int fail(LPINT err, int code) {
    *err = code;
    return SOCKET_ERROR;
}

bool known_level(int level) {
    return level == SOL_SOCKET || level == IPPROTO_IP || level == IPPROTO_IPV6 ||
           level == IPPROTO_TCP || level == IPPROTO_UDP;
}

enum class Rule {
    kBool,       // SOL_SOCKET BOOL: short buffers accepted; sizes reported 1, 1, 4
    kOneByte,    // BOOLEAN: one byte read and written, size 1
    kZeroFill,   // refuses a short buffer, but zeroes the bytes it was given
    kStrict,     // refuses a short buffer, leaves it alone
    kStrictZero, // refuses a short buffer and reports size 0
    kByteValue,  // short buffers accepted; values above 255 refused
    kByteBool,   // short buffers accepted, boolean; a 0-length set is a fault
};

// Writes an option value under its rule. `natural` is the value's size in bytes.
int put_value(Rule rule, const void *value, int natural, char *optval, int len, LPINT optlen, LPINT err) {
    if (optval == nullptr) return fail(err, WSAEFAULT);
    int write = natural, report = natural;
    switch (rule) {
        case Rule::kBool:
        case Rule::kByteValue:
        case Rule::kByteBool:
            if (len <= 0) return fail(err, WSAEFAULT);
            write = len >= 4 ? 4 : (len >= 2 ? 2 : 1);
            report = len >= 4 ? 4 : 1;
            break;
        case Rule::kOneByte:
            if (len <= 0) return fail(err, WSAEFAULT);
            write = report = 1;
            break;
        case Rule::kZeroFill:
            if (len <= 0) return fail(err, WSAEFAULT);
            if (len < natural) {
                char zeros[16] = {};
                win32::write_user(optval, zeros, static_cast<std::size_t>(len));
                return fail(err, WSAEFAULT);
            }
            break;
        case Rule::kStrict:
            if (len < natural) return fail(err, WSAEFAULT);
            break;
        case Rule::kStrictZero:
            if (len < natural) {
                win32::write_user_value(optlen, 0);
                return fail(err, WSAEFAULT);
            }
            break;
    }
    if (!win32::write_user(optval, value, static_cast<std::size_t>(write)) ||
        !win32::write_user_value(optlen, report))
        return fail(err, WSAEFAULT);
    return 0;
}

int put_int(Rule rule, int value, char *optval, int len, LPINT optlen, LPINT err) {
    return put_value(rule, &value, sizeof value, optval, len, optlen, err);
}

// Reads an option value under its rule into *value (as little-endian bytes).
int take_value(Rule rule, bool sol_socket, int natural, const char *optval, int len, void *value) {
    std::memset(value, 0, static_cast<std::size_t>(natural < 4 ? 4 : natural));
    int read = natural;
    switch (rule) {
        case Rule::kBool:
            if (len == 0) return 0;  // FALSE
            read = len < 0 || len >= 4 ? 4 : len;
            break;
        case Rule::kOneByte:
            if (len == 0) return WSAEFAULT;
            if (len < 0) return WSAENOBUFS;
            read = 1;
            break;
        case Rule::kByteValue:
        case Rule::kByteBool:
            if (len == 0) return WSAEFAULT;
            if (len < 0) return WSAENOBUFS;
            read = len >= 4 ? 4 : len;
            break;
        case Rule::kZeroFill:
        case Rule::kStrict:
        case Rule::kStrictZero:
            if (len < 0 && !sol_socket) return WSAENOBUFS;
            if (len >= 0 && len < natural) return WSAEFAULT;
            break;
    }
    if (optval == nullptr || !win32::read_user(value, optval, static_cast<std::size_t>(read))) return WSAEFAULT;
    return 0;
}

int take_int(Rule rule, bool sol_socket, const char *optval, int len, int *value) {
    return take_value(rule, sol_socket, sizeof(int), optval, len, value);
}

int kernel_error(int rc) { return win32::wsa_error_from_errno(-rc); }

std::uint64_t now_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

bool multicast_or_packet_info(int level, int optname) {
    if (level == IPPROTO_IP)
        return optname == IP_MULTICAST_IF || optname == IP_MULTICAST_TTL || optname == IP_MULTICAST_LOOP ||
               optname == IP_ADD_MEMBERSHIP || optname == IP_DROP_MEMBERSHIP || optname == IP_PKTINFO ||
               optname == IP_RECVTTL || optname == IP_RECVTOS;
    if (level == IPPROTO_IPV6)
        return optname == IPV6_MULTICAST_IF || optname == IPV6_MULTICAST_HOPS || optname == IPV6_MULTICAST_LOOP ||
               optname == IPV6_ADD_MEMBERSHIP || optname == IPV6_DROP_MEMBERSHIP || optname == IPV6_PKTINFO ||
               optname == IPV6_HOPLIMIT || optname == IPV6_RECVTCLASS;
    return false;
}

// The rule for an option passed straight through to Linux.
Rule passthrough_rule(int level, int optname) {
    if (level == SOL_SOCKET) return (optname == SO_KEEPALIVE || optname == SO_DONTROUTE) ? Rule::kOneByte : Rule::kBool;
    if (level == IPPROTO_TCP) return optname == TCP_NODELAY ? Rule::kOneByte : Rule::kStrictZero;
    if (level == IPPROTO_IP) {
        if (optname == IP_TTL || optname == IP_TOS || optname == IP_MULTICAST_TTL) return Rule::kByteValue;
        if (optname == IP_MULTICAST_LOOP || optname == IP_HDRINCL) return Rule::kByteBool;
        return Rule::kStrictZero;
    }
    if (level == IPPROTO_IPV6) {
        if (optname == IPV6_UNICAST_HOPS || optname == IPV6_MULTICAST_HOPS) return Rule::kByteValue;
        if (optname == IPV6_MULTICAST_LOOP || optname == IPV6_DONTFRAG || optname == IPV6_HDRINCL) return Rule::kByteBool;
        if (optname == IPV6_V6ONLY) return Rule::kOneByte;
        return Rule::kStrictZero;
    }
    return Rule::kStrict;
}

// Options Windows allows only on some socket types.
int applicability_error(const BaseSocket &socket, int level, int optname) {
    if (level == IPPROTO_TCP && !socket.stream()) return WSAENOPROTOOPT;
    if (multicast_or_packet_info(level, optname) && socket.stream()) return WSAEINVAL;
    if (((level == IPPROTO_IP && optname == IP_HDRINCL) || (level == IPPROTO_IPV6 && optname == IPV6_HDRINCL)) &&
        socket.type != SOCK_RAW)
        return WSAEINVAL;
    if (level == SOL_SOCKET && (optname == SO_LINGER || optname == SO_DONTLINGER) && !socket.stream())
        return WSAENOPROTOOPT;
    return 0;
}

// SO_PROTOCOL_INFOW: a short buffer is WSAEFAULT and learns the size it needs; a larger one
// keeps the length the caller gave.
int get_protocol_info(const BaseSocket &socket, char *optval, int len, LPINT optlen, LPINT err) {
    constexpr int kSize = sizeof(WSAPROTOCOL_INFOW);
    if (optval == nullptr || len < kSize) {
        win32::write_user_value(optlen, kSize);
        return fail(err, WSAEFAULT);
    }
    if (!win32::write_user(optval, socket.entry, kSize)) return fail(err, WSAEFAULT);
    return 0;
}

int get_socket_level(SOCKET s, const BaseSocket &socket, int optname, char *optval, int len,
                     LPINT optlen, LPINT err) {
    int fd = static_cast<int>(s);
    switch (optname) {
        case SO_TYPE: return put_int(Rule::kStrict, socket.type, optval, len, optlen, err);
        case SO_PROTOCOL_INFOW: return get_protocol_info(socket, optval, len, optlen, err);
        case SO_DEBUG: return put_int(Rule::kBool, (socket.state & BaseSocket::kDebug) ? 1 : 0, optval, len, optlen, err);
        case SO_ACCEPTCONN:
            return put_int(Rule::kBool, (socket.state & BaseSocket::kListening) ? 1 : 0, optval, len, optlen, err);
        case SO_REUSEADDR:
            return put_int(Rule::kBool, (socket.state & BaseSocket::kReuseAddress) ? 1 : 0, optval, len, optlen, err);
        case SO_EXCLUSIVEADDRUSE:
            return put_int(Rule::kBool, (socket.state & BaseSocket::kExclusiveAddress) ? 1 : 0, optval, len, optlen, err);
        case SO_LINGER:
        case SO_DONTLINGER: {
            LINGER l{};
            if (int rc = kernel::get_linger(fd, &l.l_onoff, &l.l_linger)) return fail(err, kernel_error(rc));
            if (optname == SO_LINGER) return put_value(Rule::kZeroFill, &l, sizeof l, optval, len, optlen, err);
            return put_int(Rule::kBool, l.l_onoff ? 0 : 1, optval, len, optlen, err);
        }
        case SO_RCVBUF:
        case SO_SNDBUF: {
            bool receive = optname == SO_RCVBUF;
            int value = receive ? socket.receive_buffer : socket.send_buffer;
            if (value < 0) {  // never set: what Linux uses, without its bookkeeping doubling
                if (int rc = kernel::get_buffer_size(fd, receive, &value)) return fail(err, kernel_error(rc));
                value /= 2;
            }
            return put_int(Rule::kZeroFill, value, optval, len, optlen, err);
        }
        case SO_RCVTIMEO:
        case SO_SNDTIMEO: {
            DWORD ms = optname == SO_RCVTIMEO ? socket.receive_timeout_ms : socket.send_timeout_ms;
            return put_value(Rule::kStrict, &ms, sizeof ms, optval, len, optlen, err);
        }
        case SO_ERROR: {
            // Windows keeps the error readable; Linux clears it when read.
            int value = socket.connect_error;
            if (value == 0) {
                int e = kernel::pending_error(fd);
                value = e != 0 ? win32::wsa_error_from_errno(e) : 0;
            }
            return put_int(Rule::kStrict, value, optval, len, optlen, err);
        }
        case SO_MAX_MSG_SIZE: {
            if (socket.stream()) return fail(err, WSAENOPROTOOPT);
            int max = socket.af == AF_INET6 ? 65527 : 65507;
            return put_int(Rule::kStrict, max, optval, len, optlen, err);
        }
        case SO_CONNECT_TIME: {
            DWORD seconds = 0xFFFFFFFF;  // not connected (or not connection-oriented)
            if (socket.stream() && (socket.state & BaseSocket::kConnected))
                seconds = static_cast<DWORD>((now_ns() - socket.connected_at_ns) / 1000000000u);
            return put_value(Rule::kStrict, &seconds, sizeof seconds, optval, len, optlen, err);
        }
        case SO_GROUP_ID: return put_value(Rule::kStrict, &socket.group, sizeof socket.group, optval, len, optlen, err);
        case SO_GROUP_PRIORITY: return put_int(Rule::kStrict, socket.group_priority, optval, len, optlen, err);
        default: break;
    }
    return fail(err, WSAENOPROTOOPT);
}

int set_socket_level(SOCKET s, const BaseSocket &socket, int optname, const char *optval, int len, LPINT err) {
    int fd = static_cast<int>(s);
    int value = 0;
    auto set_flag = [s](std::uint32_t flag, bool on) {
        base_sockets().update(s, [flag, on](BaseSocket &b) { b.state = on ? (b.state | flag) : (b.state & ~flag); });
    };
    switch (optname) {
        case SO_TYPE:
            // Read-only: refused on a stream socket as an unknown option, on a message-oriented
            // one as an invalid argument.
            return fail(err, socket.type == SOCK_STREAM ? WSAENOPROTOOPT : WSAEINVAL);
        case SO_ACCEPTCONN:
        case SO_PROTOCOL_INFOA:
        case SO_PROTOCOL_INFOW:
        case SO_GROUP_ID:
        case SO_MAX_MSG_SIZE:
        case SO_CONNECT_TIME:
            return fail(err, WSAENOPROTOOPT);
        case SO_DEBUG:
            if (int e = take_int(Rule::kBool, true, optval, len, &value)) return fail(err, e);
            set_flag(BaseSocket::kDebug, value != 0);
            return 0;
        case SO_REUSEADDR:
        case SO_EXCLUSIVEADDRUSE: {
            if (int e = take_int(Rule::kBool, true, optval, len, &value)) return fail(err, e);
            bool reuse = optname == SO_REUSEADDR;
            std::uint32_t other = reuse ? BaseSocket::kExclusiveAddress : BaseSocket::kReuseAddress;
            if (value != 0 && (socket.state & other)) return fail(err, WSAEINVAL);  // mutually exclusive
            // The kernel learns of it at bind (address_sharing.cpp).
            set_flag(reuse ? BaseSocket::kReuseAddress : BaseSocket::kExclusiveAddress, value != 0);
            return 0;
        }
        case SO_LINGER: {
            LINGER l{};
            if (int e = take_value(Rule::kZeroFill, true, sizeof l, optval, len, &l)) return fail(err, e);
            if (int rc = kernel::set_linger(fd, l.l_onoff, l.l_linger)) return fail(err, kernel_error(rc));
            return 0;
        }
        case SO_DONTLINGER: {
            if (int e = take_int(Rule::kBool, true, optval, len, &value)) return fail(err, e);
            LINGER l{};
            kernel::get_linger(fd, &l.l_onoff, &l.l_linger);
            if (int rc = kernel::set_linger(fd, value ? 0 : 1, l.l_linger)) return fail(err, kernel_error(rc));
            return 0;
        }
        case SO_RCVBUF:
        case SO_SNDBUF: {
            if (int e = take_int(Rule::kZeroFill, true, optval, len, &value)) return fail(err, e);
            if (value < 0) return fail(err, WSAEINVAL);
            bool receive = optname == SO_RCVBUF;
            // Windows reports the value as set (0 included); the kernel gets a usable size.
            if (int rc = kernel::set_buffer_size(fd, receive, value < 4096 ? 4096 : value))
                return fail(err, kernel_error(rc));
            base_sockets().update(s, [receive, value](BaseSocket &b) { (receive ? b.receive_buffer : b.send_buffer) = value; });
            return 0;
        }
        case SO_RCVTIMEO:
        case SO_SNDTIMEO: {
            DWORD ms = 0;
            if (int e = take_value(Rule::kStrict, true, sizeof ms, optval, len, &ms)) return fail(err, e);
            bool receive = optname == SO_RCVTIMEO;
            // A WSASocket socket created without WSA_FLAG_OVERLAPPED never applies the timeout
            // (seed 002, Remarks); the value still reads back.
            if (socket.flags & WSA_FLAG_OVERLAPPED)
                if (int rc = kernel::set_timeout(fd, receive, ms)) return fail(err, kernel_error(rc));
            base_sockets().update(s, [receive, ms](BaseSocket &b) { (receive ? b.receive_timeout_ms : b.send_timeout_ms) = ms; });
            return 0;
        }
        case SO_ERROR:
            // Accepted, and the value reads back, as on Windows.
            if (int e = take_int(Rule::kStrict, true, optval, len, &value)) return fail(err, e);
            base_sockets().update(s, [value](BaseSocket &b) { b.connect_error = value; });
            return 0;
        case SO_GROUP_PRIORITY:
            if (int e = take_int(Rule::kStrict, true, optval, len, &value)) return fail(err, e);
            base_sockets().update(s, [value](BaseSocket &b) { b.group_priority = value; });
            return 0;
        case SO_UPDATE_ACCEPT_CONTEXT:
        case SO_UPDATE_CONNECT_CONTEXT: {
            // Accepted sockets already carry their listener's context here.
            SOCKET other = INVALID_SOCKET;
            if (optname == SO_UPDATE_ACCEPT_CONTEXT &&
                take_value(Rule::kStrict, true, sizeof other, optval, len, &other) != 0)
                return fail(err, WSAEFAULT);
            if (optname == SO_UPDATE_ACCEPT_CONTEXT && !base_sockets().contains(other)) return fail(err, WSAENOTSOCK);
            return 0;
        }
        default:
            break;
    }
    return fail(err, WSAENOPROTOOPT);
}

}  // namespace

int WSPAPI WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    if (!known_level(level)) return fail(lpErrno, WSAEINVAL);
    int len = 0;
    if (optlen == nullptr || !win32::read_user_value(&len, optlen)) return fail(lpErrno, WSAEFAULT);
    if (int e = applicability_error(socket, level, optname)) return fail(lpErrno, e);
    if (level == SOL_SOCKET && optname != SO_KEEPALIVE && optname != SO_DONTROUTE &&
        optname != SO_BROADCAST && optname != SO_OOBINLINE)
        return get_socket_level(s, socket, optname, optval, len, optlen, lpErrno);
    if (level == IPPROTO_IP && optname == IP_DONTFRAGMENT) {
        bool on = false;
        if (int rc = kernel::get_ipv4_dont_fragment(static_cast<int>(s), &on)) return fail(lpErrno, kernel_error(rc));
        return put_int(Rule::kByteBool, on ? 1 : 0, optval, len, optlen, lpErrno);
    }
    if (level == IPPROTO_IPV6 && optname == IPV6_V6ONLY && socket.af == AF_INET)
        return put_int(Rule::kOneByte, 1, optval, len, optlen, lpErrno);  // IPv4 sockets read 1
    if ((level == IPPROTO_IP && (optname == IP_ADD_MEMBERSHIP || optname == IP_DROP_MEMBERSHIP)) ||
        (level == IPPROTO_IPV6 && (optname == IPV6_ADD_MEMBERSHIP || optname == IPV6_DROP_MEMBERSHIP)))
        return fail(lpErrno, WSAENOPROTOOPT);  // set-only
    int linux_level = 0, linux_name = 0;
    if (!kernel::linux_option(level, optname, &linux_level, &linux_name)) return fail(lpErrno, WSAENOPROTOOPT);
    int value = 0;
    if (int rc = kernel::get_int_option(static_cast<int>(s), linux_level, linux_name, &value))
        return fail(lpErrno, kernel_error(rc));
    Rule rule = passthrough_rule(level, optname);
    if (rule == Rule::kBool || rule == Rule::kOneByte || rule == Rule::kByteBool) value = value != 0;
    return put_int(rule, value, optval, len, optlen, lpErrno);
}

int WSPAPI WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT lpErrno) {
    BaseSocket socket{};
    if (!find(s, &socket, lpErrno)) return SOCKET_ERROR;
    if (!known_level(level)) return fail(lpErrno, WSAEINVAL);
    if (int e = applicability_error(socket, level, optname)) return fail(lpErrno, e);
    if (level == SOL_SOCKET && optname != SO_KEEPALIVE && optname != SO_DONTROUTE &&
        optname != SO_BROADCAST && optname != SO_OOBINLINE)
        return set_socket_level(s, socket, optname, optval, optlen, lpErrno);
    int fd = static_cast<int>(s);
    if (level == IPPROTO_IP && optname == IP_DONTFRAGMENT) {
        int value = 0;
        if (int e = take_int(Rule::kByteBool, false, optval, optlen, &value)) return fail(lpErrno, e);
        if (int rc = kernel::set_ipv4_dont_fragment(fd, value != 0)) return fail(lpErrno, kernel_error(rc));
        return 0;
    }
    if (level == IPPROTO_IPV6 && optname == IPV6_V6ONLY && socket.af == AF_INET) {
        int value = 0;
        if (int e = take_int(Rule::kOneByte, false, optval, optlen, &value)) return fail(lpErrno, e);
        return (socket.state & BaseSocket::kBound) ? fail(lpErrno, WSAEINVAL) : 0;
    }
    int linux_level = 0, linux_name = 0;
    if (!kernel::linux_option(level, optname, &linux_level, &linux_name)) return fail(lpErrno, WSAENOPROTOOPT);
    bool membership = (level == IPPROTO_IP && (optname == IP_ADD_MEMBERSHIP || optname == IP_DROP_MEMBERSHIP)) ||
                      (level == IPPROTO_IPV6 && (optname == IPV6_ADD_MEMBERSHIP || optname == IPV6_DROP_MEMBERSHIP)) ||
                      (level == IPPROTO_IP && optname == IP_MULTICAST_IF);
    if (membership) {
        // Structures with the same layout on both systems (ip_mreq, ipv6_mreq, in_addr).
        int natural = level == IPPROTO_IPV6 ? static_cast<int>(sizeof(IPV6_MREQ))
                                            : (optname == IP_MULTICAST_IF ? 4 : static_cast<int>(sizeof(IP_MREQ)));
        unsigned char bytes[32];
        if (int e = take_value(Rule::kStrict, false, natural, optval, optlen, bytes)) return fail(lpErrno, e);
        if (int rc = kernel::set_option(fd, linux_level, linux_name, bytes, static_cast<unsigned>(natural)))
            return fail(lpErrno, kernel_error(rc));
        return 0;
    }
    Rule rule = passthrough_rule(level, optname);
    int value = 0;
    if (int e = take_int(rule, level == SOL_SOCKET, optval, optlen, &value)) return fail(lpErrno, e);
    if (rule == Rule::kOneByte) value &= 0xff;
    if (rule == Rule::kByteValue && optlen >= 4 && (value < 0 || value > 255)) return fail(lpErrno, WSAEINVAL);
    if (rule == Rule::kBool || rule == Rule::kOneByte || rule == Rule::kByteBool) value = value != 0;
    if (int rc = kernel::set_int_option(fd, linux_level, linux_name, value)) return fail(lpErrno, kernel_error(rc));
    if (level == SOL_SOCKET && optname == SO_OOBINLINE)
        base_sockets().update(s, [value](BaseSocket &b) {
            b.state = value ? (b.state | BaseSocket::kOobInline) : (b.state & ~BaseSocket::kOobInline);
        });
    return 0;
}

}  // namespace ws2::base
