// Addresses as text: inet_addr, inet_ntoa, inet_pton/InetPtonW, inet_ntop/InetNtopW,
// WSAAddressToStringA/W and WSAStringToAddressA/W. The tables are the answers Windows gives
// (Microsoft's documentation, and Wine's ws2_32 protocol tests run on Windows), including the
// partial results Windows' parsers leave behind when a string fails.
#include <ws2tcpip.h>

#include <cstring>
#include <string>
#include <thread>

#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using ws2test::arm_last_error;
using ws2test::kSentinel;
using ws2test::WinsockTest;

std::wstring wide(const char *text) {
    std::wstring out;
    for (const char *p = text; *p; ++p) out.push_back(static_cast<unsigned char>(*p));
    return out;
}

std::uint32_t net32(std::uint32_t host) {
    return ((host & 0xff) << 24) | ((host & 0xff00) << 8) | ((host >> 8) & 0xff00) | (host >> 24);
}

// ---- inet_addr ------------------------------------------------------------------------------

struct InetAddrCase {
    const char *input;
    std::uint32_t address;  // as the u_long result reads on a little-endian machine
};

const InetAddrCase kInetAddrCases[] = {
    {"1.2.3.4", 0x04030201},       {"1 2 3 4", 0x01000000},      {"1.2.3. 4", 0xffffffff},
    {"1.2.3 .4", 0x03000201},      {"1.2.3 \xfe\xff", 0x03000201}, {"3.4.5.6.7", 0xffffffff},
    {"3.4.5.6. 7", 0xffffffff},    {"3.4.5.6  7", 0x06050403},   {" 3.4.5.6", 0xffffffff},
    {"\t3.4.5.6", 0xffffffff},     {"3.4.5.6 ", 0x06050403},     {"3.4.5.6  ", 0x06050403},
    {"3. 4.5.6", 0xffffffff},      {"3 .4.5.6", 0x03000000},     {"1.2.3", 0x03000201},
    {".1.2.3", 0xffffffff},        {"0.0.0.0", 0x00000000},      {"", 0xffffffff},
    {" 0", 0xffffffff},            {"0xa1a2b3b4 ", 0xb4b3a2a1},  {".", 0xffffffff},
    {" ", 0x00000000},             {"\t", 0xffffffff},           {"  ", 0xffffffff},
    {"127.127.127.255", 0xff7f7f7f}, {"127.127.127.255:123", 0xffffffff},
    {"127.127.127.256", 0xffffffff}, {"a", 0xffffffff},          {"1.2.3.0xaA", 0xaa030201},
    {"1.1.1.0x", 0xffffffff},      {"1.2.3.010", 0x08030201},    {"1.2.3.00", 0x00030201},
    {"1.2.3.0a", 0xffffffff},      {"1.1.1.0o10", 0xffffffff},   {"1.1.1.0b10", 0xffffffff},
    {"1.1.1.-2", 0xffffffff},      {"1", 0x01000000},            {"1.2", 0x02000001},
    {"203569230", 0x4e38220c},     {"[0.1.2.3]", 0xffffffff},    {"0x00010203", 0x03020100},
    {"0x2134", 0x34210000},        {"1234BEEF", 0xffffffff},     {"017700000001", 0x0100007f},
    {"0777", 0xff010000},          {"2607:f0d0:1002:51::4", 0xffffffff},
    {"::177.32.45.20", 0xffffffff}, {"::1/128", 0xffffffff},     {"::1", 0xffffffff},
    {":1", 0xffffffff},            {"4294967295", 0xffffffff},   {"4294967296", 0xffffffff},
};

TEST(InetAddr, WindowsTable) {
    for (const InetAddrCase &c : kInetAddrCases) {
        arm_last_error();
        EXPECT_EQ(inet_addr(c.input), c.address) << '"' << c.input << '"';
        EXPECT_EQ(static_cast<DWORD>(WSAGetLastError()), kSentinel) << c.input;
    }
}

TEST(InetAddr, AnyWhiteSpaceEndsTheAddress) {
    char text[] = "1.2.3?";
    for (int c = 1; c < 256; ++c) {
        if (c >= '0' && c <= '9') continue;
        text[5] = static_cast<char>(c);
        const bool space = c == ' ' || (c >= '\t' && c <= '\r');
        EXPECT_EQ(inet_addr(text), space ? 0x03000201u : 0xffffffffu) << c;
    }
}

TEST(InetAddr, BadPointersAreFaults) {
    arm_last_error();
    EXPECT_EQ(inet_addr(nullptr), INADDR_NONE);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    arm_last_error();
    EXPECT_EQ(inet_addr(static_cast<const char *>(ws2test::inaccessible_page())), INADDR_NONE);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

// ---- inet_ntoa ------------------------------------------------------------------------------

TEST(InetNtoa, FormatsDottedDecimal) {
    in_addr in;
    in.s_addr = 0;
    EXPECT_STREQ(inet_ntoa(in), "0.0.0.0");
    in.s_addr = 0x20201015;
    EXPECT_STREQ(inet_ntoa(in), "21.16.32.32");
    in.s_addr = 0xffffffff;
    EXPECT_STREQ(inet_ntoa(in), "255.255.255.255");
}

TEST(InetNtoa, EachThreadHasItsOwnBuffer) {
    in_addr in;
    in.s_addr = static_cast<ULONG>(inet_addr("1.2.3.4"));
    const char *mine = inet_ntoa(in);
    std::thread other([] {
        in_addr in2;
        in2.s_addr = static_cast<ULONG>(inet_addr("4.3.2.1"));
        EXPECT_STREQ(inet_ntoa(in2), "4.3.2.1");
    });
    other.join();
    EXPECT_STREQ(mine, "1.2.3.4");
}

// ---- inet_pton / InetPtonW ------------------------------------------------------------------

struct PtonV4Case {
    const char *input;
    int ret;
    std::uint32_t address;  // the 4 bytes afterwards, read as a little-endian DWORD
};

const PtonV4Case kPtonV4Cases[] = {
    {"", 0, 0xdeadbeef},           {" ", 0, 0xdeadbeef},          {"1.1.1.1", 1, 0x01010101},
    {"0.0.0.0", 1, 0x00000000},    {"127.127.127.255", 1, 0xff7f7f7f},
    {"127.127.127.255:123", 0, 0xff7f7f7f}, {"127.127.127.256", 0, 0xdeadbeef},
    {"a", 0, 0xdeadbeef},          {"1.1.1.0xaA", 0, 0xdeadbeef}, {"1.1.1.0x", 0, 0xdeadbeef},
    {"1.1.1.010", 0, 0xdeadbeef},  {"1.1.1.00", 0, 0xdeadbeef},   {"1.1.1.0a", 0, 0x00010101},
    {"1.1.1.0o10", 0, 0x00010101}, {"1.1.1.0b10", 0, 0x00010101}, {"1.1.1.-2", 0, 0xdeadbeef},
    {"1", 0, 0xdeadbeef},          {"1.2", 0, 0xdeadbeef},        {"1.2.3", 0, 0xdeadbeef},
    {"203569230", 0, 0xdeadbeef},  {"3.4.5.6.7", 0, 0xdeadbeef},  {" 3.4.5.6", 0, 0xdeadbeef},
    {"\t3.4.5.6", 0, 0xdeadbeef},  {"3.4.5.6 ", 0, 0x06050403},   {"3. 4.5.6", 0, 0xdeadbeef},
    {"[0.1.2.3]", 0, 0xdeadbeef},  {"0x00010203", 0, 0xdeadbeef}, {"0x2134", 0, 0xdeadbeef},
    {"1234BEEF", 0, 0xdeadbeef},   {"017700000001", 0, 0xdeadbeef}, {"0777", 0, 0xdeadbeef},
    {"2607:f0d0:1002:51::4", 0, 0xdeadbeef}, {"::177.32.45.20", 0, 0xdeadbeef},
    {"::1/128", 0, 0xdeadbeef},    {"::1", 0, 0xdeadbeef},        {":1", 0, 0xdeadbeef},
};

TEST(InetPtonTest, Ipv4Table) {
    for (const PtonV4Case &c : kPtonV4Cases) {
        std::uint32_t address = 0xdeadbeef;
        arm_last_error();
        EXPECT_EQ(inet_pton(AF_INET, c.input, &address), c.ret) << '"' << c.input << '"';
        EXPECT_EQ(static_cast<DWORD>(WSAGetLastError()), kSentinel) << c.input;
        EXPECT_EQ(address, c.address) << c.input;

        std::wstring w = wide(c.input);
        address = 0xdeadbeef;
        arm_last_error();
        EXPECT_EQ(InetPtonW(AF_INET, w.c_str(), &address), c.ret) << c.input;
        EXPECT_EQ(static_cast<DWORD>(WSAGetLastError()), c.ret ? kSentinel : DWORD{WSAEINVAL}) << c.input;
        EXPECT_EQ(address, c.address) << c.input;
    }
}

struct PtonV6Case {
    const char *input;
    int ret;
    std::uint16_t words[8];  // the 16 bytes afterwards as little-endian words (0xabab: untouched)
};

constexpr std::uint16_t X = 0xabab;

const PtonV6Case kPtonV6Cases[] = {
    {"0000:0000:0000:0000:0000:0000:0000:0000", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"0000:0000:0000:0000:0000:0000:0000:0001", 1, {0, 0, 0, 0, 0, 0, 0, 0x100}},
    {"0:0:0:0:0:0:0:0", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"0:0:0:0:0:0:0:1", 1, {0, 0, 0, 0, 0, 0, 0, 0x100}},
    {"0:0:0:0:0:0:0::", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"0:0:0:0:0:0:13.1.68.3", 1, {0, 0, 0, 0, 0, 0, 0x10d, 0x344}},
    {"0:0:0:0:0:0::", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"0:0:0:0:0::", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"0:0:0:0:0:FFFF:129.144.52.38", 1, {0, 0, 0, 0, 0, 0xffff, 0x9081, 0x2634}},
    {"0::", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"0:1:2:3:4:5:6:7", 1, {0, 0x100, 0x200, 0x300, 0x400, 0x500, 0x600, 0x700}},
    {"1080:0:0:0:8:800:200c:417a", 1, {0x8010, 0, 0, 0, 0x800, 0x8, 0x0c20, 0x7a41}},
    {"0:a:b:c:d:e:f::", 1, {0, 0xa00, 0xb00, 0xc00, 0xd00, 0xe00, 0xf00, 0}},
    {"1111:2222:3333:4444:5555:6666:123.123.123.123", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7b7b, 0x7b7b}},
    {"1111:2222:3333:4444:5555:6666:7777:8888", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888}},
    {"1111:2222:3333:4444:0x5555:6666:7777:8888", 0, {0x1111, 0x2222, 0x3333, 0x4444, X, X, X, X}},
    {"1111:2222:3333:4444:0r5555:6666:7777:8888", 0, {0x1111, 0x2222, 0x3333, 0x4444, X, X, X, X}},
    {"1111:2222:3333:4444:r5555:6666:7777:8888", 0, {0x1111, 0x2222, 0x3333, 0x4444, X, X, X, X}},
    {"1111:2222:3333:4444:5555:6666:7777::", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0}},
    {"1111:2222:3333:4444:5555:6666::", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0}},
    {"1111:2222:3333:4444:5555:6666::8888", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0x8888}},
    {"1111:2222:3333:4444:5555:6666::7777:8888", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0x7777}},
    {"1111:2222:3333:4444:5555:6666:7777::8888", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0}},
    {"1111:2222:3333:4444:5555::", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0}},
    {"1111:2222:3333:4444:5555::123.123.123.123", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0x7b7b, 0x7b7b}},
    {"1111:2222:3333:4444:5555::0x1.123.123.123", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0x100}},
    {"1111:2222:3333:4444:5555::0x88", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0x8800}},
    {"1111:2222:3333:4444:5555::0X88", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0x8800}},
    {"1111:2222:3333:4444:5555::0X", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0}},
    {"1111:2222:3333:4444:5555::0X88:7777", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0x8800}},
    {"1111:2222:3333:4444:5555::0x8888", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0x8888}},
    {"1111:2222:3333:4444:5555::0x80000000", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0xffff}},
    {"1111:2222:3333:4444::5555:0x012345678", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0, 0, 0x5555, 0x7856}},
    {"1111:2222:3333:4444::5555:0x123456789", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0, 0, 0x5555, 0xffff}},
    {"1111:2222:3333:4444:5555:6666:0x12345678", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, X, X}},
    {"1111:2222:3333:4444:5555:6666:7777:0x80000000", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0xffff}},
    {"1111:2222:3333:4444:5555:6666:7777:0x012345678", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x7856}},
    {"1111:2222:3333:4444:5555:6666:7777:0x123456789", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0xffff}},
    {"111:222:333:444:555:666:777:0x123456789abcdef0", 0, {0x1101, 0x2202, 0x3303, 0x4404, 0x5505, 0x6606, 0x7707, 0xffff}},
    {"1111:2222:3333:4444:5555::08888", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, X, X, X}},
    {"1111:2222:3333:4444:5555::08888::", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, X, X, X}},
    {"1111:2222:3333:4444:5555:6666:7777:fffff:", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, X}},
    {"1111:2222:3333:4444:5555:6666::fffff:", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, X, X}},
    {"1111:2222:3333:4444:5555::fffff", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, X, X, X}},
    {"1111:2222:3333:4444::fffff", 0, {0x1111, 0x2222, 0x3333, 0x4444, X, X, X, X}},
    {"1111:2222:3333::fffff", 0, {0x1111, 0x2222, 0x3333, X, X, X, X, X}},
    {"1111:2222:3333:4444:5555::7777:8888", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0x7777, 0x8888}},
    {"1111:2222:3333:4444:5555::8888", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0, 0x8888}},
    {"1111::", 1, {0x1111, 0, 0, 0, 0, 0, 0, 0}},
    {"1111::123.123.123.123", 1, {0x1111, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b}},
    {"1111::3333:4444:5555:6666:123.123.123.123", 1, {0x1111, 0, 0x3333, 0x4444, 0x5555, 0x6666, 0x7b7b, 0x7b7b}},
    {"1111::3333:4444:5555:6666:7777:8888", 1, {0x1111, 0, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888}},
    {"1111::4444:5555:6666:123.123.123.123", 1, {0x1111, 0, 0, 0x4444, 0x5555, 0x6666, 0x7b7b, 0x7b7b}},
    {"1111::4444:5555:6666:7777:8888", 1, {0x1111, 0, 0, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888}},
    {"1111::5555:6666:123.123.123.123", 1, {0x1111, 0, 0, 0, 0x5555, 0x6666, 0x7b7b, 0x7b7b}},
    {"1111::5555:6666:7777:8888", 1, {0x1111, 0, 0, 0, 0x5555, 0x6666, 0x7777, 0x8888}},
    {"1111::6666:123.123.123.123", 1, {0x1111, 0, 0, 0, 0, 0x6666, 0x7b7b, 0x7b7b}},
    {"1111::6666:7777:8888", 1, {0x1111, 0, 0, 0, 0, 0x6666, 0x7777, 0x8888}},
    {"1111::7777:8888", 1, {0x1111, 0, 0, 0, 0, 0, 0x7777, 0x8888}},
    {"1111::8888", 1, {0x1111, 0, 0, 0, 0, 0, 0, 0x8888}},
    {"1:2:3:4:5:6:1.2.3.4", 1, {0x100, 0x200, 0x300, 0x400, 0x500, 0x600, 0x201, 0x403}},
    {"1:2:3:4:5:6:7:8", 1, {0x100, 0x200, 0x300, 0x400, 0x500, 0x600, 0x700, 0x800}},
    {"1:2:3:4:5:6::", 1, {0x100, 0x200, 0x300, 0x400, 0x500, 0x600, 0, 0}},
    {"1:2:3:4:5:6::8", 1, {0x100, 0x200, 0x300, 0x400, 0x500, 0x600, 0, 0x800}},
    {"2001:0000:1234:0000:0000:C1C0:ABCD:0876", 1, {0x120, 0, 0x3412, 0, 0, 0xc0c1, 0xcdab, 0x7608}},
    {"2001:0000:4136:e378:8000:63bf:3fff:fdd2", 1, {0x120, 0, 0x3641, 0x78e3, 0x80, 0xbf63, 0xff3f, 0xd2fd}},
    {"2001:0db8:0:0:0:0:1428:57ab", 1, {0x120, 0xb80d, 0, 0, 0, 0, 0x2814, 0xab57}},
    {"2001:0db8:1234:ffff:ffff:ffff:ffff:ffff", 1, {0x120, 0xb80d, 0x3412, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}},
    {"2001::CE49:7601:2CAD:DFFF:7C94:FFFE", 1, {0x120, 0, 0x49ce, 0x176, 0xad2c, 0xffdf, 0x947c, 0xfeff}},
    {"2001:db8:85a3::8a2e:370:7334", 1, {0x120, 0xb80d, 0xa385, 0, 0, 0x2e8a, 0x7003, 0x3473}},
    {"3ffe:0b00:0000:0000:0001:0000:0000:000a", 1, {0xfe3f, 0xb, 0, 0, 0x100, 0, 0, 0xa00}},
    {"::", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::%16", 0, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::/16", 0, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::01234", 0, {0, X, X, X, X, X, X, X}},
    {"::0", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::0:0", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::0:0:0", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::0:0:0:0", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::0:0:0:0:0", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::0:0:0:0:0:0", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
    // Windows counts a leading "::" as one group too many and stops a group early.
    {"::0:0:0:0:0:0:0", 0, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::0:a:b:c:d:e:f", 0, {0, 0, 0, 0xa00, 0xb00, 0xc00, 0xd00, 0xe00}},
    {"::123.123.123.123", 1, {0, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b}},
    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}},
    {"':10.0.0.1", 0, {X, X, X, X, X, X, X, X}},
    {"-1", 0, {X, X, X, X, X, X, X, X}},
    {"02001:0000:1234:0000:0000:C1C0:ABCD:0876", 0, {X, X, X, X, X, X, X, X}},
    {"2001:00000:1234:0000:0000:C1C0:ABCD:0876", 0, {0x120, X, X, X, X, X, X, X}},
    {"2001:0000:01234:0000:0000:C1C0:ABCD:0876", 0, {0x120, 0, X, X, X, X, X, X}},
    {"2001:0000::01234.0", 0, {0x120, 0, X, X, X, X, X, X}},
    {"2001:0::b.0", 0, {0x120, 0, 0, 0, 0, 0, 0, 0xb00}},
    {"2001::0:b.0", 0, {0x120, 0, 0, 0, 0, 0, 0, 0xb00}},
    {"1.2.3.4", 0, {0x201, 0xab03, X, X, X, X, X, X}},
    {"1.2.3.4:1111::5555", 0, {0x201, 0xab03, X, X, X, X, X, X}},
    {"1.2.3.4::5555", 0, {0x201, 0xab03, X, X, X, X, X, X}},
    {"11112222:3333:4444:5555:6666:1.2.3.4", 0, {X, X, X, X, X, X, X, X}},
    {"11112222:3333:4444:5555:6666:7777:8888", 0, {X, X, X, X, X, X, X, X}},
    {"1111", 0, {X, X, X, X, X, X, X, X}},
    {"0x1111", 0, {X, X, X, X, X, X, X, X}},
    {"1111:22223333:4444:5555:6666:1.2.3.4", 0, {0x1111, X, X, X, X, X, X, X}},
    {"1111:22223333:4444:5555:6666:7777:8888", 0, {0x1111, X, X, X, X, X, X, X}},
    {"1111:123456789:4444:5555:6666:7777:8888", 0, {0x1111, X, X, X, X, X, X, X}},
    {"1111:1234567890abcdef0:4444:5555:6666:7777:888", 0, {0x1111, X, X, X, X, X, X, X}},
    {"1111:2222:", 0, {0x1111, 0x2222, X, X, X, X, X, X}},
    {"1111:2222:1.2.3.4", 0, {0x1111, 0x2222, 0x201, 0xab03, X, X, X, X}},
    {"1111:2222:3333", 0, {0x1111, 0x2222, X, X, X, X, X, X}},
    {"1111:2222:3333:4444:5555:6666::1.2.3.4", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0x100}},
    {"1111:2222:3333:4444:5555:6666:7777:1.2.3.4", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x100}},
    {"1111:2222:3333:4444:5555:6666:7777:8888:", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888}},
    {"1111:2222:3333:4444:5555:6666:7777:8888:1.2.3.4", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888}},
    {"1111:2222:3333:4444:5555:6666:7777:8888:9999", 0, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888}},
    {"1111:2222:::", 0, {0x1111, 0x2222, 0, 0, 0, 0, 0, 0}},
    {"1111::5555:", 0, {0x1111, 0x5555, X, X, X, X, X, X}},
    {"1111::3333:4444:5555:6666:7777::", 0, {0x1111, 0, 0, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777}},
    {"1111:2222:::4444:5555:6666:1.2.3.4", 0, {0x1111, 0x2222, 0, 0, 0, 0, 0, 0}},
    {"1111::3333::5555:6666:1.2.3.4", 0, {0x1111, 0, 0, 0, 0, 0, 0, 0x3333}},
    {"12345::6:7:8", 0, {X, X, X, X, X, X, X, X}},
    {"1::001.2.3.4", 1, {0x100, 0, 0, 0, 0, 0, 0x201, 0x403}},
    {"1::1.002.3.4", 1, {0x100, 0, 0, 0, 0, 0, 0x201, 0x403}},
    {"1::0001.2.3.4", 0, {0x100, X, X, X, X, X, X, X}},
    {"1::1.0002.3.4", 0, {0x100, 0xab01, X, X, X, X, X, X}},
    {"1::1.2.256.4", 0, {0x100, 0x201, X, X, X, X, X, X}},
    {"1::1.2.4294967296.4", 0, {0x100, 0x201, X, X, X, X, X, X}},
    {"1::1.2.18446744073709551616.4", 0, {0x100, 0x201, X, X, X, X, X, X}},
    {"1::1.2.3.256", 0, {0x100, 0x201, 0xab03, X, X, X, X, X}},
    {"1::1.2.3.4294967296", 0, {0x100, 0x201, 0xab03, X, X, X, X, X}},
    {"1::1.2.3.18446744073709551616", 0, {0x100, 0x201, 0xab03, X, X, X, X, X}},
    {"1::1.2.3.300", 0, {0x100, 0x201, 0xab03, X, X, X, X, X}},
    {"1::1.2.3.300.", 0, {0x100, 0x201, 0xab03, X, X, X, X, X}},
    {"1::1.2::1", 0, {0x100, 0xab01, X, X, X, X, X, X}},
    {"1::1.2.3.4::1", 0, {0x100, 0, 0, 0, 0, 0, 0x201, 0x403}},
    {"1::1.", 0, {0x100, 0xab01, X, X, X, X, X, X}},
    {"1::1.2", 0, {0x100, 0xab01, X, X, X, X, X, X}},
    {"1::1.2.", 0, {0x100, 0x201, X, X, X, X, X, X}},
    {"1::1.2.3", 0, {0x100, 0x201, X, X, X, X, X, X}},
    {"1::1.2.3.", 0, {0x100, 0x201, 0xab03, X, X, X, X, X}},
    {"1::1.2.3.4", 1, {0x100, 0, 0, 0, 0, 0, 0x201, 0x403}},
    {"1::1.2.3.900", 0, {0x100, 0x201, 0xab03, X, X, X, X, X}},
    {"1::1.2.300.4", 0, {0x100, 0x201, X, X, X, X, X, X}},
    {"1::1.256.3.4", 0, {0x100, 0xab01, X, X, X, X, X, X}},
    {"1::1.256:3.4", 0, {0x100, 0xab01, X, X, X, X, X, X}},
    {"1::1.2a.3.4", 0, {0x100, 0xab01, X, X, X, X, X, X}},
    {"1::256.2.3.4", 0, {0x100, X, X, X, X, X, X, X}},
    {"1::1a.2.3.4", 0, {0x100, 0, 0, 0, 0, 0, 0, 0x1a00}},
    {"1::2::3", 0, {0x100, 0, 0, 0, 0, 0, 0, 0x200}},
    {"2001:0000:1234: 0000:0000:C1C0:ABCD:0876", 0, {0x120, 0, 0x3412, X, X, X, X, X}},
    {"2001:0000:1234:0000:0000:C1C0:ABCD:0876  0", 0, {0x120, 0, 0x3412, 0, 0, 0xc0c1, 0xcdab, 0x7608}},
    {"2001:1:1:1:1:1:255Z255X255Y255", 0, {0x120, 0x100, 0x100, 0x100, 0x100, 0x100, X, X}},
    {"2001::FFD3::57ab", 0, {0x120, 0, 0, 0, 0, 0, 0, 0xd3ff}},
    {":", 0, {X, X, X, X, X, X, X, X}},
    {":1111:2222:3333:4444:5555:6666:1.2.3.4", 0, {X, X, X, X, X, X, X, X}},
    {":1111:2222:3333:4444:5555:6666:7777:8888", 0, {X, X, X, X, X, X, X, X}},
    {":1111::", 0, {X, X, X, X, X, X, X, X}},
    {"::-1", 0, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::12345678", 0, {0, X, X, X, X, X, X, X}},
    {"::123456789", 0, {0, X, X, X, X, X, X, X}},
    {"::1234567890abcdef0", 0, {0, X, X, X, X, X, X, X}},
    {"::0x80000000", 0, {0, 0, 0, 0, 0, 0, 0, 0xffff}},
    {"::0x012345678", 0, {0, 0, 0, 0, 0, 0, 0, 0x7856}},
    {"::0x123456789", 0, {0, 0, 0, 0, 0, 0, 0, 0xffff}},
    {"::0x1234567890abcdef0", 0, {0, 0, 0, 0, 0, 0, 0, 0xffff}},
    {"::.", 0, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::..", 0, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"::...", 0, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"XXXX:XXXX:XXXX:XXXX:XXXX:XXXX:1.2.3.4", 0, {X, X, X, X, X, X, X, X}},
    {"[::]", 0, {X, X, X, X, X, X, X, X}},
};

TEST(InetPtonTest, Ipv6Table) {
    for (const PtonV6Case &c : kPtonV6Cases) {
        std::uint16_t words[8];
        std::memset(words, 0xab, sizeof words);
        arm_last_error();
        EXPECT_EQ(inet_pton(AF_INET6, c.input, words), c.ret) << '"' << c.input << '"';
        EXPECT_EQ(static_cast<DWORD>(WSAGetLastError()), kSentinel) << c.input;
        EXPECT_EQ(std::memcmp(words, c.words, sizeof words), 0) << c.input;

        std::wstring w = wide(c.input);
        std::memset(words, 0xab, sizeof words);
        arm_last_error();
        EXPECT_EQ(InetPtonW(AF_INET6, w.c_str(), words), c.ret) << c.input;
        EXPECT_EQ(static_cast<DWORD>(WSAGetLastError()), c.ret ? kSentinel : DWORD{WSAEINVAL}) << c.input;
        EXPECT_EQ(std::memcmp(words, c.words, sizeof words), 0) << c.input;
    }
}

TEST(InetPtonTest, Errors) {
    std::uint8_t buffer[16];
    struct {
        int family;
        const char *text;
        void *buffer;
        int error;
    } cases[] = {
        {AF_UNSPEC, nullptr, buffer, WSAEFAULT},
        {AF_INET, nullptr, buffer, WSAEFAULT},
        {AF_INET6, "::1", nullptr, WSAEFAULT},
        {AF_INET, static_cast<const char *>(ws2test::inaccessible_page()), buffer, WSAEFAULT},
        {AF_INET6, "::1", ws2test::inaccessible_page(), WSAEFAULT},
        {AF_INET, "1.2.3.4", ws2test::inaccessible_page(), WSAEFAULT},
        {AF_UNSPEC, "127.0.0.1", buffer, WSAEAFNOSUPPORT},
        {AF_UNSPEC, "2607:f0d0:1002:51::4", buffer, WSAEAFNOSUPPORT},
        {AF_IPX, "1.2.3.4", buffer, WSAEAFNOSUPPORT},
    };
    for (auto &c : cases) {
        arm_last_error();
        EXPECT_EQ(inet_pton(c.family, c.text, c.buffer), -1) << c.family;
        EXPECT_EQ(WSAGetLastError(), c.error) << c.family;
        std::wstring w = c.text != nullptr && c.text != ws2test::inaccessible_page() ? wide(c.text) : L"";
        const wchar_t *text = c.text == nullptr ? nullptr
                              : c.text == ws2test::inaccessible_page()
                                  ? static_cast<const wchar_t *>(ws2test::inaccessible_page())
                                  : w.c_str();
        arm_last_error();
        EXPECT_EQ(InetPtonW(c.family, text, c.buffer), -1) << c.family;
        EXPECT_EQ(WSAGetLastError(), c.error) << c.family;
    }
}

// ---- inet_ntop / InetNtopW ------------------------------------------------------------------

struct NtopCase {
    std::uint8_t bytes[16];
    const char *text;
};

const NtopCase kNtopV6Cases[] = {
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0xcc, 0x98, 0xbd, 0x74}, "::fffe:cc98:bd74"},
    {{0x20, 0x30, 0xa4, 0xb1}, "2030:a4b1::"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xcc, 0x98, 0xbd, 0x74}, "::204.152.189.116"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4}, "::ffff:1.2.3.4"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 2, 3, 4}, "::ffff:0:1.2.3.4"},
    {{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x5e, 0xfe, 10, 0, 0, 1}, "fe80::5efe:10.0.0.1"},
    {{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 2, 0, 0x5e, 0xfe, 10, 0, 0, 1}, "fe80::200:5efe:10.0.0.1"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "::1"},
    {{0}, "::"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 1}, "::ffff:0:1"},
    {{0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4}, "1::2:0:0:3:4"},
    {{0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3}, "1:0:0:2::3"},
    {{0, 1, 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7}, "1:0:2:3:4:5:6:7"},
    {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0xef, 0x01}, "2001:db8::abcd:ef01"},
};

TEST(InetNtopTest, FormatsLikeWindows) {
    char text[64];
    std::uint32_t v4 = 0x20201015;
    ASSERT_EQ(inet_ntop(AF_INET, &v4, text, sizeof text), text);
    EXPECT_STREQ(text, "21.16.32.32");
    for (const NtopCase &c : kNtopV6Cases) {
        ASSERT_EQ(inet_ntop(AF_INET6, c.bytes, text, sizeof text), text) << c.text;
        EXPECT_STREQ(text, c.text);
        wchar_t wtext[64];
        ASSERT_EQ(InetNtopW(AF_INET6, c.bytes, wtext, 64), wtext) << c.text;
        EXPECT_EQ(std::wstring(wtext), wide(c.text));
    }
}

TEST(InetNtopTest, Errors) {
    char text[64];
    wchar_t wtext[64];
    std::uint32_t v4 = 0x20201015;
    std::uint8_t v6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0xcc, 0x98, 0xbd, 0x74};
    struct {
        int family;
        const void *address;
        bool null_buffer;
        size_t size;
        DWORD error;
    } cases[] = {
        {1, &v4, false, sizeof text, WSAEAFNOSUPPORT},
        {AF_UNSPEC, &v4, false, sizeof text, WSAEAFNOSUPPORT},
        {AF_INET, &v4, true, sizeof text, ERROR_INVALID_PARAMETER},
        {AF_INET, &v4, false, 0, ERROR_INVALID_PARAMETER},
        {AF_INET, &v4, false, 6, ERROR_INVALID_PARAMETER},
        {AF_INET, &v4, false, 11, ERROR_INVALID_PARAMETER},  // "21.16.32.32" needs 12
        {AF_INET6, v6, true, sizeof text, ERROR_INVALID_PARAMETER},
        {AF_INET6, v6, false, 0, ERROR_INVALID_PARAMETER},
        {AF_INET6, v6, false, 16, ERROR_INVALID_PARAMETER},  // "::fffe:cc98:bd74" needs 17
        {AF_INET6, nullptr, false, sizeof text, ERROR_INVALID_PARAMETER},
        {AF_INET, ws2test::inaccessible_page(), false, sizeof text, ERROR_INVALID_PARAMETER},
    };
    for (auto &c : cases) {
        arm_last_error();
        EXPECT_EQ(inet_ntop(c.family, c.address, c.null_buffer ? nullptr : text, c.size), nullptr)
            << c.family << ' ' << c.size;
        EXPECT_EQ(static_cast<DWORD>(WSAGetLastError()), c.error) << c.family << ' ' << c.size;
        arm_last_error();
        EXPECT_EQ(InetNtopW(c.family, c.address, c.null_buffer ? nullptr : wtext, c.size), nullptr);
        EXPECT_EQ(static_cast<DWORD>(WSAGetLastError()), c.error) << c.family << ' ' << c.size;
    }
    // Exactly enough, or more, is fine.
    EXPECT_EQ(inet_ntop(AF_INET, &v4, text, 12), text);
    EXPECT_EQ(inet_ntop(AF_INET6, v6, text, 17), text);
    EXPECT_EQ(inet_ntop(AF_INET6, v6, text, 18), text);
    EXPECT_EQ(InetNtopW(AF_INET6, v6, wtext, 17), wtext);
    EXPECT_EQ(inet_ntop(AF_INET, &v4, static_cast<char *>(ws2test::inaccessible_page()), 64), nullptr);
    EXPECT_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
}

// ---- WSAAddressToString ---------------------------------------------------------------------

SOCKADDR_IN v4_address(std::uint32_t address_net, std::uint16_t port_net) {
    SOCKADDR_IN in{};
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = address_net;
    in.sin_port = port_net;
    return in;
}

SOCKADDR_IN6 v6_address(const std::uint16_t words[8], std::uint32_t scope, std::uint16_t port_net) {
    SOCKADDR_IN6 in6{};
    in6.sin6_family = AF_INET6;
    std::memcpy(&in6.sin6_addr, words, 16);
    in6.sin6_scope_id = scope;
    in6.sin6_port = port_net;
    return in6;
}

TEST_F(WinsockTest, AddressToStringIpv4) {
    struct {
        std::uint32_t address;
        std::uint16_t port;
        const char *text;
    } cases[] = {
        {0, 0, "0.0.0.0"},
        {0xffffffff, 0, "255.255.255.255"},
        {0, 0xffff, "0.0.0.0:65535"},
        {0xffffffff, 0xffff, "255.255.255.255:65535"},
        {net32(0x7f000001), 0x5000, "127.0.0.1:80"},
    };
    for (auto &c : cases) {
        SOCKADDR_IN in = v4_address(c.address, c.port);
        char text[64] = {};
        DWORD len = sizeof text;
        arm_last_error();
        ASSERT_EQ(WSAAddressToStringA(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, text, &len), 0);
        EXPECT_STREQ(text, c.text);
        EXPECT_EQ(len, std::strlen(c.text) + 1);
        EXPECT_EQ(static_cast<DWORD>(WSAGetLastError()), kSentinel);

        wchar_t wtext[64] = {};
        len = 64;
        ASSERT_EQ(WSAAddressToStringW(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, wtext, &len), 0);
        EXPECT_EQ(std::wstring(wtext), wide(c.text));
        EXPECT_EQ(len, std::strlen(c.text) + 1);
    }
}

TEST_F(WinsockTest, AddressToStringIpv6) {
    struct {
        std::uint16_t words[8];
        std::uint32_t scope;
        std::uint16_t port;
        const char *text;
    } cases[] = {
        {{0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, "::1"},
        {{0xab20, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, "20ab::1"},
        {{0xab20, 0, 0, 0, 0, 0, 0, 0x120}, 0, 0xfa81, "[20ab::2001]:33274"},
        {{0xab20, 0, 0, 0, 0, 0, 0, 0x120}, 0x1234, 0xfa81, "[20ab::2001%4660]:33274"},
        {{0xab20, 0, 0, 0, 0, 0, 0, 0x120}, 0x1234, 0, "20ab::2001%4660"},
        {{0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0x5000, "[::1]:80"},
    };
    for (auto &c : cases) {
        SOCKADDR_IN6 in6 = v6_address(c.words, c.scope, c.port);
        char text[64] = {};
        DWORD len = sizeof text;
        ASSERT_EQ(WSAAddressToStringA(reinterpret_cast<SOCKADDR *>(&in6), sizeof in6, nullptr, text, &len), 0);
        EXPECT_STREQ(text, c.text);
        EXPECT_EQ(len, std::strlen(c.text) + 1);
        wchar_t wtext[64] = {};
        len = 64;
        ASSERT_EQ(WSAAddressToStringW(reinterpret_cast<SOCKADDR *>(&in6), sizeof in6, nullptr, wtext, &len), 0);
        EXPECT_EQ(std::wstring(wtext), wide(c.text));
        EXPECT_EQ(len, std::strlen(c.text) + 1);
    }
}

TEST_F(WinsockTest, AddressToStringShortBufferReportsTheLength) {
    SOCKADDR_IN in = v4_address(0, 0);
    char text[64];
    DWORD len = 0;
    arm_last_error();
    EXPECT_EQ(WSAAddressToStringA(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, text, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, 8u);

    len = 7;  // one short of "0.0.0.0" and its NUL
    EXPECT_EQ(WSAAddressToStringA(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, text, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, 8u);

    len = 0;
    EXPECT_EQ(WSAAddressToStringW(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, nullptr, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, 8u);

    wchar_t wtext[8];
    EXPECT_EQ(WSAAddressToStringW(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, wtext, &len), 0);
    EXPECT_EQ(std::wstring(wtext), L"0.0.0.0");
}

TEST_F(WinsockTest, AddressToStringErrors) {
    SOCKADDR_IN in = v4_address(net32(0x7f000001), 0);
    std::uint16_t words[8] = {0, 0, 0, 0, 0, 0, 0, 0x100};
    SOCKADDR_IN6 in6 = v6_address(words, 0, 0);
    SOCKADDR ipx{};
    ipx.sa_family = AF_IPX;
    SOCKADDR unix_address{};
    unix_address.sa_family = AF_UNIX;
    char text[64];
    DWORD len;
    auto *page = ws2test::inaccessible_page();
    struct {
        const char *what;
        void *address;
        DWORD address_length;
        char *out;
        DWORD *out_length;
        int error;
    } cases[] = {
        {"null address", nullptr, sizeof in, text, &len, WSAEINVAL},
        {"zero address length", &in, 0, text, &len, WSAEINVAL},
        {"null length", &in, sizeof in, text, nullptr, WSAEINVAL},
        {"short IPv4", &in, sizeof in - 1, text, &len, WSAEINVAL},
        {"short IPv6", &in6, sizeof in6 - 1, text, &len, WSAEINVAL},
        {"family without a provider", &ipx, sizeof ipx, text, &len, WSAEINVAL},
        {"family the provider cannot print", &unix_address, sizeof unix_address, text, &len, WSAEINVAL},
        {"inaccessible address", page, sizeof in, text, &len, WSAEFAULT},
        {"inaccessible length", &in, sizeof in, text, static_cast<DWORD *>(page), WSAEFAULT},
        {"inaccessible string", &in, sizeof in, static_cast<char *>(page), &len, WSAEFAULT},
        {"null string", &in, sizeof in, nullptr, &len, WSAEFAULT},
    };
    for (auto &c : cases) {
        len = sizeof text;
        arm_last_error();
        EXPECT_EQ(WSAAddressToStringA(static_cast<SOCKADDR *>(c.address), c.address_length, nullptr,
                                      c.out, c.out_length),
                  SOCKET_ERROR)
            << c.what;
        EXPECT_EQ(WSAGetLastError(), c.error) << c.what;
    }
}

TEST_F(WinsockTest, AddressToStringUsesTheNamedProvider) {
    SOCKADDR_IN in = v4_address(net32(0x0a000001), 0x5000);
    char text[64];
    DWORD len = sizeof text;
    // Any entry of the base provider can print both families.
    for (const WSAPROTOCOL_INFOW &info : ws2test::enum_protocols_w()) {
        WSAPROTOCOL_INFOA narrow{};
        std::memcpy(&narrow, &info, offsetof(WSAPROTOCOL_INFOA, szProtocol));
        len = sizeof text;
        ASSERT_EQ(WSAAddressToStringA(reinterpret_cast<SOCKADDR *>(&in), sizeof in, &narrow, text, &len), 0)
            << info.dwCatalogEntryId;
        EXPECT_STREQ(text, "10.0.0.1:80");
        WSAPROTOCOL_INFOW copy = info;
        wchar_t wtext[64];
        len = 64;
        ASSERT_EQ(WSAAddressToStringW(reinterpret_cast<SOCKADDR *>(&in), sizeof in, &copy, wtext, &len), 0);
        EXPECT_EQ(std::wstring(wtext), L"10.0.0.1:80");
    }
    WSAPROTOCOL_INFOW unknown{};
    unknown.dwCatalogEntryId = 0xdead;
    len = sizeof text;
    wchar_t wtext[64];
    EXPECT_EQ(WSAAddressToStringW(reinterpret_cast<SOCKADDR *>(&in), sizeof in, &unknown, wtext, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ(WSAAddressToStringW(reinterpret_cast<SOCKADDR *>(&in), sizeof in,
                                  static_cast<WSAPROTOCOL_INFOW *>(ws2test::inaccessible_page()),
                                  wtext, &len),
              SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST(AddressText, ProviderFunctionsNeedWSAStartup) {
    SOCKADDR_IN in = v4_address(0, 0);
    char text[64];
    DWORD len = sizeof text;
    arm_last_error();
    EXPECT_EQ(WSAAddressToStringA(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, text, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    wchar_t wtext[64];
    EXPECT_EQ(WSAAddressToStringW(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, wtext, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    INT alen = sizeof in;
    char input[] = "1.2.3.4";
    EXPECT_EQ(WSAStringToAddressA(input, AF_INET, nullptr, reinterpret_cast<SOCKADDR *>(&in), &alen), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    wchar_t winput[] = L"1.2.3.4";
    EXPECT_EQ(WSAStringToAddressW(winput, AF_INET, nullptr, reinterpret_cast<SOCKADDR *>(&in), &alen), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    // The pure conversions work without it, as on Windows.
    EXPECT_EQ(inet_addr("1.2.3.4"), 0x04030201u);
    std::uint32_t address;
    EXPECT_EQ(inet_pton(AF_INET, "1.2.3.4", &address), 1);
    EXPECT_NE(inet_ntop(AF_INET, &address, text, sizeof text), nullptr);
}

// ---- WSAStringToAddress ---------------------------------------------------------------------

struct StringToV4Case {
    const char *input;
    std::uint32_t address;  // host order
    std::uint16_t port;     // host order
    int error;
};

const StringToV4Case kStringToV4Cases[] = {
    {"", 0, 0, WSAEINVAL},
    {" ", 0, 0, WSAEINVAL},
    {"1.1.1.1", 0x01010101, 0, 0},
    {"0.0.0.0", 0, 0, 0},
    {"127.127.127.127", 0x7f7f7f7f, 0, 0},
    {"127.127.127.127:", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:123", 0x7f7f7f7f, 123, 0},
    {"127.127.127.127:65535", 0x7f7f7f7f, 65535, 0},
    {"127.127.127.127:65537", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127::1", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0xAbCd", 0x7f7f7f7f, 43981, 0},
    {"127.127.127.127:0XaBcD", 0x7f7f7f7f, 43981, 0},
    {"127.127.127.127:0x", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0x10000", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:010", 0x7f7f7f7f, 8, 0},
    {"127.127.127.127:007", 0x7f7f7f7f, 7, 0},
    {"127.127.127.127:08", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:008", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0a", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0o10", 0x7f7f7f7f, 0, WSAEINVAL},
    {"127.127.127.127:0b10", 0x7f7f7f7f, 0, WSAEINVAL},
    {"255.255.255.255", 0xffffffff, 0, 0},
    {"255.255.255.255:123", 0xffffffff, 123, 0},
    {"255.255.255.255:65535", 0xffffffff, 65535, 0},
    {"255.255.255.256", 0, 0, WSAEINVAL},
    {"a", 0, 0, WSAEINVAL},
    {"1.1.1.0xaA", 0x010101aa, 0, 0},
    {"1.1.1.0XaA", 0x010101aa, 0, 0},
    {"1.1.1.0x", 0, 0, WSAEINVAL},
    {"1.1.1.0xff", 0x010101ff, 0, 0},
    {"1.1.1.0x100", 0, 0, WSAEINVAL},
    {"1.1.1.010", 0x01010108, 0, 0},
    {"1.1.1.00", 0x01010100, 0, 0},
    {"1.1.1.007", 0x01010107, 0, 0},
    {"1.1.1.08", 0, 0, WSAEINVAL},
    {"1.1.1.008", 0x01010100, 0, WSAEINVAL},
    {"1.1.1.0a", 0x01010100, 0, WSAEINVAL},
    {"1.1.1.0o10", 0x01010100, 0, WSAEINVAL},
    {"1.1.1.0b10", 0x01010100, 0, WSAEINVAL},
    {"1.1.1.-2", 0, 0, WSAEINVAL},
    {"1", 0x00000001, 0, 0},
    {"-1", 0, 0, WSAEINVAL},
    {"1:1", 0x00000001, 1, 0},
    {"1.2", 0x01000002, 0, 0},
    {"1.2:1", 0x01000002, 1, 0},
    {"1000.2000", 0, 0, WSAEINVAL},
    {"1.2.", 0, 0, WSAEINVAL},
    {"1..2", 0, 0, WSAEINVAL},
    {"1...2", 0, 0, WSAEINVAL},
    {"1.2.3", 0x01020003, 0, 0},
    {"1.2.3.", 0, 0, WSAEINVAL},
    {"1.2.3:1", 0x01020003, 1, 0},
    {"203569230", 0x0c22384e, 0, 0},
    {"203569230:123", 0x0c22384e, 123, 0},
    {"2001::1", 0x000007d1, 0, WSAEINVAL},
    {"1.223756", 0x01036a0c, 0, 0},
    {"3.4.756", 0x030402f4, 0, 0},
    {"756.3.4", 0, 0, WSAEINVAL},
    {"3.756.4", 0, 0, WSAEINVAL},
    {"3.4.756.1", 0, 0, WSAEINVAL},
    {"3.4.65536", 0, 0, WSAEINVAL},
    {"3.4.5.6.7", 0, 0, WSAEINVAL},
    {"3.4.5.+6", 0, 0, WSAEINVAL},
    {" 3.4.5.6", 0, 0, WSAEINVAL},
    {"\t3.4.5.6", 0, 0, WSAEINVAL},
    {"3.4.5.6 ", 0x03040506, 0, WSAEINVAL},
    {"3.4.5.6:7 ", 0x03040506, 0, WSAEINVAL},
    {"3.4.5.6: 7", 0x03040506, 0, WSAEINVAL},
    {"3. 4.5.6", 0, 0, WSAEINVAL},
    {".", 0, 0, WSAEINVAL},
    {"[0.1.2.3]", 0, 0, WSAEINVAL},
    {"0x00010203", 0x00010203, 0, 0},
    {"0X00010203", 0x00010203, 0, 0},
    {"0x00010203:10", 0x00010203, 10, 0},
    {"0x1234", 0x00001234, 0, 0},
    {"0x123456789", 0x23456789, 0, 0},
    {"0x00010Q03", 0x00000010, 0, WSAEINVAL},
    {"x00010203", 0, 0, WSAEINVAL},
    {"1234BEEF", 0x000004d2, 0, WSAEINVAL},
    {"017700000001", 0x7f000001, 0, 0},
    {"0777", 0x000001ff, 0, 0},
    {"0777:10", 0x000001ff, 10, 0},
    {"::1", 0, 0, WSAEINVAL},
    {":1", 0, 0, WSAEINVAL},
};

std::uint16_t net16(std::uint16_t host) { return static_cast<std::uint16_t>((host >> 8) | (host << 8)); }

TEST_F(WinsockTest, StringToAddressIpv4Table) {
    for (int unicode = 0; unicode < 2; ++unicode) {
        for (const StringToV4Case &c : kStringToV4Cases) {
            SOCKADDR_IN in;
            std::memset(&in, 0xab, sizeof in);
            INT len = sizeof in + 10;
            const INT expected_len = c.error ? len : static_cast<INT>(sizeof in);
            WSASetLastError(0);
            int rc;
            if (unicode) {
                std::wstring w = wide(c.input);
                rc = WSAStringToAddressW(w.data(), AF_INET, nullptr, reinterpret_cast<SOCKADDR *>(&in), &len);
            } else {
                std::string a = c.input;
                rc = WSAStringToAddressA(a.data(), AF_INET, nullptr, reinterpret_cast<SOCKADDR *>(&in), &len);
            }
            SCOPED_TRACE(std::string(unicode ? "W " : "A ") + '"' + c.input + '"');
            EXPECT_EQ(rc, c.error ? SOCKET_ERROR : 0);
            EXPECT_EQ(WSAGetLastError(), c.error);
            EXPECT_EQ(in.sin_family, c.error ? 0 : AF_INET);
            EXPECT_EQ(in.sin_addr.s_addr, net32(c.address));
            EXPECT_EQ(in.sin_port, net16(c.port));
            EXPECT_EQ(len, expected_len);
        }
    }
}

struct StringToV6Case {
    const char *input;
    std::uint16_t words[8];
    std::uint16_t port_net;
    std::uint32_t scope;
    int error;
};

const StringToV6Case kStringToV6Cases[] = {
    {"::1", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, 0},
    {"[::1]", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, 0},
    {"[::1]:65535", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0xffff, 0, 0},
    {"2001::1", {0x120, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, 0},
    {"::1]:65535", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, WSAEINVAL},
    {"001::1", {0x100, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, 0},
    {"::1:2:3:4:5:6:7", {0, 0, 0x100, 0x200, 0x300, 0x400, 0x500, 0x600}, 0, 0, WSAEINVAL},
    {"1.2.3.4", {0x201, 0x3, 0, 0, 0, 0, 0, 0}, 0, 0, WSAEINVAL},
    {"1:2:3:", {0x100, 0x200, 0x300, 0, 0, 0, 0, 0}, 0, 0, WSAEINVAL},
    {"", {0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, WSAEINVAL},
    {"fe80::1%4", {0x80fe, 0, 0, 0, 0, 0, 0, 0x100}, 0, 4, 0},
    {"[fe80::1%4]:80", {0x80fe, 0, 0, 0, 0, 0, 0, 0x100}, 0x5000, 4, 0},
    {"[::1]:0", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, WSAEINVAL},
    {"[::1]:65536", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, WSAEINVAL},
    {"[::1", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, WSAEINVAL},
    {"::1%04", {0, 0, 0, 0, 0, 0, 0, 0x100}, 0, 0, WSAEINVAL},
    {"::ffff:1.2.3.4", {0, 0, 0, 0, 0, 0xffff, 0x201, 0x403}, 0, 0, 0},
    {"::1:0x12", {0, 0, 0, 0, 0, 0, 0x100, 0x1200}, 0, 0, WSAEINVAL},
};

TEST_F(WinsockTest, StringToAddressIpv6Table) {
    for (int unicode = 0; unicode < 2; ++unicode) {
        for (const StringToV6Case &c : kStringToV6Cases) {
            SOCKADDR_IN6 in6;
            std::memset(&in6, 0xab, sizeof in6);
            INT len = sizeof in6 + 10;
            const INT expected_len = c.error ? len : static_cast<INT>(sizeof in6);
            WSASetLastError(0);
            int rc;
            if (unicode) {
                std::wstring w = wide(c.input);
                rc = WSAStringToAddressW(w.data(), AF_INET6, nullptr, reinterpret_cast<SOCKADDR *>(&in6), &len);
            } else {
                std::string a = c.input;
                rc = WSAStringToAddressA(a.data(), AF_INET6, nullptr, reinterpret_cast<SOCKADDR *>(&in6), &len);
            }
            SCOPED_TRACE(std::string(unicode ? "W " : "A ") + '"' + c.input + '"');
            EXPECT_EQ(rc, c.error ? SOCKET_ERROR : 0);
            EXPECT_EQ(WSAGetLastError(), c.error);
            EXPECT_EQ(in6.sin6_family, c.error ? 0 : AF_INET6);
            EXPECT_EQ(std::memcmp(&in6.sin6_addr, c.words, 16), 0);
            EXPECT_EQ(in6.sin6_scope_id, c.scope);
            EXPECT_EQ(in6.sin6_port, c.port_net);
            EXPECT_EQ(in6.sin6_flowinfo, 0u);
            EXPECT_EQ(len, expected_len);
        }
    }
}

TEST_F(WinsockTest, StringToAddressShortBufferReportsTheLength) {
    SOCKADDR_IN in;
    char input[] = "";
    INT len = 0;
    WSASetLastError(0);
    EXPECT_EQ(WSAStringToAddressA(input, AF_INET, nullptr, reinterpret_cast<SOCKADDR *>(&in), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, static_cast<INT>(sizeof(SOCKADDR_IN)));

    SOCKADDR_IN6 in6;
    wchar_t winput[] = L"::1";
    len = sizeof in6 - 1;
    EXPECT_EQ(WSAStringToAddressW(winput, AF_INET6, nullptr, reinterpret_cast<SOCKADDR *>(&in6), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, static_cast<INT>(sizeof(SOCKADDR_IN6)));

    len = -5;
    EXPECT_EQ(WSAStringToAddressW(winput, AF_INET6, nullptr, reinterpret_cast<SOCKADDR *>(&in6), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(len, static_cast<INT>(sizeof(SOCKADDR_IN6)));
}

TEST_F(WinsockTest, StringToAddressErrors) {
    SOCKADDR_STORAGE storage;
    INT len;
    char v4[] = "1.2.3.4";
    auto *page = ws2test::inaccessible_page();
    struct {
        const char *what;
        char *text;
        int family;
        void *address;
        INT *length;
        int error;
    } cases[] = {
        {"null string", nullptr, AF_INET, &storage, &len, WSAEINVAL},
        {"family without a provider", v4, AF_IPX, &storage, &len, WSAEINVAL},
        {"family 0", v4, AF_UNSPEC, &storage, &len, WSAEINVAL},
        {"family the provider cannot parse", v4, AF_UNIX, &storage, &len, WSAEINVAL},
        {"null length", v4, AF_INET, &storage, nullptr, WSAEFAULT},
        {"inaccessible length", v4, AF_INET, &storage, static_cast<INT *>(page), WSAEFAULT},
        {"inaccessible string", static_cast<char *>(page), AF_INET, &storage, &len, WSAEFAULT},
        {"null address", v4, AF_INET, nullptr, &len, WSAEFAULT},
        {"inaccessible address", v4, AF_INET, page, &len, WSAEFAULT},
    };
    for (auto &c : cases) {
        len = sizeof storage;
        arm_last_error();
        EXPECT_EQ(WSAStringToAddressA(c.text, c.family, nullptr, static_cast<SOCKADDR *>(c.address), c.length),
                  SOCKET_ERROR)
            << c.what;
        EXPECT_EQ(WSAGetLastError(), c.error) << c.what;
    }
    // A protocol info names the provider; an unknown catalog id is WSAEINVAL.
    WSAPROTOCOL_INFOA unknown{};
    unknown.dwCatalogEntryId = 0xdead;
    len = sizeof storage;
    EXPECT_EQ(WSAStringToAddressA(v4, AF_INET, &unknown, reinterpret_cast<SOCKADDR *>(&storage), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    std::vector<WSAPROTOCOL_INFOW> entries = ws2test::enum_protocols_w();
    ASSERT_FALSE(entries.empty());
    wchar_t wv4[] = L"1.2.3.4:5";
    len = sizeof storage;
    ASSERT_EQ(WSAStringToAddressW(wv4, AF_INET, &entries.front(), reinterpret_cast<SOCKADDR *>(&storage), &len), 0);
    auto *in = reinterpret_cast<SOCKADDR_IN *>(&storage);
    EXPECT_EQ(in->sin_family, AF_INET);
    EXPECT_EQ(in->sin_addr.s_addr, net32(0x01020304));
    EXPECT_EQ(in->sin_port, net16(5));
    EXPECT_EQ(len, static_cast<INT>(sizeof(SOCKADDR_IN)));
}

TEST_F(WinsockTest, AddressTextRoundTrips) {
    const char *texts[] = {"10.1.2.3:8080", "[2001:db8::1%3]:443", "fe80::1%12", "::ffff:192.0.2.1"};
    for (const char *text : texts) {
        SOCKADDR_STORAGE storage{};
        INT len = sizeof storage;
        std::string input = text;
        const int family = text[0] == '[' || std::strchr(text, ':') != std::strrchr(text, ':') ? AF_INET6 : AF_INET;
        ASSERT_EQ(WSAStringToAddressA(input.data(), family, nullptr, reinterpret_cast<SOCKADDR *>(&storage), &len), 0)
            << text;
        char out[64];
        DWORD out_len = sizeof out;
        ASSERT_EQ(WSAAddressToStringA(reinterpret_cast<SOCKADDR *>(&storage), static_cast<DWORD>(len), nullptr, out, &out_len), 0);
        EXPECT_STREQ(out, text);
    }
}

}  // namespace
