// The name layer's contact with glibc: host, address, service and protocol lookups and the
// local host's addresses. This header is neutral (no Windows or Linux socket headers); the
// implementation includes only Linux headers and speaks Windows numbers at this boundary:
// families are Windows' (AF_INET 2, AF_INET6 23) and errors are Winsock codes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ws2::names::sys {

inline constexpr int kWinAfInet = 2;
inline constexpr int kWinAfInet6 = 23;

struct Address {
    int family = 0;               // kWinAfInet or kWinAfInet6
    std::uint8_t bytes[16] = {};  // network order; the first 4 for IPv4
    std::uint32_t scope_id = 0;   // IPv6
    std::uint32_t flowinfo = 0;   // IPv6, network order as in sockaddr_in6
};

// What lookup_addresses is asked for (the Windows side translates AI_* into these).
enum LookupFlag : unsigned {
    kPassive = 1u << 0,
    kCanonName = 1u << 1,
    kNumericHost = 1u << 2,
    kAll = 1u << 3,
    kAddrConfig = 1u << 4,
    kV4Mapped = 1u << 5,
    kIdn = 1u << 6,  // the node is UTF-8 to be converted to its ASCII (punycode) form
};

// getaddrinfo for the node only (family 0, kWinAfInet or kWinAfInet6). A null node is the
// wildcard (kPassive) or loopback address. As Windows' resolver answers them itself:
// "localhost" is every loopback address of the machine (IPv6 first), and the host's own name,
// "" and "..localmachine" are the addresses of its interfaces. Returns 0 or a Winsock error
// (WSAHOST_NOT_FOUND, WSANO_DATA, WSATRY_AGAIN, WSANO_RECOVERY, WSA_NOT_ENOUGH_MEMORY).
int lookup_addresses(const std::string *node, int family, unsigned flags,
                     std::vector<Address> *out, std::string *canonical_name);

struct HostEntry {
    std::string name;
    std::vector<std::string> aliases;
    std::vector<Address> addresses;
};

// gethostbyname: IPv4 only; "" and the local host's name give its interface addresses.
int host_by_name(const std::string &name, HostEntry *out);
// gethostbyaddr: bytes holds 4 (kWinAfInet) or 16 (kWinAfInet6) bytes.
int host_by_address(int family, const std::uint8_t *bytes, HostEntry *out);
// The name of an address for getnameinfo (0 or a Winsock error; WSAHOST_NOT_FOUND when the
// address has no name).
int name_of_address(const Address &address, bool short_name, std::string *name);

struct ServiceEntry {
    std::string name;
    std::vector<std::string> aliases;
    std::uint16_t port_net = 0;  // network order
    std::string protocol;
};

// The services database (/etc/services), names compared without regard to case as Windows
// does; a null or empty protocol matches any.
bool service_by_name(const std::string &name, const char *protocol, ServiceEntry *out);
bool service_by_port(std::uint16_t port_net, const char *protocol, ServiceEntry *out);
// Whether the services database can be read at all (a failed lookup is then "no such service"
// rather than "database not accessible").
bool services_available();

struct ProtocolEntry {
    std::string name;
    std::vector<std::string> aliases;
    int number = 0;
};

// The protocols database (/etc/protocols); names compared without regard to case. Without a
// database the Windows protocol file's entries are used.
bool protocol_by_name(const std::string &name, ProtocolEntry *out);
bool protocol_by_number(int number, ProtocolEntry *out);

// An internationalized name (UTF-8) in its ASCII form ("xn--" labels), as Windows' resolver
// converts it (IDNA with libidn2, loaded when first needed). False when the name cannot be
// converted or libidn2 is not installed.
bool idn_to_ascii(const std::string &utf8, std::string *ascii);

// The host name (0 or a Winsock error).
int host_name(std::string *out);

}  // namespace ws2::names::sys
