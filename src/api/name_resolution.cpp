// Name resolution: getaddrinfo, GetAddrInfoW, freeaddrinfo, FreeAddrInfoW, getnameinfo,
// GetNameInfoW, gethostbyname, gethostbyaddr, gethostname, getservbyname, getservbyport,
// getprotobyname, getprotobynumber, gai_strerrorA/W.
//
// The lookups themselves are glibc's (names/system_resolver.cpp); this file checks arguments
// the way Windows does, reads caller memory through the kernel, and returns Windows' structures:
// ADDRINFOA/W lists (one per address, ai_socktype/ai_protocol as the hints gave them, Windows
// family numbers) that only freeaddrinfo/FreeAddrInfoW release, and HOSTENT/SERVENT/PROTOENT in
// per-thread buffers that the next call of the same kind in the thread reuses.
#include <winsock2.h>
#include <ws2tcpip.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "api/process.h"
#include "names/guard.h"
#include "names/ip_text.h"
#include "names/system_resolver.h"
#include "names/user_strings.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"
#include "win32/wide_string.h"

namespace ws2::api {
namespace {

using names::sys::Address;

std::uint16_t to_net16(unsigned value) {
    const std::uint8_t bytes[2] = {static_cast<std::uint8_t>(value >> 8),
                                   static_cast<std::uint8_t>(value)};
    std::uint16_t out;
    std::memcpy(&out, bytes, sizeof out);
    return out;
}

unsigned from_net16(std::uint16_t net) {
    std::uint8_t bytes[2];
    std::memcpy(bytes, &net, sizeof bytes);
    return static_cast<unsigned>(bytes[0]) << 8 | bytes[1];
}

std::wstring widen(const std::string &utf8) {
    if (auto wide = win32::from_utf8(utf8)) return *wide;
    std::wstring bytes;  // not UTF-8: keep each byte as a character rather than lose the name
    for (unsigned char c : utf8) bytes.push_back(c);
    return bytes;
}

bool all_digits(const std::string &text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Caller strings, narrow or wide, as UTF-8. *non_ascii tells whether an IDN conversion applies;
// *invalid that a wide string holds something that is not a character (it then names nothing).
// False only when the string cannot be read.
bool read_name(const char *user, std::optional<std::string> *out, bool *non_ascii, bool *invalid) {
    out->reset();
    *non_ascii = *invalid = false;
    if (user == nullptr) return true;
    std::string text;
    if (!names::read_user_string(user, &text)) return false;
    *non_ascii = std::any_of(text.begin(), text.end(), [](char c) { return (c & 0x80) != 0; });
    *out = std::move(text);
    return true;
}

bool read_name(const wchar_t *user, std::optional<std::string> *out, bool *non_ascii, bool *invalid) {
    out->reset();
    *non_ascii = *invalid = false;
    if (user == nullptr) return true;
    std::wstring text;
    if (!names::read_user_string(user, &text)) return false;
    *non_ascii = std::any_of(text.begin(), text.end(), [](wchar_t c) { return c > 0x7f; });
    *out = win32::to_utf8(text);
    *invalid = !text.empty() && (*out)->empty();
    return true;
}

// ---- getaddrinfo -------------------------------------------------------------------------------

constexpr unsigned kKnownAiFlags =
    AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV | AI_DNS_ONLY | AI_ALL |
    AI_ADDRCONFIG | AI_V4MAPPED | AI_NON_AUTHORITATIVE | AI_SECURE | AI_RETURN_PREFERRED_NAMES |
    AI_FQDN | AI_FILESERVER | AI_DISABLE_IDN_ENCODING | AI_EXTENDED | AI_RESOLUTION_HANDLE;

struct Query {
    std::optional<std::string> node, service;  // UTF-8
    bool node_non_ascii = false;
    int flags = 0, family = AF_UNSPEC, socktype = 0, protocol = 0;
};

struct Answer {
    std::vector<Address> addresses;
    std::uint16_t port_net = 0;
    std::string canonical_name;
};

// Windows' checks of the hints, in its order.
template <class Info>
int check_hints(const Info &hints, bool has_node, Query *q) {
    if (hints.ai_addrlen != 0 || hints.ai_canonname != nullptr || hints.ai_addr != nullptr ||
        hints.ai_next != nullptr)
        return WSANO_RECOVERY;
    const unsigned flags = static_cast<unsigned>(hints.ai_flags);
    if (flags & ~kKnownAiFlags) return WSAEINVAL;
    if ((flags & AI_CANONNAME) && (flags & AI_FQDN)) return WSAEINVAL;
    if ((flags & (AI_CANONNAME | AI_FQDN)) && !has_node) return WSANO_RECOVERY;
    if (hints.ai_family != AF_UNSPEC && hints.ai_family != AF_INET && hints.ai_family != AF_INET6)
        return WSAEAFNOSUPPORT;
    if (hints.ai_socktype < 0 || hints.ai_socktype > SOCK_SEQPACKET) return WSAESOCKTNOSUPPORT;
    q->flags = hints.ai_flags;
    q->family = hints.ai_family;
    q->socktype = hints.ai_socktype;
    q->protocol = hints.ai_protocol;
    return 0;
}

// The port of pServiceName: none or "" is 0, digits are a number, anything else a name from
// the services database (udp for datagram sockets, tcp for stream ones, either otherwise).
int service_port(const Query &q, std::uint16_t *port_net) {
    *port_net = 0;
    if (!q.service || q.service->empty()) return 0;
    const std::string &service = *q.service;
    if (all_digits(service)) {
        if (service.size() > 5 || std::strtoul(service.c_str(), nullptr, 10) > 65535)
            return WSATYPE_NOT_FOUND;
        *port_net = to_net16(static_cast<unsigned>(std::strtoul(service.c_str(), nullptr, 10)));
        return 0;
    }
    if (q.flags & AI_NUMERICSERV) return WSAHOST_NOT_FOUND;
    names::sys::ServiceEntry entry;
    bool found;
    if (q.socktype == SOCK_DGRAM)
        found = names::sys::service_by_name(service, "udp", &entry);
    else if (q.socktype == SOCK_STREAM)
        found = names::sys::service_by_name(service, "tcp", &entry);
    else
        found = names::sys::service_by_name(service, "tcp", &entry) ||
                names::sys::service_by_name(service, "udp", &entry);
    if (!found) return WSATYPE_NOT_FOUND;
    *port_net = entry.port_net;
    return 0;
}

int resolve(const Query &q, Answer *answer) {
    if (int rc = service_port(q, &answer->port_net)) return rc;

    std::optional<std::string> node = q.node;
    // "[address]" and "[address]:port" name an IPv6 address (the port is ignored).
    if (node && (q.family == AF_UNSPEC || q.family == AF_INET6) && !node->empty() &&
        (*node)[0] == '[') {
        std::size_t close = node->find(']', 1);
        if (close != std::string::npos) node = node->substr(1, close - 1);
    }
    unsigned flags = 0;
    if (q.flags & AI_PASSIVE) flags |= names::sys::kPassive;
    if (q.flags & (AI_CANONNAME | AI_FQDN)) flags |= names::sys::kCanonName;
    if (q.flags & AI_NUMERICHOST) flags |= names::sys::kNumericHost;
    if (q.flags & AI_ALL) flags |= names::sys::kAll;
    if (q.flags & AI_ADDRCONFIG) flags |= names::sys::kAddrConfig;
    if (q.flags & AI_V4MAPPED) flags |= names::sys::kV4Mapped;
    if (q.node_non_ascii) {
        // An internationalized name is looked up in its ASCII form unless the caller said not to
        // (the A function's "ANSI" text is UTF-8 in ws2).
        if (q.flags & AI_DISABLE_IDN_ENCODING) return WSAHOST_NOT_FOUND;
        flags |= names::sys::kIdn;
    }
    const int family = q.family == AF_INET    ? names::sys::kWinAfInet
                       : q.family == AF_INET6 ? names::sys::kWinAfInet6
                                              : 0;
    int rc = names::sys::lookup_addresses(node ? &*node : nullptr, family, flags,
                                          &answer->addresses, &answer->canonical_name);
    if (rc == 0 && answer->addresses.empty()) rc = WSANO_DATA;
    return rc;
}

// Every node of a result list is one allocation (header, ADDRINFO, sockaddr, canonical name),
// so freeaddrinfo can release any list or suffix of one node by node, as Windows does.
struct alignas(16) NodeHeader {
    std::uint64_t magic;
    std::uint64_t reserved;
};
constexpr std::uint64_t kNodeMagic = 0x6f666e6972646461ull;  // "addrinfo"

template <class Info>
void free_list(Info *info) {
    while (info != nullptr) {
        NodeHeader *header = reinterpret_cast<NodeHeader *>(info) - 1;
        if (header->magic != kNodeMagic) return;  // not ours: leave it alone
        Info *next = info->ai_next;
        header->magic = 0;
        std::free(header);
        info = next;
    }
}

void fill_sockaddr(const Address &a, std::uint16_t port_net, void *out) {
    if (a.family == names::sys::kWinAfInet) {
        SOCKADDR_IN in{};
        in.sin_family = AF_INET;
        in.sin_port = port_net;
        std::memcpy(&in.sin_addr, a.bytes, 4);
        std::memcpy(out, &in, sizeof in);
    } else {
        SOCKADDR_IN6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = port_net;
        in6.sin6_flowinfo = a.flowinfo;
        std::memcpy(&in6.sin6_addr, a.bytes, 16);
        in6.sin6_scope_id = a.scope_id;
        std::memcpy(out, &in6, sizeof in6);
    }
}

template <class Info, class Char>
Info *build_list(const Query &q, const Answer &answer, const std::basic_string<Char> &canonical) {
    Info *head = nullptr, **tail = &head;
    for (std::size_t i = 0; i < answer.addresses.size(); ++i) {
        const Address &a = answer.addresses[i];
        const std::size_t addr_len =
            a.family == names::sys::kWinAfInet ? sizeof(SOCKADDR_IN) : sizeof(SOCKADDR_IN6);
        const bool with_name = i == 0 && !canonical.empty();
        const std::size_t name_bytes = with_name ? (canonical.size() + 1) * sizeof(Char) : 0;
        void *block = std::malloc(sizeof(NodeHeader) + sizeof(Info) + addr_len + name_bytes);
        if (block == nullptr) {
            free_list(head);
            return nullptr;
        }
        auto *header = static_cast<NodeHeader *>(block);
        header->magic = kNodeMagic;
        auto *info = reinterpret_cast<Info *>(header + 1);
        std::memset(info, 0, sizeof(Info));
        auto *addr = reinterpret_cast<char *>(info + 1);
        fill_sockaddr(a, answer.port_net, addr);
        info->ai_flags = 0;
        info->ai_family = a.family == names::sys::kWinAfInet ? AF_INET : AF_INET6;
        info->ai_socktype = q.socktype;
        info->ai_protocol = q.protocol;
        info->ai_addrlen = addr_len;
        info->ai_addr = reinterpret_cast<sockaddr *>(addr);
        if (with_name) {
            auto *name = reinterpret_cast<Char *>(addr + addr_len);
            std::memcpy(name, canonical.c_str(), name_bytes);
            info->ai_canonname = name;
        }
        *tail = info;
        tail = &info->ai_next;
    }
    return head;
}

template <class Char, class Info>
int get_addr_info(const Char *node, const Char *service, const Info *hints, Info **result) {
    if (!is_started()) return WSANOTINITIALISED;
    if (result == nullptr || !win32::write_user_value(result, static_cast<Info *>(nullptr)))
        return WSAEFAULT;
    Query q;
    bool service_non_ascii, node_invalid, service_invalid;
    if (!read_name(node, &q.node, &q.node_non_ascii, &node_invalid) ||
        !read_name(service, &q.service, &service_non_ascii, &service_invalid))
        return WSAEFAULT;
    if (!q.node && !q.service) return WSAHOST_NOT_FOUND;
    if (hints != nullptr) {
        Info copy;
        if (!win32::read_user_value(&copy, hints)) return WSAEFAULT;
        if (int rc = check_hints(copy, q.node.has_value(), &q)) return rc;
    }
    if (node_invalid) return WSAHOST_NOT_FOUND;
    if (service_invalid) return WSATYPE_NOT_FOUND;
    Answer answer;
    if (int rc = resolve(q, &answer)) return rc;

    Info *list;
    if constexpr (sizeof(Char) == 1)
        list = build_list<Info>(q, answer, answer.canonical_name);
    else
        list = build_list<Info>(q, answer, widen(answer.canonical_name));
    if (list == nullptr) return WSA_NOT_ENOUGH_MEMORY;
    if (!win32::write_user_value(result, list)) {
        free_list(list);
        return WSAEFAULT;
    }
    return 0;
}

// ---- getnameinfo -------------------------------------------------------------------------------

std::string numeric_host(const Address &a) {
    return a.family == names::sys::kWinAfInet ? names::format_ipv4(a.bytes, 0)
                                              : names::format_ipv6(a.bytes, a.scope_id, 0);
}

template <class Char>
bool fits_and_write(Char *user, DWORD capacity, const std::string &utf8, bool *too_small) {
    if constexpr (sizeof(Char) == 1) {
        if (utf8.size() + 1 > capacity) return *too_small = true, false;
        return names::write_user_string(user, utf8);
    } else {
        std::wstring text = widen(utf8);
        if (text.size() + 1 > capacity) return *too_small = true, false;
        return names::write_user_string(user, text);
    }
}

template <class Char>
int get_name_info(const SOCKADDR *sa, socklen_t sa_len, Char *host, DWORD host_len, Char *serv,
                  DWORD serv_len, int flags) {
    if (!is_started()) return WSANOTINITIALISED;
    ADDRESS_FAMILY family = 0;
    if (sa == nullptr || !win32::read_user_value(&family, &sa->sa_family)) return WSAEFAULT;
    Address a;
    std::uint16_t port_net;
    if (family == AF_INET) {
        SOCKADDR_IN in;
        if (sa_len < static_cast<socklen_t>(sizeof in) || !win32::read_user(&in, sa, sizeof in))
            return WSAEFAULT;
        a.family = names::sys::kWinAfInet;
        std::memcpy(a.bytes, &in.sin_addr, 4);
        port_net = in.sin_port;
    } else if (family == AF_INET6) {
        SOCKADDR_IN6 in6;
        if (sa_len < static_cast<socklen_t>(sizeof in6) || !win32::read_user(&in6, sa, sizeof in6))
            return WSAEFAULT;
        a.family = names::sys::kWinAfInet6;
        std::memcpy(a.bytes, &in6.sin6_addr, 16);
        a.scope_id = in6.sin6_scope_id;
        port_net = in6.sin6_port;
    } else {
        return WSAEAFNOSUPPORT;
    }
    if (host == nullptr && serv == nullptr) return WSAHOST_NOT_FOUND;
    if ((host != nullptr && host_len == 0) || (serv != nullptr && serv_len == 0)) return WSAEINVAL;

    std::string host_text, serv_text;
    if (host != nullptr) {
        if (flags & NI_NUMERICHOST) {
            host_text = numeric_host(a);
        } else if (int rc = names::sys::name_of_address(a, (flags & NI_NOFQDN) != 0, &host_text)) {
            if (flags & NI_NAMEREQD) return rc;
            host_text = numeric_host(a);
        }
    }
    if (serv != nullptr) {
        names::sys::ServiceEntry entry;
        if (!(flags & NI_NUMERICSERV) &&
            names::sys::service_by_port(port_net, (flags & NI_DGRAM) ? "udp" : "tcp", &entry))
            serv_text = entry.name;
        else
            serv_text = std::to_string(from_net16(port_net));
    }
    bool too_small = false;
    if (host != nullptr && !fits_and_write(host, host_len, host_text, &too_small)) return WSAEFAULT;
    if (serv != nullptr && !fits_and_write(serv, serv_len, serv_text, &too_small)) return WSAEFAULT;
    return 0;
}

// ---- hostent, servent, protoent ---------------------------------------------------------------

// One per kind and thread: the result of the previous call stays valid until the next call of
// the same kind in the thread, and the buffer only moves when a larger result needs it.
class ThreadBuffer {
public:
    char *get(std::size_t bytes) {
        std::size_t words = (bytes + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t);
        if (words > storage_.size()) storage_.resize(std::max<std::size_t>(words, 2 * storage_.size()));
        return reinterpret_cast<char *>(storage_.data());
    }

private:
    std::vector<std::uint64_t> storage_ = std::vector<std::uint64_t>(1024 / sizeof(std::uint64_t));
};

thread_local ThreadBuffer t_hostent, t_servent, t_protoent;

std::size_t strings_size(const std::vector<std::string> &list) {
    std::size_t size = 0;
    for (const std::string &s : list) size += s.size() + 1;
    return size;
}

char *put_string(char **cursor, const std::string &s) {
    char *at = *cursor;
    std::memcpy(at, s.c_str(), s.size() + 1);
    *cursor += s.size() + 1;
    return at;
}

// Windows' layout: the structure, the alias pointers, the address pointers, the addresses,
// then the strings.
hostent *build_hostent(const names::sys::HostEntry &e, int family) {
    const std::size_t addr_len = family == AF_INET6 ? 16 : 4;
    const std::size_t aliases = e.aliases.size(), addrs = e.addresses.size();
    const std::size_t size = sizeof(hostent) + (aliases + 1 + addrs + 1) * sizeof(char *) +
                             addrs * addr_len + strings_size(e.aliases) + e.name.size() + 1;
    char *base = t_hostent.get(size);
    auto *h = reinterpret_cast<hostent *>(base);
    auto **alias_list = reinterpret_cast<char **>(h + 1);
    char **addr_list = alias_list + aliases + 1;
    char *cursor = reinterpret_cast<char *>(addr_list + addrs + 1);
    for (std::size_t i = 0; i < addrs; ++i) {
        std::memcpy(cursor, e.addresses[i].bytes, addr_len);
        addr_list[i] = cursor;
        cursor += addr_len;
    }
    addr_list[addrs] = nullptr;
    for (std::size_t i = 0; i < aliases; ++i) alias_list[i] = put_string(&cursor, e.aliases[i]);
    alias_list[aliases] = nullptr;
    h->h_name = put_string(&cursor, e.name);
    h->h_aliases = alias_list;
    h->h_addrtype = static_cast<short>(family);
    h->h_length = static_cast<short>(addr_len);
    h->h_addr_list = addr_list;
    return h;
}

servent *build_servent(const names::sys::ServiceEntry &e) {
    const std::size_t aliases = e.aliases.size();
    const std::size_t size = sizeof(servent) + (aliases + 1) * sizeof(char *) +
                             strings_size(e.aliases) + e.name.size() + 1 + e.protocol.size() + 1;
    char *base = t_servent.get(size);
    auto *s = reinterpret_cast<servent *>(base);
    auto **alias_list = reinterpret_cast<char **>(s + 1);
    char *cursor = reinterpret_cast<char *>(alias_list + aliases + 1);
    s->s_name = put_string(&cursor, e.name);
    s->s_proto = put_string(&cursor, e.protocol);
    for (std::size_t i = 0; i < aliases; ++i) alias_list[i] = put_string(&cursor, e.aliases[i]);
    alias_list[aliases] = nullptr;
    s->s_aliases = alias_list;
    s->s_port = static_cast<short>(e.port_net);
    return s;
}

protoent *build_protoent(const names::sys::ProtocolEntry &e) {
    const std::size_t aliases = e.aliases.size();
    const std::size_t size = sizeof(protoent) + (aliases + 1) * sizeof(char *) +
                             strings_size(e.aliases) + e.name.size() + 1;
    char *base = t_protoent.get(size);
    auto *p = reinterpret_cast<protoent *>(base);
    auto **alias_list = reinterpret_cast<char **>(p + 1);
    char *cursor = reinterpret_cast<char *>(alias_list + aliases + 1);
    p->p_name = put_string(&cursor, e.name);
    for (std::size_t i = 0; i < aliases; ++i) alias_list[i] = put_string(&cursor, e.aliases[i]);
    alias_list[aliases] = nullptr;
    p->p_aliases = alias_list;
    p->p_proto = static_cast<short>(e.number);
    return p;
}

template <class T>
T *fail_null(int code) {
    win32::set_last_error(static_cast<DWORD>(code));
    return nullptr;
}

// A service lookup that found nothing: no such entry, or (documented) no readable database.
int service_not_found() { return names::sys::services_available() ? WSANO_DATA : WSANO_RECOVERY; }

// An optional protocol name argument of getservbyname/getservbyport.
bool read_protocol(const char *user, std::string *out, bool *given) {
    *given = user != nullptr;
    return user == nullptr || names::read_user_string(user, out);
}

// ---- gai_strerror ----------------------------------------------------------------------------

// The system messages FormatMessage returns for these codes (English), with the line break at
// their end turned into a space as FORMAT_MESSAGE_MAX_WIDTH_MASK does.
struct Message {
    int code;
    const char *text;
};
constexpr Message kMessages[] = {
    {0, "The operation completed successfully. "},
    {ERROR_NOT_ENOUGH_MEMORY, "Not enough memory resources are available to process this command. "},
    {ERROR_INVALID_PARAMETER, "The parameter is incorrect. "},
    {WSAEINTR, "A blocking operation was interrupted by a call to WSACancelBlockingCall. "},
    {WSAEBADF, "The file handle supplied is not valid. "},
    {WSAEACCES, "An attempt was made to access a socket in a way forbidden by its access permissions. "},
    {WSAEFAULT, "The system detected an invalid pointer address in attempting to use a pointer argument in a call. "},
    {WSAEINVAL, "An invalid argument was supplied. "},
    {WSAEMFILE, "Too many open sockets. "},
    {WSAEWOULDBLOCK, "A non-blocking socket operation could not be completed immediately. "},
    {WSAEINPROGRESS, "A blocking operation is currently executing. "},
    {WSAEALREADY, "An operation was attempted on a non-blocking socket that already had an operation in progress. "},
    {WSAENOTSOCK, "An operation was attempted on something that is not a socket. "},
    {WSAEDESTADDRREQ, "A required address was omitted from an operation on a socket. "},
    {WSAEMSGSIZE, "A message sent on a datagram socket was larger than the internal message buffer or some other network limit, or the buffer used to receive a datagram into was smaller than the datagram itself. "},
    {WSAEPROTOTYPE, "A protocol was specified in the socket function call that does not support the semantics of the socket type requested. "},
    {WSAENOPROTOOPT, "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt call. "},
    {WSAEPROTONOSUPPORT, "The requested protocol has not been configured into the system, or no implementation for it exists. "},
    {WSAESOCKTNOSUPPORT, "The support for the specified socket type does not exist in this address family. "},
    {WSAEOPNOTSUPP, "The attempted operation is not supported for the type of object referenced. "},
    {WSAEPFNOSUPPORT, "The protocol family has not been configured into the system or no implementation for it exists. "},
    {WSAEAFNOSUPPORT, "An address incompatible with the requested protocol was used. "},
    {WSAEADDRINUSE, "Only one usage of each socket address (protocol/network address/port) is normally permitted. "},
    {WSAEADDRNOTAVAIL, "The requested address is not valid in its context. "},
    {WSAENETDOWN, "A socket operation encountered a dead network. "},
    {WSAENETUNREACH, "A socket operation was attempted to an unreachable network. "},
    {WSAENETRESET, "The connection has been broken due to keep-alive activity detecting a failure while the operation was in progress. "},
    {WSAECONNABORTED, "An established connection was aborted by the software in your host machine. "},
    {WSAECONNRESET, "An existing connection was forcibly closed by the remote host. "},
    {WSAENOBUFS, "An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full. "},
    {WSAEISCONN, "A connect request was made on an already connected socket. "},
    {WSAENOTCONN, "A request to send or receive data was disallowed because the socket is not connected and (when sending on a datagram socket using a sendto call) no address was supplied. "},
    {WSAESHUTDOWN, "A request to send or receive data was disallowed because the socket had already been shut down in that direction with a previous shutdown call. "},
    {WSAETOOMANYREFS, "Too many references to some kernel object. "},
    {WSAETIMEDOUT, "A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond. "},
    {WSAECONNREFUSED, "No connection could be made because the target machine actively refused it. "},
    {WSAELOOP, "Cannot translate name. "},
    {WSAENAMETOOLONG, "Name component or name was too long. "},
    {WSAEHOSTDOWN, "A socket operation failed because the destination host was down. "},
    {WSAEHOSTUNREACH, "A socket operation was attempted to an unreachable host. "},
    {WSAENOTEMPTY, "Cannot remove a directory that is not empty. "},
    {WSAEPROCLIM, "A Windows Sockets implementation may have a limit on the number of applications that may use it simultaneously. "},
    {WSAEUSERS, "Ran out of quota. "},
    {WSAEDQUOT, "Ran out of disk quota. "},
    {WSAESTALE, "File handle reference is no longer available. "},
    {WSAEREMOTE, "Item is not available locally. "},
    {WSASYSNOTREADY, "WSAStartup cannot function at this time because the underlying system it uses to provide network services is currently unavailable. "},
    {WSAVERNOTSUPPORTED, "The Windows Sockets version requested is not supported. "},
    {WSANOTINITIALISED, "Either the application has not called WSAStartup, or WSAStartup failed. "},
    {WSAEDISCON, "Returned by WSARecv or WSARecvFrom to indicate the remote party has initiated a graceful shutdown sequence. "},
    {WSAENOMORE, "No more results can be returned by WSALookupServiceNext. "},
    {WSAECANCELLED, "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled. "},
    {WSAEINVALIDPROCTABLE, "The procedure call table is invalid. "},
    {WSAEINVALIDPROVIDER, "The requested service provider is invalid. "},
    {WSAEPROVIDERFAILEDINIT, "The requested service provider could not be loaded or initialized. "},
    {WSASYSCALLFAILURE, "A system call that should never fail has failed. "},
    {WSASERVICE_NOT_FOUND, "No such service is known. The service cannot be found in the specified name space. "},
    {WSATYPE_NOT_FOUND, "The specified class was not found. "},
    {WSA_E_NO_MORE, "No more results can be returned by WSALookupServiceNext. "},
    {WSA_E_CANCELLED, "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled. "},
    {WSAEREFUSED, "A database query failed because it was actively refused. "},
    {WSAHOST_NOT_FOUND, "No such host is known. "},
    {WSATRY_AGAIN, "This is usually a temporary error during hostname resolution and means that the local server did not receive a response from an authoritative server. "},
    {WSANO_RECOVERY, "A non-recoverable error occurred during a database lookup. "},
    {WSANO_DATA, "The requested name is valid, but no data of the requested type was found. "},
    {WSA_SECURE_HOST_NOT_FOUND, "No such host is known securely. "},
    {WSA_IPSEC_NAME_POLICY_ERROR, "Name based IPSEC policy could not be added. "},
};

const char *message_for(int code) {
    for (const Message &m : kMessages)
        if (m.code == code) return m.text;
    return "";  // FormatMessage knows no such code
}

// GAI_STRERROR_BUFFER_SIZE (1024) characters and the terminator, as the SDK's buffers.
thread_local char t_gai_message[1025];
thread_local wchar_t t_gai_message_w[1025];

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT INT WSAAPI getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
                                  PADDRINFOA *ppResult) {
    return names::guarded([&]() -> INT {
        int rc = api::get_addr_info(pNodeName, pServiceName, pHints, ppResult);
        win32::set_last_error(static_cast<DWORD>(rc));
        return rc;
    }, INT{WSA_NOT_ENOUGH_MEMORY});
}

WS2_EXPORT INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints,
                                   PADDRINFOW *ppResult) {
    return names::guarded([&]() -> INT {
        int rc = api::get_addr_info(pNodeName, pServiceName, pHints, ppResult);
        win32::set_last_error(static_cast<DWORD>(rc));
        return rc;
    }, INT{WSA_NOT_ENOUGH_MEMORY});
}

WS2_EXPORT VOID WSAAPI freeaddrinfo(PADDRINFOA pAddrInfo) { api::free_list(pAddrInfo); }

WS2_EXPORT VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo) { api::free_list(pAddrInfo); }

WS2_EXPORT INT WSAAPI getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength,
                                  PCHAR pNodeBuffer, DWORD NodeBufferSize, PCHAR pServiceBuffer,
                                  DWORD ServiceBufferSize, INT Flags) {
    return names::guarded([&]() -> INT {
        int rc = api::get_name_info(pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize,
                                    pServiceBuffer, ServiceBufferSize, Flags);
        win32::set_last_error(static_cast<DWORD>(rc));
        return rc;
    }, INT{WSA_NOT_ENOUGH_MEMORY});
}

WS2_EXPORT INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength,
                                   PWCHAR pNodeBuffer, DWORD NodeBufferSize, PWCHAR pServiceBuffer,
                                   DWORD ServiceBufferSize, INT Flags) {
    return names::guarded([&]() -> INT {
        int rc = api::get_name_info(pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize,
                                    pServiceBuffer, ServiceBufferSize, Flags);
        win32::set_last_error(static_cast<DWORD>(rc));
        return rc;
    }, INT{WSA_NOT_ENOUGH_MEMORY});
}

// NULL or "" is the local host; its own name gives its interfaces' IPv4 addresses.
WS2_EXPORT struct hostent *WSAAPI gethostbyname(const char *name) {
    return names::guarded([&]() -> hostent * {
        if (!api::is_started()) return api::fail_null<hostent>(WSANOTINITIALISED);
        std::string text;
        if (name != nullptr && !names::read_user_string(name, &text))
            return api::fail_null<hostent>(WSAEFAULT);
        names::sys::HostEntry entry;
        if (int rc = names::sys::host_by_name(text, &entry)) return api::fail_null<hostent>(rc);
        return api::build_hostent(entry, AF_INET);
    }, static_cast<hostent *>(nullptr));
}

WS2_EXPORT struct hostent *WSAAPI gethostbyaddr(const char *addr, int len, int type) {
    return names::guarded([&]() -> hostent * {
        if (!api::is_started()) return api::fail_null<hostent>(WSANOTINITIALISED);
        int needed;
        if (type == AF_INET)
            needed = 4;
        else if (type == AF_INET6)
            needed = 16;
        else
            return api::fail_null<hostent>(WSAEAFNOSUPPORT);
        // Documented: an IPv6 length other than 16 is WSAEINVAL, a short IPv4 one WSAEFAULT.
        if (type == AF_INET6 && len != needed) return api::fail_null<hostent>(WSAEINVAL);
        std::uint8_t bytes[16];
        if (addr == nullptr || len < needed || !win32::read_user(bytes, addr, static_cast<std::size_t>(needed)))
            return api::fail_null<hostent>(WSAEFAULT);
        names::sys::HostEntry entry;
        if (int rc = names::sys::host_by_address(
                type == AF_INET ? names::sys::kWinAfInet : names::sys::kWinAfInet6, bytes, &entry))
            return api::fail_null<hostent>(rc);
        return api::build_hostent(entry, type);
    }, static_cast<hostent *>(nullptr));
}

// The symbol is ws2_gethostname (ws2_posix_renames.h renames it).
WS2_EXPORT int WSAAPI gethostname(char *name, int namelen) {
    return names::guarded([&]() -> int {
        if (!api::is_started()) {
            win32::set_last_error(WSANOTINITIALISED);
            return SOCKET_ERROR;
        }
        std::string host;
        int rc = names::sys::host_name(&host);
        if (rc == 0 && (name == nullptr || namelen <= static_cast<int>(host.size()) ||
                        !names::write_user_string(name, host)))
            rc = WSAEFAULT;
        if (rc != 0) {
            win32::set_last_error(static_cast<DWORD>(rc));
            return SOCKET_ERROR;
        }
        return 0;
    }, int{SOCKET_ERROR});
}

WS2_EXPORT struct servent *WSAAPI getservbyname(const char *name, const char *proto) {
    return names::guarded([&]() -> servent * {
        if (!api::is_started()) return api::fail_null<servent>(WSANOTINITIALISED);
        std::string service, protocol;
        bool has_protocol;
        if (name == nullptr || !names::read_user_string(name, &service) ||
            !api::read_protocol(proto, &protocol, &has_protocol))
            return api::fail_null<servent>(WSAEFAULT);
        names::sys::ServiceEntry entry;
        if (!names::sys::service_by_name(service, has_protocol ? protocol.c_str() : nullptr, &entry))
            return api::fail_null<servent>(api::service_not_found());
        return api::build_servent(entry);
    }, static_cast<servent *>(nullptr));
}

WS2_EXPORT struct servent *WSAAPI getservbyport(int port, const char *proto) {
    return names::guarded([&]() -> servent * {
        if (!api::is_started()) return api::fail_null<servent>(WSANOTINITIALISED);
        std::string protocol;
        bool has_protocol;
        if (!api::read_protocol(proto, &protocol, &has_protocol))
            return api::fail_null<servent>(WSAEFAULT);
        names::sys::ServiceEntry entry;
        if (!names::sys::service_by_port(static_cast<std::uint16_t>(port),
                                         has_protocol ? protocol.c_str() : nullptr, &entry))
            return api::fail_null<servent>(api::service_not_found());
        return api::build_servent(entry);
    }, static_cast<servent *>(nullptr));
}

WS2_EXPORT struct protoent *WSAAPI getprotobyname(const char *name) {
    return names::guarded([&]() -> protoent * {
        if (!api::is_started()) return api::fail_null<protoent>(WSANOTINITIALISED);
        std::string text;
        if (name == nullptr || !names::read_user_string(name, &text))
            return api::fail_null<protoent>(WSAEFAULT);
        names::sys::ProtocolEntry entry;
        if (!names::sys::protocol_by_name(text, &entry)) return api::fail_null<protoent>(WSANO_DATA);
        return api::build_protoent(entry);
    }, static_cast<protoent *>(nullptr));
}

WS2_EXPORT struct protoent *WSAAPI getprotobynumber(int number) {
    return names::guarded([&]() -> protoent * {
        if (!api::is_started()) return api::fail_null<protoent>(WSANOTINITIALISED);
        names::sys::ProtocolEntry entry;
        if (!names::sys::protocol_by_number(number, &entry)) return api::fail_null<protoent>(WSANO_DATA);
        return api::build_protoent(entry);
    }, static_cast<protoent *>(nullptr));
}

WS2_EXPORT char *WSAAPI gai_strerrorA(int ecode) {
    std::strncpy(api::t_gai_message, api::message_for(ecode), sizeof api::t_gai_message - 1);
    return api::t_gai_message;
}

WS2_EXPORT WCHAR *WSAAPI gai_strerrorW(int ecode) {
    const char *text = api::message_for(ecode);
    std::size_t i = 0;
    for (; text[i] != 0 && i + 1 < sizeof api::t_gai_message_w / sizeof(WCHAR); ++i)
        api::t_gai_message_w[i] = static_cast<unsigned char>(text[i]);
    api::t_gai_message_w[i] = 0;
    return api::t_gai_message_w;
}

}  // extern "C"
