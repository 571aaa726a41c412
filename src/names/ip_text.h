// IPv4/IPv6 addresses as text, the way Windows reads and writes them (ntdll's Rtl* conversions
// behind inet_pton, inet_ntop, WSAStringToAddress and WSAAddressToString, and ws2_32's own
// inet_addr). Plain bytes in, plain bytes out: no socket headers, so both the Windows-side API
// and the base provider use it.
//
// Windows' parsers write into the caller's buffer as they go: a string that fails part-way
// leaves the part already read behind (Wine's tests record exactly which bytes). These functions
// reproduce that: `address` is updated in place, and only where Windows would have written.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace ws2::names {

// RtlIpv4StringToAddress. Strict accepts only four decimal parts; otherwise 1-4 parts with
// C-style hex (0x) and octal (0) numbers, the last part filling the remaining bytes. `address`
// (network order) is written only when the whole address is valid. *terminator receives the
// offset of the first character not read. Returns false for an invalid address.
bool parse_ipv4(const wchar_t *text, bool strict, std::size_t *terminator, std::uint8_t address[4]);

// RtlIpv4StringToAddressEx, non-strict (WSAStringToAddress): "address[:port]", the port 1-65535
// in any C base. *port_net (network order) is written only on success; `address` as above even
// when only the port is wrong.
bool parse_ipv4_with_port(const wchar_t *text, std::uint8_t address[4], std::uint16_t *port_net);

// RtlIpv6StringToAddress (inet_pton): the address ends at *terminator; trailing text is the
// caller's business. Partial results are left in `address` as Windows leaves them.
bool parse_ipv6(const wchar_t *text, std::size_t *terminator, std::uint8_t address[16]);

// RtlIpv6StringToAddressEx (WSAStringToAddress): "address", "address%scope" or
// "[address%scope]:port"; the whole string must be used. *scope_id and *port_net (network
// order) are written only on success.
bool parse_ipv6_with_scope_port(const wchar_t *text, std::uint8_t address[16],
                                std::uint32_t *scope_id, std::uint16_t *port_net);

// ws2_32's inet_addr: 1-4 parts in any C base, ended by the string's end or any white space
// (what follows is ignored); a single space is 0.0.0.0. False means INADDR_NONE.
bool parse_inet_addr(const char *text, std::uint32_t *address_net);

// RtlIpv4AddressToStringEx: "a.b.c.d" and ":port" when the port (network order) is not zero.
std::string format_ipv4(const std::uint8_t address[4], std::uint16_t port_net);

// RtlIpv6AddressToStringEx: lower-case hex, the longest run (two or more) of zero groups as
// "::", IPv4-compatible, -mapped, -translated and ISATAP addresses with a dotted tail, then
// "%scope" when the scope is not zero, and "[...]:port" when the port is not zero.
std::string format_ipv6(const std::uint8_t address[16], std::uint32_t scope_id,
                        std::uint16_t port_net);

}  // namespace ws2::names
