#include "names/ip_text.h"

#include <cstdio>
#include <cstring>

namespace ws2::names {
namespace {

int hex_digit(wchar_t c) {
    if (c >= L'0' && c <= L'9') return c - L'0';
    if (c >= L'a' && c <= L'f') return c - L'a' + 10;
    if (c >= L'A' && c <= L'F') return c - L'A' + 10;
    return -1;
}

std::uint16_t to_net16(std::uint32_t value) {
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

// ---- IPv4 -------------------------------------------------------------------------------------

// One dotted part. A lone '.' is consumed and rejected; "0x" selects hex and a leading 0 octal
// (both refused when strict). Arithmetic is 32-bit like Windows' ULONG, and a step that makes
// the value smaller counts as overflow. *pos ends on the first character not used.
bool read_ipv4_part(const wchar_t *text, std::size_t *pos, bool strict, std::uint32_t *value) {
    std::size_t p = *pos;
    if (text[p] == L'.') {
        *pos = p + 1;
        return false;
    }
    unsigned base = 10;
    if (text[p] == L'0' && (text[p + 1] == L'x' || text[p + 1] == L'X')) {
        p += 2;
        base = 16;
    } else if (text[p] == L'0' && text[p + 1] >= L'0' && text[p + 1] <= L'9') {
        p += 1;
        base = 8;
    }
    if (strict && base != 10) {
        *pos = p;
        return false;
    }
    std::uint32_t result = 0, previous = 0;
    bool read_any = false;
    for (; text[p] != 0; ++p) {
        int digit = hex_digit(text[p]);
        if (digit < 0 || static_cast<unsigned>(digit) >= base) break;
        result = result * base + static_cast<std::uint32_t>(digit);
        if (result < previous) {
            *pos = p;
            return false;
        }
        previous = result;
        read_any = true;
    }
    *pos = p;
    if (read_any) *value = result;
    return read_any;
}

// Folds 1-4 parts into an address: every part but the last is one byte, the last fills the
// rest. False when a part is too large for its place.
bool combine_ipv4(const std::uint32_t *parts, int count, std::uint8_t address[4]) {
    static constexpr std::uint32_t kLastPartMax[4] = {0xFFFFFFFFu, 0xFFFFFFu, 0xFFFFu, 0xFFu};
    for (int i = 0; i + 1 < count; ++i)
        if (parts[i] > 0xFF) return false;
    if (parts[count - 1] > kLastPartMax[count - 1]) return false;
    std::uint32_t value = parts[count - 1];
    for (int i = 0; i + 1 < count; ++i) value |= parts[i] << (8 * (3 - i));
    for (int i = 0; i < 4; ++i) address[i] = static_cast<std::uint8_t>(value >> (8 * (3 - i)));
    return true;
}

bool read_ipv4(const wchar_t *text, bool strict, std::size_t *end, std::uint8_t address[4]) {
    std::uint32_t parts[4];
    int count = 0;
    std::size_t p = 0;
    for (;;) {
        if (!read_ipv4_part(text, &p, strict, &parts[count])) {
            *end = p;
            return false;
        }
        ++count;
        if (text[p] != L'.') break;
        if (count == 4) {
            *end = p;
            return false;
        }
        ++p;
    }
    *end = p;
    if (strict && count < 4) return false;
    return combine_ipv4(parts, count, address);
}

// ---- IPv6 -------------------------------------------------------------------------------------

// A group or an embedded IPv4 part. The first character must be a hex digit even in base 10;
// base 16 skips a "0x" prefix when a digit follows it; the value saturates at 0x7FFFFFFF (what
// Windows keeps of wcstoul's result). *pos moves only on success.
bool read_ipv6_number(const wchar_t *text, std::size_t *pos, unsigned base, std::uint32_t *value) {
    std::size_t p = *pos;
    if (hex_digit(text[p]) < 0) return false;
    if (base == 16 && text[p] == L'0' && (text[p + 1] == L'x' || text[p + 1] == L'X') &&
        hex_digit(text[p + 2]) >= 0)
        p += 2;
    const std::size_t first = p;
    std::uint64_t result = 0;
    for (;; ++p) {
        int digit = hex_digit(text[p]);
        if (digit < 0 || static_cast<unsigned>(digit) >= base) break;
        result = result * base + static_cast<unsigned>(digit);
        if (result > 0x7FFFFFFF) result = 0x7FFFFFFF;
    }
    if (p == first) return false;
    *pos = p;
    *value = static_cast<std::uint32_t>(result);
    return true;
}

// The IPv6 reader behind both public forms (`extended` is the WSAStringToAddress syntax).
// Groups are stored as they are read; a "::" records where the zeros go and the groups after
// it are moved into place at the end, so an early failure leaves exactly the groups read so far.
// Windows' quirks kept: a leading "::" counts one extra group; the last group may be "0x" plus
// any number of digits (then the 'x' is the terminator and the extended form fails); a group or
// IPv4 part that is too long stops the parse without fixing up the gap.
bool read_ipv6(const wchar_t *text, bool extended, std::size_t *terminator, std::uint8_t a[16],
               std::uint32_t *scope_id, std::uint16_t *port_net) {
    std::size_t p = 0;
    auto fail = [&] {
        if (terminator) *terminator = p;
        return false;
    };
    bool bracketed = false, too_long = false, hex_prefixed = false;
    int written = 0, gap = -1, ipv4_part = 0;
    std::uint32_t value = 0;

    if (text[p] == L'[') {
        if (!extended) return fail();
        bracketed = true;
        ++p;
    }
    if (text[p] == L':') {
        if (text[p + 1] != L':') return fail();
        ++p;
        a[0] = a[1] = 0;
        written = 2;
    }

    for (;;) {
        std::size_t start;
        if (ipv4_part == 0 && text[p] == L':') {
            if (gap != -1) return fail();
            ++p;
            gap = written;
            std::size_t probe = p;
            if (written == 14 || !read_ipv6_number(text, &probe, 16, &value)) break;
        }
        start = p;
        if (ipv4_part == 0 && written <= (gap != -1 ? 10 : 12)) {
            std::size_t probe = p;
            if (read_ipv6_number(text, &probe, 10, &value) && text[probe] == L'.') ipv4_part = 1;
        }
        if (ipv4_part != 0) {
            if (!read_ipv6_number(text, &p, 10, &value)) return fail();
            if (p - start > 3 || value > 255) {
                too_long = true;
            } else {
                if (text[p] != L'.' && (ipv4_part < 4 || (written < 15 && gap == -1))) return fail();
                a[written++] = static_cast<std::uint8_t>(value);
            }
            if (ipv4_part == 4 || text[p] != L'.') break;
            ++ipv4_part;
        } else {
            if (!read_ipv6_number(text, &p, 16, &value)) return fail();
            if (text[start] == L'0' && (text[start + 1] == L'x' || text[start + 1] == L'X')) {
                if (terminator) *terminator = start + 1;
                if (written < 14 && gap == -1) return false;
                a[written] = static_cast<std::uint8_t>(value >> 8);
                a[written + 1] = static_cast<std::uint8_t>(value);
                written += 2;
                hex_prefixed = true;
                break;
            }
            if (text[p] != L':' && written < 14 && gap == -1) return fail();
            if (p - start > 4) {
                too_long = true;
            } else {
                a[written] = static_cast<std::uint8_t>(value >> 8);
                a[written + 1] = static_cast<std::uint8_t>(value);
            }
            written += 2;
            if (text[p] != L':' || (gap != -1 && text[p + 1] == L':')) break;
        }
        if (written == (gap != -1 ? 14 : 16)) break;
        if (too_long) return false;
        ++p;
    }

    if (!hex_prefixed) {
        if (terminator) *terminator = p;
        if (too_long) return false;
    }
    if (gap == -1) {
        if (written < 16) return fail();
    } else {
        const int tail = written - gap;
        std::memmove(a + 16 - tail, a + gap, static_cast<std::size_t>(tail));
        std::memset(a + gap, 0, static_cast<std::size_t>(16 - written));
    }

    std::uint32_t scope = 0, port = 0;
    if (extended) {
        if (hex_prefixed) return fail();
        if (text[p] == L'%') {
            ++p;
            if (!read_ipv4_part(text, &p, true, &scope)) return fail();
        }
        if (bracketed) {
            if (text[p] != L']') return fail();
            ++p;
            if (text[p] == L':') {
                ++p;
                if (!read_ipv4_part(text, &p, false, &port)) return fail();
                if (port == 0 || port > 0xFFFF || text[p] != 0) return fail();
            }
        }
    }
    if (terminator == nullptr && text[p] != 0) return false;
    if (scope_id) *scope_id = scope;
    if (port_net) *port_net = to_net16(port);
    return true;
}

// ---- inet_addr ----------------------------------------------------------------------------------

bool c_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool c_digit(char c) { return c >= '0' && c <= '9'; }

// strtoul(text, &end, 0) for a string that starts with a digit, saturating at 32 bits as the
// Windows C runtime's ULONG does.
std::uint32_t read_c_number(const char *text, const char **end) {
    unsigned base = 10;
    const char *p = text;
    if (p[0] == '0') {
        if ((p[1] == 'x' || p[1] == 'X') && hex_digit(static_cast<unsigned char>(p[2])) >= 0) {
            base = 16;
            p += 2;
        } else {
            base = 8;
        }
    }
    std::uint64_t result = 0;
    for (;; ++p) {
        int digit = hex_digit(static_cast<unsigned char>(*p));
        if (digit < 0 || static_cast<unsigned>(digit) >= base) break;
        result = result * base + static_cast<unsigned>(digit);
        if (result > 0xFFFFFFFFu) result = 0xFFFFFFFFu;
    }
    *end = p;
    return static_cast<std::uint32_t>(result);
}

// ---- IPv6 text ------------------------------------------------------------------------------------

unsigned group(const std::uint8_t a[16], int i) { return static_cast<unsigned>(a[2 * i]) << 8 | a[2 * i + 1]; }

// Whether Windows prints the last 32 bits as a dotted IPv4 address.
bool has_ipv4_tail(const std::uint8_t a[16]) {
    // ISATAP: ...:0:5efe:a.b.c.d or ...:200:5efe:a.b.c.d
    if (group(a, 5) == 0x5efe && (group(a, 4) & ~0x0200u) == 0) return true;
    for (int i = 0; i < 4; ++i)
        if (group(a, i) != 0) return false;
    const unsigned g4 = group(a, 4), g5 = group(a, 5);
    if (g4 != 0 && g4 != 0xffff) return false;
    if (g4 == 0 && g5 != 0 && g5 != 0xffff) return false;
    if (g4 == 0xffff && g5 != 0) return false;
    return group(a, 6) != 0;
}

}  // namespace

bool parse_ipv4(const wchar_t *text, bool strict, std::size_t *terminator, std::uint8_t address[4]) {
    std::size_t end = 0;
    std::uint8_t parsed[4];
    bool ok = read_ipv4(text, strict, &end, parsed);
    *terminator = end;
    if (ok) std::memcpy(address, parsed, sizeof parsed);
    return ok;
}

bool parse_ipv4_with_port(const wchar_t *text, std::uint8_t address[4], std::uint16_t *port_net) {
    std::size_t p = 0;
    std::uint8_t parsed[4];
    if (!read_ipv4(text, false, &p, parsed)) return false;
    std::memcpy(address, parsed, sizeof parsed);
    std::uint32_t port = 0;
    if (text[p] == L':') {
        ++p;
        if (!read_ipv4_part(text, &p, false, &port)) return false;
        if (port == 0 || port > 0xFFFF || text[p] != 0) return false;
    }
    if (text[p] != 0) return false;
    *port_net = to_net16(port);
    return true;
}

bool parse_ipv6(const wchar_t *text, std::size_t *terminator, std::uint8_t address[16]) {
    *terminator = 0;
    return read_ipv6(text, false, terminator, address, nullptr, nullptr);
}

bool parse_ipv6_with_scope_port(const wchar_t *text, std::uint8_t address[16],
                                std::uint32_t *scope_id, std::uint16_t *port_net) {
    return read_ipv6(text, true, nullptr, address, scope_id, port_net);
}

bool parse_inet_addr(const char *text, std::uint32_t *address_net) {
    std::uint8_t bytes[4];
    if (text[0] == ' ' && text[1] == 0) {
        std::memset(bytes, 0, sizeof bytes);
        std::memcpy(address_net, bytes, sizeof bytes);
        return true;
    }
    std::uint32_t parts[4];
    int count = 0;
    const char *s = text;
    for (;;) {
        if (!c_digit(*s)) return false;
        const char *end;
        parts[count++] = read_c_number(s, &end);
        if (*end == 0 || c_space(*end)) break;
        if (*end != '.' || count == 4) return false;
        s = end + 1;
    }
    if (!combine_ipv4(parts, count, bytes)) return false;
    std::memcpy(address_net, bytes, sizeof bytes);
    return true;
}

std::string format_ipv4(const std::uint8_t address[4], std::uint16_t port_net) {
    char text[32];
    int n = std::snprintf(text, sizeof text, "%u.%u.%u.%u", address[0], address[1], address[2],
                          address[3]);
    if (port_net != 0) std::snprintf(text + n, sizeof text - n, ":%u", from_net16(port_net));
    return text;
}

std::string format_ipv6(const std::uint8_t address[16], std::uint32_t scope_id,
                        std::uint16_t port_net) {
    const int groups = has_ipv4_tail(address) ? 6 : 8;
    // The longest run of zero groups (at least two); the first wins a tie.
    int run_start = -1, run_length = 1;
    for (int i = 0; i < groups;) {
        if (group(address, i) != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < groups && group(address, j) == 0) ++j;
        if (j - i > run_length) {
            run_start = i;
            run_length = j - i;
        }
        i = j;
    }

    std::string text;
    char piece[16];
    if (port_net != 0) text += '[';
    for (int i = 0; i < groups;) {
        if (i == run_start) {
            text += ':';
            i += run_length;
            if (i == groups) text += ':';
            continue;
        }
        if (i > 0) text += ':';
        std::snprintf(piece, sizeof piece, "%x", group(address, i));
        text += piece;
        ++i;
    }
    if (groups == 6) {
        if (text.back() != ':') text += ':';
        std::snprintf(piece, sizeof piece, "%u.%u.%u.%u", address[12], address[13], address[14],
                      address[15]);
        text += piece;
    }
    if (scope_id != 0) {
        std::snprintf(piece, sizeof piece, "%%%u", scope_id);
        text += piece;
    }
    if (port_net != 0) {
        std::snprintf(piece, sizeof piece, "]:%u", from_net16(port_net));
        text += piece;
    }
    return text;
}

}  // namespace ws2::names
