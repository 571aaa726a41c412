// glibc's resolver and databases behind the Winsock name functions. Only Linux headers here.
#include "names/system_resolver.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace ws2::names::sys {
namespace {

// Winsock codes (winerror.h); this file cannot include the Windows headers.
constexpr int kWsaNotEnoughMemory = 8;
constexpr int kWsaEinval = 10022;
constexpr int kWsaEafnosupport = 10047;
constexpr int kWsaHostNotFound = 11001;
constexpr int kWsaTryAgain = 11002;
constexpr int kWsaNoRecovery = 11003;
constexpr int kWsaNoData = 11004;

int linux_family(int win_family) {
    switch (win_family) {
        case kWinAfInet: return AF_INET;
        case kWinAfInet6: return AF_INET6;
        default: return AF_UNSPEC;
    }
}

int wsa_from_gai(int rc) {
    switch (rc) {
        case 0: return 0;
        case EAI_NONAME: return kWsaHostNotFound;
        case EAI_AGAIN: return kWsaTryAgain;
        case EAI_FAIL: return kWsaNoRecovery;
        case EAI_MEMORY: return kWsaNotEnoughMemory;
        case EAI_FAMILY: return kWsaEafnosupport;
        case EAI_BADFLAGS: return kWsaEinval;
        case EAI_NODATA: return kWsaNoData;
        case EAI_ADDRFAMILY: return kWsaHostNotFound;  // a numeric address of the other family
        case EAI_IDN_ENCODE: return kWsaHostNotFound;
        case EAI_SYSTEM: return errno == ENOMEM ? kWsaNotEnoughMemory : kWsaNoRecovery;
        default: return kWsaNoRecovery;
    }
}

int wsa_from_h_errno(int h_err, int rc) {
    if (rc == ERANGE) return kWsaNotEnoughMemory;
    switch (h_err) {
        case HOST_NOT_FOUND: return kWsaHostNotFound;
        case TRY_AGAIN: return kWsaTryAgain;
        case NO_RECOVERY: return kWsaNoRecovery;
        case NO_DATA: return kWsaNoData;
        default: return kWsaHostNotFound;
    }
}

bool address_from_sockaddr(const sockaddr *sa, Address *out) {
    *out = Address{};
    if (sa->sa_family == AF_INET) {
        const auto *in = reinterpret_cast<const sockaddr_in *>(sa);
        out->family = kWinAfInet;
        std::memcpy(out->bytes, &in->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(sa);
        out->family = kWinAfInet6;
        std::memcpy(out->bytes, &in6->sin6_addr, 16);
        out->scope_id = in6->sin6_scope_id;
        out->flowinfo = in6->sin6_flowinfo;
        return true;
    }
    return false;
}

// ---- the local host ------------------------------------------------------------------------

std::string local_host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return {};
    return name;
}

// "", "..localmachine" and the host's own name all mean this machine's addresses.
bool is_local_host_name(const std::string &node) {
    if (node.empty() || strcasecmp(node.c_str(), "..localmachine") == 0) return true;
    std::string own = local_host_name();
    return !own.empty() && strcasecmp(own.c_str(), node.c_str()) == 0;
}

// Interfaces that carry a default route, from the kernel's routing tables.
std::vector<std::string> default_route_interfaces(bool ipv6) {
    std::vector<std::string> names;
    std::FILE *f = std::fopen(ipv6 ? "/proc/net/ipv6_route" : "/proc/net/route", "re");
    if (f == nullptr) return names;
    char line[512];
    while (std::fgets(line, sizeof line, f) != nullptr) {
        char a[64], b[64], iface[64] = {};
        if (ipv6) {
            // destination, prefix length, source, source prefix, next hop, metric, refs, use, flags, name
            char c[64], d[64], e[64], g[64], h[64], i[64], j[64];
            if (std::sscanf(line, "%63s %63s %63s %63s %63s %63s %63s %63s %63s %63s", a, b, c, d, e,
                            g, h, i, j, iface) == 10 &&
                std::strspn(a, "0") == 32 && std::strcmp(b, "00") == 0)
                names.emplace_back(iface);
        } else {
            // interface, destination, gateway, flags, refs, use, metric, mask, ...
            char c[64], d[64], e[64], g[64], h[64], mask[64];
            if (std::sscanf(line, "%63s %63s %63s %63s %63s %63s %63s %63s", iface, a, c, d, e, g, h,
                            mask) == 8 &&
                std::strcmp(a, "00000000") == 0 && std::strcmp(mask, "00000000") == 0)
                names.emplace_back(iface);
        }
    }
    std::fclose(f);
    return names;
}

// The addresses of the interfaces that are up, without loopback: IPv6 before IPv4, global
// IPv6 before link-local, and within each group the interfaces with a default route first.
std::vector<Address> interface_addresses(int win_family) {
    std::vector<Address> out;
    ifaddrs *list = nullptr;
    if (getifaddrs(&list) != 0) return out;
    struct Ranked {
        int rank;
        Address address;
    };
    std::vector<Ranked> ranked;
    const std::vector<std::string> v4_default = default_route_interfaces(false);
    const std::vector<std::string> v6_default = default_route_interfaces(true);
    auto routes = [](const std::vector<std::string> &names, const char *iface) {
        return std::find(names.begin(), names.end(), iface) != names.end();
    };
    for (ifaddrs *i = list; i != nullptr; i = i->ifa_next) {
        if (i->ifa_addr == nullptr || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
            continue;
        Address a;
        if (!address_from_sockaddr(i->ifa_addr, &a)) continue;
        if (win_family != 0 && a.family != win_family) continue;
        int rank;
        if (a.family == kWinAfInet6) {
            const bool link_local = a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80;
            rank = (link_local ? 2 : 0) + (routes(v6_default, i->ifa_name) ? 0 : 1);
        } else {
            rank = 4 + (routes(v4_default, i->ifa_name) ? 0 : 1);
        }
        ranked.push_back({rank, a});
    }
    freeifaddrs(list);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Ranked &x, const Ranked &y) { return x.rank < y.rank; });
    for (const Ranked &r : ranked) out.push_back(r.address);
    return out;
}

// Whether an interface that is up has an address of the family (loopback ones or the others).
bool has_address(int win_family, bool loopback) {
    ifaddrs *list = nullptr;
    if (getifaddrs(&list) != 0) return false;
    bool found = false;
    for (ifaddrs *i = list; i != nullptr && !found; i = i->ifa_next) {
        Address a;
        found = i->ifa_addr != nullptr && (i->ifa_flags & IFF_UP) &&
                ((i->ifa_flags & IFF_LOOPBACK) != 0) == loopback &&
                address_from_sockaddr(i->ifa_addr, &a) && a.family == win_family;
    }
    freeifaddrs(list);
    return found;
}

std::vector<Address> loopback_addresses(int win_family) {
    std::vector<Address> out;
    if (win_family != kWinAfInet) {
        Address a;
        a.family = kWinAfInet6;
        a.bytes[15] = 1;
        out.push_back(a);
    }
    if (win_family != kWinAfInet6) {
        Address a;
        a.family = kWinAfInet;
        a.bytes[0] = 127;
        a.bytes[3] = 1;
        out.push_back(a);
    }
    return out;
}

// libidn2's idn2_lookup_u8 and idn2_free, looked up once.
struct Idn2 {
    int (*lookup_u8)(const std::uint8_t *src, std::uint8_t **lookup_name, int flags) = nullptr;
    void (*release)(void *ptr) = nullptr;
};

const Idn2 &idn2() {
    static const Idn2 functions = [] {
        Idn2 f;
        void *library = dlopen("libidn2.so.0", RTLD_NOW | RTLD_LOCAL);
        if (library == nullptr) return f;
        f.lookup_u8 = reinterpret_cast<decltype(f.lookup_u8)>(dlsym(library, "idn2_lookup_u8"));
        f.release = reinterpret_cast<decltype(f.release)>(dlsym(library, "idn2_free"));
        if (f.lookup_u8 == nullptr || f.release == nullptr) f = Idn2{};
        return f;
    }();
    return functions;
}

int glibc_lookup(const char *node, int win_family, unsigned flags, std::vector<Address> *out,
                 std::string *canonical_name) {
    std::string ascii;
    if (node != nullptr && (flags & kIdn)) {
        if (!idn_to_ascii(node, &ascii)) return kWsaHostNotFound;
        node = ascii.c_str();
    }
    addrinfo hints{};
    hints.ai_family = linux_family(win_family);
    hints.ai_socktype = SOCK_STREAM;  // one answer per address; Windows' socktype is set later
    if (flags & kPassive) hints.ai_flags |= AI_PASSIVE;
    if (flags & kCanonName) hints.ai_flags |= AI_CANONNAME;
    if (flags & kNumericHost) hints.ai_flags |= AI_NUMERICHOST;
    if (flags & kAll) hints.ai_flags |= AI_ALL;
    if (flags & kAddrConfig) hints.ai_flags |= AI_ADDRCONFIG;
    if (flags & kV4Mapped) hints.ai_flags |= AI_V4MAPPED;
    addrinfo *result = nullptr;
    int rc = getaddrinfo(node, node == nullptr ? "0" : nullptr, &hints, &result);
    if (rc != 0) return wsa_from_gai(rc);
    for (addrinfo *i = result; i != nullptr; i = i->ai_next) {
        Address a;
        if (i->ai_addr != nullptr && address_from_sockaddr(i->ai_addr, &a)) out->push_back(a);
    }
    if ((flags & kCanonName) && result != nullptr && result->ai_canonname != nullptr)
        *canonical_name = result->ai_canonname;
    freeaddrinfo(result);
    return out->empty() ? kWsaNoData : 0;
}

// ---- databases ----------------------------------------------------------------------------------

std::mutex g_database_mutex;  // the set*ent/get*ent_r/end*ent cursors are process-wide

bool names_match(const char *a, const std::string &b) { return strcasecmp(a, b.c_str()) == 0; }

void copy_service(const servent &s, ServiceEntry *out) {
    out->name = s.s_name;
    out->aliases.clear();
    for (char **a = s.s_aliases; a != nullptr && *a != nullptr; ++a) out->aliases.emplace_back(*a);
    out->port_net = static_cast<std::uint16_t>(s.s_port);
    out->protocol = s.s_proto;
}

bool protocol_matches(const servent &s, const char *protocol) {
    return protocol == nullptr || *protocol == 0 || strcasecmp(s.s_proto, protocol) == 0;
}

template <class Match>
bool scan_services(Match match, ServiceEntry *out) {
    std::lock_guard lock(g_database_mutex);
    std::vector<char> buffer(4096);
    servent entry{}, *result = nullptr;
    bool found = false;
    setservent(0);
    for (;;) {
        int rc = getservent_r(&entry, buffer.data(), buffer.size(), &result);
        if (rc == ERANGE) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (rc != 0 || result == nullptr) break;
        if (match(entry)) {
            copy_service(entry, out);
            found = true;
            break;
        }
    }
    endservent();
    return found;
}

void copy_protocol(const protoent &p, ProtocolEntry *out) {
    out->name = p.p_name;
    out->aliases.clear();
    for (char **a = p.p_aliases; a != nullptr && *a != nullptr; ++a) out->aliases.emplace_back(*a);
    out->number = p.p_proto;
}

// The protocol file Windows installs (%SystemRoot%\system32\drivers\etc\protocol), used when
// this system has no protocols database at all.
struct WindowsProtocol {
    int number;
    const char *name;
    const char *alias;
};
constexpr WindowsProtocol kWindowsProtocols[] = {
    {0, "ip", "IP"},          {1, "icmp", "ICMP"},           {3, "ggp", "GGP"},
    {6, "tcp", "TCP"},        {8, "egp", "EGP"},             {12, "pup", "PUP"},
    {17, "udp", "UDP"},       {20, "hmp", "HMP"},            {22, "xns-idp", "XNS-IDP"},
    {27, "rdp", "RDP"},       {41, "ipv6", "IPv6"},          {43, "ipv6-route", "IPv6-Route"},
    {44, "ipv6-frag", "IPv6-Frag"}, {50, "esp", "ESP"},      {51, "ah", "AH"},
    {58, "ipv6-icmp", "IPv6-ICMP"}, {59, "ipv6-nonxt", "IPv6-NoNxt"},
    {60, "ipv6-opts", "IPv6-Opts"}, {66, "rvd", "RVD"},
};

template <class Match>
bool scan_protocols(Match match, ProtocolEntry *out) {
    bool found = false, any = false;
    {
        std::lock_guard lock(g_database_mutex);
        std::vector<char> buffer(1024);
        protoent entry{}, *result = nullptr;
        setprotoent(0);
        for (;;) {
            int rc = getprotoent_r(&entry, buffer.data(), buffer.size(), &result);
            if (rc == ERANGE) {
                buffer.resize(buffer.size() * 2);
                continue;
            }
            if (rc != 0 || result == nullptr) break;
            any = true;
            if (match(entry.p_name, entry.p_proto)) {
                copy_protocol(entry, out);
                found = true;
                break;
            }
        }
        endprotoent();
    }
    if (any) return found;
    for (const WindowsProtocol &p : kWindowsProtocols) {
        if (match(p.name, p.number)) {
            out->name = p.name;
            out->aliases.assign(1, p.alias);
            out->number = p.number;
            return true;
        }
    }
    return false;
}

}  // namespace

int lookup_addresses(const std::string *node, int win_family, unsigned flags,
                     std::vector<Address> *out, std::string *canonical_name) {
    out->clear();
    canonical_name->clear();
    if (node != nullptr && !(flags & kNumericHost) && strcasecmp(node->c_str(), "localhost") == 0) {
        // Windows answers "localhost" itself, with every loopback address of the machine (IPv6
        // first), whatever the hosts file says; AI_ADDRCONFIG keeps a family only when the
        // machine has a non-loopback address of it.
        for (const Address &a : loopback_addresses(win_family)) {
            if (a.family == kWinAfInet6 && !has_address(kWinAfInet6, true)) continue;
            if ((flags & kAddrConfig) && !has_address(a.family, false)) continue;
            out->push_back(a);
        }
        if (out->empty() && win_family == kWinAfInet6 && (flags & kV4Mapped) &&
            !((flags & kAddrConfig) && !has_address(kWinAfInet, false))) {
            Address mapped;
            mapped.family = kWinAfInet6;
            mapped.bytes[10] = mapped.bytes[11] = 0xff;
            mapped.bytes[12] = 127;
            mapped.bytes[15] = 1;
            out->push_back(mapped);
        }
        if (out->empty()) return kWsaHostNotFound;
        if (flags & kCanonName) *canonical_name = "localhost";
        return 0;
    }
    if (node != nullptr && !(flags & kNumericHost) && is_local_host_name(*node)) {
        // Windows answers its own name (and "") with the addresses of its interfaces.
        std::string own = local_host_name();
        *out = interface_addresses(win_family);
        if (out->empty() && !own.empty()) {
            std::string ignored;
            glibc_lookup(own.c_str(), win_family, flags & ~kCanonName, out, &ignored);
        }
        if (out->empty()) *out = loopback_addresses(win_family);
        if (flags & kCanonName) *canonical_name = own;
        return 0;
    }
    return glibc_lookup(node == nullptr ? nullptr : node->c_str(), win_family, flags, out,
                        canonical_name);
}

namespace {

int glibc_host_by_name(const std::string &name, HostEntry *out) {
    std::vector<char> buffer(2048);
    hostent entry{}, *result = nullptr;
    int h_err = 0, rc;
    while ((rc = gethostbyname_r(name.c_str(), &entry, buffer.data(), buffer.size(), &result,
                                 &h_err)) == ERANGE &&
           buffer.size() < (1u << 20))
        buffer.resize(buffer.size() * 2);
    if (rc != 0 || result == nullptr) return wsa_from_h_errno(h_err, rc);
    if (entry.h_addrtype != AF_INET || entry.h_length != 4) return kWsaNoData;
    out->name = entry.h_name != nullptr ? entry.h_name : name;
    for (char **a = entry.h_aliases; a != nullptr && *a != nullptr; ++a) out->aliases.emplace_back(*a);
    for (char **a = entry.h_addr_list; a != nullptr && *a != nullptr; ++a) {
        Address address;
        address.family = kWinAfInet;
        std::memcpy(address.bytes, *a, 4);
        out->addresses.push_back(address);
    }
    return out->addresses.empty() ? kWsaNoData : 0;
}

}  // namespace

int host_by_name(const std::string &name, HostEntry *out) {
    *out = HostEntry{};
    if (!is_local_host_name(name)) return glibc_host_by_name(name, out);
    // The local host: its interface addresses, else what the resolver says, else loopback.
    const std::string own = local_host_name();
    out->name = own;
    out->addresses = interface_addresses(kWinAfInet);
    if (out->addresses.empty() && !own.empty() && glibc_host_by_name(own, out) != 0) {
        *out = HostEntry{};
        out->name = own;
    }
    if (out->addresses.empty()) out->addresses = loopback_addresses(kWinAfInet);
    return 0;
}

int host_by_address(int win_family, const std::uint8_t *bytes, HostEntry *out) {
    *out = HostEntry{};
    const int af = linux_family(win_family);
    const socklen_t length = af == AF_INET6 ? 16 : 4;
    std::vector<char> buffer(2048);
    hostent entry{}, *result = nullptr;
    int h_err = 0, rc;
    while ((rc = gethostbyaddr_r(bytes, length, af, &entry, buffer.data(), buffer.size(), &result,
                                 &h_err)) == ERANGE &&
           buffer.size() < (1u << 20))
        buffer.resize(buffer.size() * 2);
    if (rc != 0 || result == nullptr) return wsa_from_h_errno(h_err, rc);
    out->name = entry.h_name != nullptr ? entry.h_name : "";
    for (char **a = entry.h_aliases; a != nullptr && *a != nullptr; ++a) out->aliases.emplace_back(*a);
    for (char **a = entry.h_addr_list; a != nullptr && *a != nullptr; ++a) {
        Address address;
        address.family = win_family;
        std::memcpy(address.bytes, *a, length);
        out->addresses.push_back(address);
    }
    if (out->addresses.empty()) {
        Address address;
        address.family = win_family;
        std::memcpy(address.bytes, bytes, length);
        out->addresses.push_back(address);
    }
    return 0;
}

int name_of_address(const Address &address, bool short_name, std::string *name) {
    sockaddr_storage storage{};
    socklen_t length;
    if (address.family == kWinAfInet) {
        auto *in = reinterpret_cast<sockaddr_in *>(&storage);
        in->sin_family = AF_INET;
        std::memcpy(&in->sin_addr, address.bytes, 4);
        length = sizeof *in;
    } else if (address.family == kWinAfInet6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        std::memcpy(&in6->sin6_addr, address.bytes, 16);
        in6->sin6_scope_id = address.scope_id;
        length = sizeof *in6;
    } else {
        return kWsaEafnosupport;
    }
    char host[NI_MAXHOST];
    int flags = NI_NAMEREQD | (short_name ? NI_NOFQDN : 0);
    int rc = getnameinfo(reinterpret_cast<sockaddr *>(&storage), length, host, sizeof host,
                         nullptr, 0, flags);
    if (rc != 0) return wsa_from_gai(rc);
    *name = host;
    return 0;
}

bool service_by_name(const std::string &name, const char *protocol, ServiceEntry *out) {
    const char *wanted = protocol != nullptr && *protocol != 0 ? protocol : nullptr;
    // The common case (exact spelling) without taking the database cursor.
    std::vector<char> buffer(4096);
    servent entry{}, *result = nullptr;
    int rc;
    while ((rc = getservbyname_r(name.c_str(), wanted, &entry, buffer.data(), buffer.size(),
                                 &result)) == ERANGE &&
           buffer.size() < (1u << 20))
        buffer.resize(buffer.size() * 2);
    if (rc == 0 && result != nullptr) {
        copy_service(entry, out);
        return true;
    }
    return scan_services(
        [&](const servent &s) {
            if (!protocol_matches(s, wanted)) return false;
            if (names_match(s.s_name, name)) return true;
            for (char **a = s.s_aliases; a != nullptr && *a != nullptr; ++a)
                if (names_match(*a, name)) return true;
            return false;
        },
        out);
}

bool service_by_port(std::uint16_t port_net, const char *protocol, ServiceEntry *out) {
    const char *wanted = protocol != nullptr && *protocol != 0 ? protocol : nullptr;
    std::vector<char> buffer(4096);
    servent entry{}, *result = nullptr;
    int rc;
    while ((rc = getservbyport_r(port_net, wanted, &entry, buffer.data(), buffer.size(),
                                 &result)) == ERANGE &&
           buffer.size() < (1u << 20))
        buffer.resize(buffer.size() * 2);
    if (rc == 0 && result != nullptr) {
        copy_service(entry, out);
        return true;
    }
    if (wanted == nullptr) return false;
    return scan_services(
        [&](const servent &s) {
            return static_cast<std::uint16_t>(s.s_port) == port_net && protocol_matches(s, wanted);
        },
        out);
}

bool services_available() {
    ServiceEntry ignored;
    return scan_services([](const servent &) { return true; }, &ignored);
}

bool protocol_by_name(const std::string &name, ProtocolEntry *out) {
    return scan_protocols([&](const char *p_name, int) { return names_match(p_name, name); }, out);
}

bool protocol_by_number(int number, ProtocolEntry *out) {
    return scan_protocols([&](const char *, int p_proto) { return p_proto == number; }, out);
}

bool idn_to_ascii(const std::string &utf8, std::string *ascii) {
    constexpr int kNfcInput = 1, kNonTransitional = 8;  // IDN2_NFC_INPUT, IDN2_NONTRANSITIONAL
    const Idn2 &f = idn2();
    if (f.lookup_u8 == nullptr) return false;
    std::uint8_t *converted = nullptr;
    if (f.lookup_u8(reinterpret_cast<const std::uint8_t *>(utf8.c_str()), &converted,
                    kNfcInput | kNonTransitional) != 0 ||
        converted == nullptr)
        return false;
    *ascii = reinterpret_cast<const char *>(converted);
    f.release(converted);
    return true;
}

int host_name(std::string *out) {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return kWsaNoRecovery;
    *out = name;
    return 0;
}

}  // namespace ws2::names::sys
