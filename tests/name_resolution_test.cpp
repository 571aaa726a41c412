// Name resolution: getaddrinfo/GetAddrInfoW/freeaddrinfo/FreeAddrInfoW, getnameinfo/GetNameInfoW,
// gethostbyname, gethostbyaddr, gethostname, getservbyname/port, getprotobyname/number and
// gai_strerrorA/W, against Windows' documented errors and what Wine's tests record of Windows.
// Only loopback, numeric addresses, "localhost", the host's own name and the local services and
// protocols databases are used: no test depends on DNS.
#include <ws2tcpip.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "names/system_resolver.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using ws2test::arm_last_error;
using ws2test::kSentinel;
using ws2test::WinsockTest;

std::uint16_t net16(std::uint16_t host) { return static_cast<std::uint16_t>((host >> 8) | (host << 8)); }

// Whether the local services database lists `name` with `port`/`protocol` (read directly: this
// file cannot include Linux's netdb.h next to the Windows headers).
bool services_file_has(const std::string &name, int port, const std::string &protocol) {
    std::ifstream file("/etc/services");
    std::string line;
    while (std::getline(file, line)) {
        line = line.substr(0, line.find('#'));
        std::istringstream fields(line);
        std::string service, port_proto;
        if (!(fields >> service >> port_proto)) continue;
        if (service == name && port_proto == std::to_string(port) + "/" + protocol) return true;
    }
    return false;
}

bool protocols_file_has(const std::string &name, int number) {
    std::ifstream file("/etc/protocols");
    std::string line;
    while (std::getline(file, line)) {
        line = line.substr(0, line.find('#'));
        std::istringstream fields(line);
        std::string protocol;
        int value;
        if ((fields >> protocol >> value) && protocol == name && value == number) return true;
    }
    return false;
}

std::string own_host_name() {
    char name[256] = {};
    EXPECT_EQ(gethostname(name, sizeof name), 0);
    return name;
}

struct Flat {
    int flags, family, socktype, protocol;
    size_t addrlen;
    std::string address;  // the sockaddr bytes
    std::string canonname;
    bool operator==(const Flat &o) const {
        return flags == o.flags && family == o.family && socktype == o.socktype &&
               protocol == o.protocol && addrlen == o.addrlen && address == o.address &&
               canonname == o.canonname;
    }
};

std::vector<Flat> flatten(const ADDRINFOA *ai) {
    std::vector<Flat> out;
    for (; ai != nullptr; ai = ai->ai_next)
        out.push_back({ai->ai_flags, ai->ai_family, ai->ai_socktype, ai->ai_protocol, ai->ai_addrlen,
                       std::string(reinterpret_cast<const char *>(ai->ai_addr), ai->ai_addrlen),
                       ai->ai_canonname ? ai->ai_canonname : ""});
    return out;
}

std::string text_of(const sockaddr *sa) {
    char text[64] = {};
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const SOCKADDR_IN *>(sa)->sin_addr, text, sizeof text);
    else
        inet_ntop(AF_INET6, &reinterpret_cast<const SOCKADDR_IN6 *>(sa)->sin6_addr, text, sizeof text);
    return text;
}

// ---- getaddrinfo ------------------------------------------------------------------------------

TEST_F(WinsockTest, GetAddrInfoNeedsANodeOrAService) {
    ADDRINFOA *result = reinterpret_cast<ADDRINFOA *>(0xdeadbeef);
    arm_last_error();
    EXPECT_EQ(getaddrinfo(nullptr, nullptr, nullptr, &result), WSAHOST_NOT_FOUND);
    EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    EXPECT_EQ(result, nullptr);

    ADDRINFOW *wresult = reinterpret_cast<ADDRINFOW *>(0xdeadbeef);
    arm_last_error();
    EXPECT_EQ(GetAddrInfoW(nullptr, nullptr, nullptr, &wresult), WSAHOST_NOT_FOUND);
    EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    EXPECT_EQ(wresult, nullptr);
}

TEST_F(WinsockTest, GetAddrInfoSucceedsAndClearsTheLastError) {
    const char *nodes[] = {"localhost", "127.0.0.1", ""};
    const char *services[] = {nullptr, "", "0", "80"};
    ADDRINFOA hints{};
    for (const char *node : nodes) {
        for (const char *service : services) {
            for (const ADDRINFOA *h : {static_cast<const ADDRINFOA *>(nullptr), static_cast<const ADDRINFOA *>(&hints)}) {
                ADDRINFOA *result = nullptr;
                arm_last_error();
                ASSERT_EQ(getaddrinfo(node, service, h, &result), 0) << node << ' ' << (service ? service : "NULL");
                EXPECT_EQ(WSAGetLastError(), 0);
                ASSERT_NE(result, nullptr);
                freeaddrinfo(result);
            }
        }
    }
}

TEST_F(WinsockTest, GetAddrInfoEmptyServiceIsPortZero) {
    ADDRINFOA *a = nullptr, *b = nullptr;
    ASSERT_EQ(getaddrinfo(nullptr, "0", nullptr, &a), 0);
    ASSERT_EQ(getaddrinfo(nullptr, "", nullptr, &b), 0);
    EXPECT_EQ(flatten(a), flatten(b));
    freeaddrinfo(a);
    freeaddrinfo(b);
    ASSERT_EQ(getaddrinfo("", "0", nullptr, &a), 0);
    ASSERT_EQ(getaddrinfo("", "", nullptr, &b), 0);
    EXPECT_EQ(flatten(a), flatten(b));
    freeaddrinfo(a);
    freeaddrinfo(b);
}

// Windows answers its own name, and "", with the addresses of the machine.
TEST_F(WinsockTest, GetAddrInfoOwnNameEqualsEmptyName) {
    const std::string name = own_host_name();
    for (const char *service : {static_cast<const char *>(nullptr), ""}) {
        ADDRINFOA *a = nullptr, *b = nullptr;
        ASSERT_EQ(getaddrinfo(name.c_str(), service, nullptr, &a), 0);
        ASSERT_EQ(getaddrinfo("", service, nullptr, &b), 0);
        EXPECT_EQ(flatten(a), flatten(b));
        freeaddrinfo(a);
        freeaddrinfo(b);
    }
}

// "localhost" is every loopback address of the machine, IPv6 first, whatever the hosts file
// says; "..localmachine" is the machine's own addresses like "".
TEST_F(WinsockTest, GetAddrInfoSpecialNames) {
    ADDRINFOA *result = nullptr;
    ASSERT_EQ(getaddrinfo("localhost", nullptr, nullptr, &result), 0);
    bool seen_v4 = false;
    for (ADDRINFOA *p = result; p; p = p->ai_next) {
        if (p->ai_family == AF_INET) {
            EXPECT_EQ(text_of(p->ai_addr), "127.0.0.1");
            seen_v4 = true;
        } else {
            EXPECT_EQ(text_of(p->ai_addr), "::1");
            EXPECT_FALSE(seen_v4) << "IPv6 comes first";
        }
    }
    EXPECT_TRUE(seen_v4);
    freeaddrinfo(result);

    ADDRINFOA hints{};
    hints.ai_family = AF_INET6;
    hints.ai_flags = AI_V4MAPPED;
    ASSERT_EQ(getaddrinfo("LocalHost", nullptr, &hints, &result), 0);
    EXPECT_EQ(result->ai_family, AF_INET6);
    const std::string text = text_of(result->ai_addr);
    EXPECT_TRUE(text == "::1" || text == "::ffff:127.0.0.1") << text;
    freeaddrinfo(result);

    ADDRINFOA *a = nullptr, *b = nullptr;
    ASSERT_EQ(getaddrinfo("..localmachine", "7", nullptr, &a), 0);
    ASSERT_EQ(getaddrinfo("", "7", nullptr, &b), 0);
    EXPECT_EQ(flatten(a), flatten(b));
    freeaddrinfo(a);
    freeaddrinfo(b);
}

TEST_F(WinsockTest, GetAddrInfoResultLayout) {
    ADDRINFOA hints{};
    hints.ai_family = AF_INET;
    ADDRINFOA *result = nullptr;
    ASSERT_EQ(getaddrinfo("192.168.1.253", "8080", &hints, &result), 0);
    ASSERT_NE(result, nullptr);
    EXPECT_EQ(result->ai_flags, 0);
    EXPECT_EQ(result->ai_family, AF_INET);
    EXPECT_EQ(result->ai_socktype, 0);
    EXPECT_EQ(result->ai_protocol, 0);
    EXPECT_EQ(result->ai_canonname, nullptr);
    EXPECT_EQ(result->ai_addrlen, sizeof(SOCKADDR_IN));
    auto *in = reinterpret_cast<SOCKADDR_IN *>(result->ai_addr);
    EXPECT_EQ(in->sin_family, AF_INET);
    EXPECT_EQ(in->sin_port, net16(8080));
    EXPECT_STREQ(inet_ntoa(in->sin_addr), "192.168.1.253");
    EXPECT_EQ(result->ai_next, nullptr);
    freeaddrinfo(result);

    ASSERT_EQ(getaddrinfo("2a00:2039:dead:beef:cafe::6666", nullptr, nullptr, &result), 0);
    EXPECT_EQ(result->ai_family, AF_INET6);
    EXPECT_EQ(result->ai_addrlen, sizeof(SOCKADDR_IN6));
    auto *in6 = reinterpret_cast<SOCKADDR_IN6 *>(result->ai_addr);
    EXPECT_EQ(in6->sin6_family, AF_INET6);  // 23, Windows' number
    EXPECT_EQ(in6->sin6_port, 0);
    EXPECT_EQ(text_of(result->ai_addr), "2a00:2039:dead:beef:cafe::6666");
    freeaddrinfo(result);
}

TEST_F(WinsockTest, GetAddrInfoNumericHosts) {
    ADDRINFOA hints{};
    ADDRINFOA *result = reinterpret_cast<ADDRINFOA *>(0xdeadbeef);
    hints.ai_flags = AI_NUMERICHOST;
    EXPECT_EQ(getaddrinfo("localhost", "80", &hints, &result), WSAHOST_NOT_FOUND);
    EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    EXPECT_EQ(result, nullptr);
    EXPECT_EQ(getaddrinfo("192.168.1.253:1024", nullptr, &hints, &result), WSAHOST_NOT_FOUND);
    EXPECT_EQ(result, nullptr);

    // Windows reads "[address]" and "[address]:port" (the port is ignored) as an IPv6 address.
    struct {
        const char *node;
        int flags, family, error;
    } cases[] = {
        {"[beef::cafe]", 0, AF_UNSPEC, 0},
        {"[beef::cafe]", AI_NUMERICHOST, AF_INET6, 0},
        {"[beef::cafe]:10239", 0, AF_UNSPEC, 0},
        {"[beef::cafe]", AI_NUMERICHOST, AF_INET, WSAHOST_NOT_FOUND},
        {"[beef::cafe", AI_NUMERICHOST, AF_UNSPEC, WSAHOST_NOT_FOUND},
        {"beef::cafe]", AI_NUMERICHOST, AF_UNSPEC, WSAHOST_NOT_FOUND},
        {"::1", AI_NUMERICHOST, AF_INET, WSAHOST_NOT_FOUND},
        {"127.0.0.1", AI_NUMERICHOST, AF_INET6, WSAHOST_NOT_FOUND},
    };
    for (auto &c : cases) {
        hints = ADDRINFOA{};
        hints.ai_flags = c.flags;
        hints.ai_family = c.family;
        result = nullptr;
        ASSERT_EQ(getaddrinfo(c.node, nullptr, &hints, &result), c.error) << c.node;
        if (c.error == 0) {
            EXPECT_EQ(result->ai_family, AF_INET6);
            EXPECT_EQ(reinterpret_cast<SOCKADDR_IN6 *>(result->ai_addr)->sin6_port, 0);
            EXPECT_EQ(text_of(result->ai_addr), "beef::cafe");
            freeaddrinfo(result);
        } else {
            EXPECT_EQ(result, nullptr);
        }
    }
}

// Windows copies ai_socktype and ai_protocol from the hints, one result per address.
TEST_F(WinsockTest, GetAddrInfoHintTable) {
    struct {
        int family, socktype, protocol, error;
    } cases[] = {
        {AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0}, {AF_UNSPEC, SOCK_STREAM, IPPROTO_UDP, 0},
        {AF_UNSPEC, SOCK_STREAM, IPPROTO_IPV6, 0}, {AF_UNSPEC, SOCK_DGRAM, IPPROTO_TCP, 0},
        {AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDP, 0},   {AF_UNSPEC, SOCK_DGRAM, IPPROTO_IPV6, 0},
        {AF_INET, SOCK_STREAM, IPPROTO_TCP, 0},    {AF_INET, SOCK_STREAM, IPPROTO_UDP, 0},
        {AF_INET, SOCK_STREAM, IPPROTO_IPV6, 0},   {AF_INET, SOCK_DGRAM, IPPROTO_TCP, 0},
        {AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0},     {AF_INET, SOCK_DGRAM, IPPROTO_IPV6, 0},
        {AF_UNSPEC, 0, IPPROTO_TCP, 0},            {AF_UNSPEC, 0, IPPROTO_UDP, 0},
        {AF_UNSPEC, 0, IPPROTO_IPV6, 0},           {AF_UNSPEC, SOCK_STREAM, 0, 0},
        {AF_UNSPEC, SOCK_DGRAM, 0, 0},             {AF_INET, 0, IPPROTO_TCP, 0},
        {AF_INET, 0, IPPROTO_UDP, 0},              {AF_INET, 0, IPPROTO_IPV6, 0},
        {AF_INET, SOCK_STREAM, 0, 0},              {AF_INET, SOCK_DGRAM, 0, 0},
        {AF_UNSPEC, 999, IPPROTO_TCP, WSAESOCKTNOSUPPORT},
        {AF_UNSPEC, 999, IPPROTO_UDP, WSAESOCKTNOSUPPORT},
        {AF_UNSPEC, 999, IPPROTO_IPV6, WSAESOCKTNOSUPPORT},
        {AF_INET, 999, IPPROTO_TCP, WSAESOCKTNOSUPPORT},
        {AF_INET, 999, IPPROTO_UDP, WSAESOCKTNOSUPPORT},
        {AF_INET, 999, IPPROTO_IPV6, WSAESOCKTNOSUPPORT},
        {AF_UNSPEC, SOCK_STREAM, 999, 0},          {AF_INET, SOCK_DGRAM, 999, 0},
    };
    for (int wide = 0; wide < 2; ++wide) {
        for (auto &c : cases) {
            SCOPED_TRACE(testing::Message() << (wide ? "W " : "A ") << c.family << ' ' << c.socktype
                                            << ' ' << c.protocol);
            arm_last_error();
            int rc;
            std::vector<std::tuple<int, int, int>> got;
            if (wide) {
                ADDRINFOW hints{}, *result = nullptr;
                hints.ai_family = c.family;
                hints.ai_socktype = c.socktype;
                hints.ai_protocol = c.protocol;
                rc = GetAddrInfoW(L"localhost", nullptr, &hints, &result);
                for (ADDRINFOW *p = result; p; p = p->ai_next)
                    got.emplace_back(p->ai_family, p->ai_socktype, p->ai_protocol);
                FreeAddrInfoW(result);
            } else {
                ADDRINFOA hints{}, *result = nullptr;
                hints.ai_family = c.family;
                hints.ai_socktype = c.socktype;
                hints.ai_protocol = c.protocol;
                rc = getaddrinfo("localhost", nullptr, &hints, &result);
                for (ADDRINFOA *p = result; p; p = p->ai_next)
                    got.emplace_back(p->ai_family, p->ai_socktype, p->ai_protocol);
                freeaddrinfo(result);
            }
            EXPECT_EQ(rc, c.error);
            EXPECT_EQ(WSAGetLastError(), c.error);
            if (c.error == 0) {
                EXPECT_FALSE(got.empty());
            }
            for (auto &[family, socktype, protocol] : got) {
                if (c.family == AF_UNSPEC)
                    EXPECT_TRUE(family == AF_INET || family == AF_INET6) << family;
                else
                    EXPECT_EQ(family, c.family);
                EXPECT_EQ(socktype, c.socktype);
                EXPECT_EQ(protocol, c.protocol);
            }
        }
    }
}

TEST_F(WinsockTest, GetAddrInfoHintErrors) {
    SOCKADDR_IN some_address{};
    ADDRINFOA next{};
    char name[] = "x";
    struct {
        const char *what;
        const char *node;
        ADDRINFOA hints;
        int error;
    } cases[] = {
        {"ai_addrlen set", "127.0.0.1", {0, 0, 0, 0, 16, nullptr, nullptr, nullptr}, WSANO_RECOVERY},
        {"ai_canonname set", "127.0.0.1", {0, 0, 0, 0, 0, name, nullptr, nullptr}, WSANO_RECOVERY},
        {"ai_addr set", "127.0.0.1", {0, 0, 0, 0, 0, nullptr, reinterpret_cast<sockaddr *>(&some_address), nullptr}, WSANO_RECOVERY},
        {"ai_next set", "127.0.0.1", {0, 0, 0, 0, 0, nullptr, nullptr, &next}, WSANO_RECOVERY},
        {"unknown flag", "127.0.0.1", {0x1000, 0, 0, 0, 0, nullptr, nullptr, nullptr}, WSAEINVAL},
        {"AI_CANONNAME without a node", nullptr, {AI_CANONNAME, 0, 0, 0, 0, nullptr, nullptr, nullptr}, WSANO_RECOVERY},
        {"AI_FQDN without a node", nullptr, {AI_FQDN, 0, 0, 0, 0, nullptr, nullptr, nullptr}, WSANO_RECOVERY},
        {"AI_CANONNAME with AI_FQDN", "localhost", {AI_CANONNAME | AI_FQDN, 0, 0, 0, 0, nullptr, nullptr, nullptr}, WSAEINVAL},
        {"AF_IPX", "127.0.0.1", {0, AF_IPX, 0, 0, 0, nullptr, nullptr, nullptr}, WSAEAFNOSUPPORT},
        {"AF_UNIX", "127.0.0.1", {0, AF_UNIX, 0, 0, 0, nullptr, nullptr, nullptr}, WSAEAFNOSUPPORT},
        {"socket type -1", "127.0.0.1", {0, 0, -1, 0, 0, nullptr, nullptr, nullptr}, WSAESOCKTNOSUPPORT},
        {"socket type 999", "127.0.0.1", {0, 0, 999, 0, 0, nullptr, nullptr, nullptr}, WSAESOCKTNOSUPPORT},
    };
    for (auto &c : cases) {
        ADDRINFOA *result = reinterpret_cast<ADDRINFOA *>(0xdeadbeef);
        arm_last_error();
        EXPECT_EQ(getaddrinfo(c.node, "80", &c.hints, &result), c.error) << c.what;
        EXPECT_EQ(WSAGetLastError(), c.error) << c.what;
        EXPECT_EQ(result, nullptr) << c.what;
    }
}

TEST_F(WinsockTest, GetAddrInfoServices) {
    ADDRINFOA hints{}, *result = reinterpret_cast<ADDRINFOA *>(0xdeadbeef);
    arm_last_error();
    EXPECT_EQ(getaddrinfo(nullptr, "nonexistentservice", &hints, &result), WSATYPE_NOT_FOUND);
    EXPECT_EQ(WSAGetLastError(), WSATYPE_NOT_FOUND);
    EXPECT_EQ(result, nullptr);

    hints.ai_flags = AI_NUMERICSERV;
    EXPECT_EQ(getaddrinfo("127.0.0.1", "http", &hints, &result), WSAHOST_NOT_FOUND);
    hints.ai_flags = 0;

    ASSERT_EQ(getaddrinfo("127.0.0.1", "65535", &hints, &result), 0);
    EXPECT_EQ(reinterpret_cast<SOCKADDR_IN *>(result->ai_addr)->sin_port, net16(65535));
    freeaddrinfo(result);

    if (!services_file_has("http", 80, "tcp")) GTEST_SKIP() << "no http/tcp in /etc/services";
    for (int socktype : {0, SOCK_STREAM}) {
        hints.ai_socktype = socktype;
        ASSERT_EQ(getaddrinfo("127.0.0.1", "http", &hints, &result), 0);
        EXPECT_EQ(reinterpret_cast<SOCKADDR_IN *>(result->ai_addr)->sin_port, net16(80));
        EXPECT_EQ(result->ai_socktype, socktype);
        freeaddrinfo(result);
    }
    ASSERT_EQ(getaddrinfo("127.0.0.1", "HTTP", &hints, &result), 0);  // names ignore case
    freeaddrinfo(result);
}

TEST_F(WinsockTest, GetAddrInfoWildcardAndLoopback) {
    ADDRINFOA hints{}, *result = nullptr;
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_PASSIVE;
    ASSERT_EQ(getaddrinfo(nullptr, "80", &hints, &result), 0);
    EXPECT_EQ(text_of(result->ai_addr), "0.0.0.0");
    freeaddrinfo(result);
    hints.ai_flags = 0;
    ASSERT_EQ(getaddrinfo(nullptr, "80", &hints, &result), 0);
    EXPECT_EQ(text_of(result->ai_addr), "127.0.0.1");
    freeaddrinfo(result);
    hints.ai_family = AF_INET6;
    ASSERT_EQ(getaddrinfo(nullptr, "80", &hints, &result), 0);
    EXPECT_EQ(text_of(result->ai_addr), "::1");
    freeaddrinfo(result);
    hints.ai_flags = AI_PASSIVE;
    ASSERT_EQ(getaddrinfo(nullptr, "80", &hints, &result), 0);
    EXPECT_EQ(text_of(result->ai_addr), "::");
    freeaddrinfo(result);

    hints.ai_flags = AI_V4MAPPED;
    ASSERT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), 0);
    EXPECT_EQ(result->ai_family, AF_INET6);
    EXPECT_EQ(text_of(result->ai_addr), "::ffff:127.0.0.1");
    freeaddrinfo(result);
}

TEST_F(WinsockTest, GetAddrInfoCanonicalName) {
    ADDRINFOA hints{}, *result = nullptr;
    hints.ai_flags = AI_CANONNAME;
    ASSERT_EQ(getaddrinfo("127.0.0.1", nullptr, &hints, &result), 0);
    ASSERT_NE(result->ai_canonname, nullptr);
    EXPECT_STREQ(result->ai_canonname, "127.0.0.1");
    for (ADDRINFOA *p = result->ai_next; p; p = p->ai_next) EXPECT_EQ(p->ai_canonname, nullptr);
    freeaddrinfo(result);

    ASSERT_EQ(getaddrinfo("localhost", nullptr, &hints, &result), 0);
    ASSERT_NE(result->ai_canonname, nullptr);
    EXPECT_STREQ(result->ai_canonname, "localhost");
    freeaddrinfo(result);

    ADDRINFOW whints{}, *wresult = nullptr;
    whints.ai_flags = AI_CANONNAME;
    ASSERT_EQ(GetAddrInfoW(L"localhost", L"80", &whints, &wresult), 0);
    ASSERT_NE(wresult->ai_canonname, nullptr);
    EXPECT_EQ(std::wstring(wresult->ai_canonname), L"localhost");
    EXPECT_EQ(reinterpret_cast<SOCKADDR_IN *>(wresult->ai_addr)->sin_port, net16(80));
    FreeAddrInfoW(wresult);

    const std::string own = own_host_name();
    ASSERT_EQ(getaddrinfo(own.c_str(), nullptr, &hints, &result), 0);
    ASSERT_NE(result->ai_canonname, nullptr);
    EXPECT_STREQ(result->ai_canonname, own.c_str());
    freeaddrinfo(result);
}

TEST_F(WinsockTest, GetAddrInfoWideMatchesNarrow) {
    const wchar_t *wnodes[] = {L"localhost", L"127.0.0.1", L"::1", L""};
    const char *nodes[] = {"localhost", "127.0.0.1", "::1", ""};
    for (int i = 0; i < 4; ++i) {
        ADDRINFOA *a = nullptr;
        ADDRINFOW *w = nullptr;
        ASSERT_EQ(getaddrinfo(nodes[i], "443", nullptr, &a), 0) << nodes[i];
        ASSERT_EQ(GetAddrInfoW(wnodes[i], L"443", nullptr, &w), 0) << nodes[i];
        ADDRINFOA *p = a;
        ADDRINFOW *q = w;
        for (; p && q; p = p->ai_next, q = q->ai_next) {
            EXPECT_EQ(p->ai_family, q->ai_family);
            EXPECT_EQ(p->ai_addrlen, q->ai_addrlen);
            EXPECT_EQ(std::memcmp(p->ai_addr, q->ai_addr, p->ai_addrlen), 0);
        }
        EXPECT_EQ(p, nullptr);
        EXPECT_EQ(q, nullptr);
        freeaddrinfo(a);
        FreeAddrInfoW(w);
    }
}

TEST_F(WinsockTest, GetAddrInfoInternationalNames) {
    // "テスト.invalid" needs IDN encoding; with it disabled Windows fails at once.
    ADDRINFOW hints{}, *result = reinterpret_cast<ADDRINFOW *>(0xdeadbeef);
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_DISABLE_IDN_ENCODING;
    arm_last_error();
    EXPECT_EQ(GetAddrInfoW(L"\x30c6\x30b9\x30c8.invalid", nullptr, &hints, &result), WSAHOST_NOT_FOUND);
    EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    EXPECT_EQ(result, nullptr);
    ADDRINFOA narrow_hints{}, *narrow = reinterpret_cast<ADDRINFOA *>(0xdeadbeef);
    narrow_hints.ai_flags = AI_DISABLE_IDN_ENCODING;
    EXPECT_EQ(getaddrinfo("\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88.invalid", nullptr, &narrow_hints, &narrow),
              WSAHOST_NOT_FOUND);
    EXPECT_EQ(narrow, nullptr);
    // A string that is not text names no host (and is not taken for "").
    const wchar_t not_text[] = {0xd800, 0};
    hints.ai_flags = 0;
    EXPECT_EQ(GetAddrInfoW(not_text, nullptr, &hints, &result), WSAHOST_NOT_FOUND);
    EXPECT_EQ(GetAddrInfoW(L"127.0.0.1", not_text, &hints, &result), WSATYPE_NOT_FOUND);
}

// Windows (8 and later) resolves an internationalized name by its ASCII form; Wine's tests
// record the form of "テスト.winehq.org".
TEST(NameResolution, InternationalNamesBecomePunycode) {
    std::string ascii;
    if (!ws2::names::sys::idn_to_ascii("x.org", &ascii)) GTEST_SKIP() << "libidn2 is not installed";
    EXPECT_EQ(ascii, "x.org");
    ASSERT_TRUE(ws2::names::sys::idn_to_ascii("\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88.winehq.org", &ascii));
    EXPECT_EQ(ascii, "xn--zckzah.winehq.org");
}

TEST_F(WinsockTest, GetAddrInfoBadPointers) {
    void *page = ws2test::inaccessible_page();
    ADDRINFOA *result = nullptr;
    arm_last_error();
    EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, nullptr, nullptr), WSAEFAULT);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, nullptr, static_cast<ADDRINFOA **>(page)), WSAEFAULT);
    EXPECT_EQ(getaddrinfo(static_cast<const char *>(page), nullptr, nullptr, &result), WSAEFAULT);
    EXPECT_EQ(result, nullptr);
    EXPECT_EQ(getaddrinfo("127.0.0.1", static_cast<const char *>(page), nullptr, &result), WSAEFAULT);
    EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, static_cast<const ADDRINFOA *>(page), &result), WSAEFAULT);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    ADDRINFOW *wresult = nullptr;
    EXPECT_EQ(GetAddrInfoW(static_cast<const wchar_t *>(page), nullptr, nullptr, &wresult), WSAEFAULT);
    EXPECT_EQ(GetAddrInfoW(L"::1", nullptr, nullptr, nullptr), WSAEFAULT);
}

TEST_F(WinsockTest, FreeAddrInfoReleasesAnyChain) {
    freeaddrinfo(nullptr);
    FreeAddrInfoW(nullptr);
    // Two lists joined into one, and a tail freed on its own: every node is separate.
    ADDRINFOA hints{}, *a = nullptr, *b = nullptr;
    hints.ai_family = AF_INET;
    ASSERT_EQ(getaddrinfo("127.0.0.1", "1", &hints, &a), 0);
    ASSERT_EQ(getaddrinfo("127.0.0.2", "2", &hints, &b), 0);
    ADDRINFOA *last = a;
    while (last->ai_next) last = last->ai_next;
    last->ai_next = b;
    freeaddrinfo(a);
    ADDRINFOW *w = nullptr;
    ASSERT_EQ(GetAddrInfoW(L"", nullptr, nullptr, &w), 0);
    if (w->ai_next != nullptr) {
        ADDRINFOW *tail = w->ai_next;
        w->ai_next = nullptr;
        FreeAddrInfoW(tail);
    }
    FreeAddrInfoW(w);
}

// ---- getnameinfo ------------------------------------------------------------------------------

SOCKADDR_IN loopback4(std::uint16_t port) {
    SOCKADDR_IN in{};
    in.sin_family = AF_INET;
    in.sin_port = net16(port);
    in.sin_addr.s_addr = static_cast<ULONG>(inet_addr("127.0.0.1"));
    return in;
}

TEST_F(WinsockTest, GetNameInfoNumeric) {
    SOCKADDR_IN in = loopback4(80);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    arm_last_error();
    ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&in), sizeof in, host, sizeof host, serv,
                          sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV),
              0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_STREQ(host, "127.0.0.1");
    EXPECT_STREQ(serv, "80");

    SOCKADDR_IN6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = net16(443);
    ASSERT_EQ(inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr), 1);
    in6.sin6_scope_id = 5;
    ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&in6), sizeof in6, host, sizeof host, serv,
                          sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV),
              0);
    EXPECT_STREQ(host, "fe80::1%5");
    EXPECT_STREQ(serv, "443");

    wchar_t whost[NI_MAXHOST], wserv[NI_MAXSERV];
    ASSERT_EQ(GetNameInfoW(reinterpret_cast<SOCKADDR *>(&in6), sizeof in6, whost, NI_MAXHOST, wserv,
                           NI_MAXSERV, NI_NUMERICHOST | NI_NUMERICSERV),
              0);
    EXPECT_EQ(std::wstring(whost), L"fe80::1%5");
    EXPECT_EQ(std::wstring(wserv), L"443");

    // Only one of the two may be asked for.
    ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, 0, serv, sizeof serv, NI_NUMERICSERV), 0);
    EXPECT_STREQ(serv, "80");
    ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&in), sizeof in, host, sizeof host, nullptr, 0, NI_NUMERICHOST), 0);
    EXPECT_STREQ(host, "127.0.0.1");
}

TEST_F(WinsockTest, GetNameInfoNames) {
    SOCKADDR_IN in = loopback4(80);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    // 127.0.0.1 has a name in the local hosts file.
    ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&in), sizeof in, host, sizeof host, nullptr, 0, NI_NAMEREQD), 0);
    EXPECT_GT(std::strlen(host), 0u);
    EXPECT_EQ(inet_addr(host), INADDR_NONE) << host;  // a name, not the number

    if (!services_file_has("http", 80, "tcp")) GTEST_SKIP() << "no http/tcp in /etc/services";
    ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, 0, serv, sizeof serv, 0), 0);
    EXPECT_STREQ(serv, "http");
    wchar_t wserv[NI_MAXSERV];
    ASSERT_EQ(GetNameInfoW(reinterpret_cast<SOCKADDR *>(&in), sizeof in, nullptr, 0, wserv, NI_MAXSERV, 0), 0);
    EXPECT_EQ(std::wstring(wserv), L"http");
    // A port without a service name is printed as a number.
    SOCKADDR_IN unnamed = loopback4(47999);
    ASSERT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&unnamed), sizeof unnamed, nullptr, 0, serv, sizeof serv, 0), 0);
    EXPECT_STREQ(serv, "47999");
}

TEST_F(WinsockTest, GetNameInfoErrors) {
    SOCKADDR_IN in = loopback4(80);
    SOCKADDR_IN6 in6{};
    in6.sin6_family = AF_INET6;
    SOCKADDR ipx{};
    ipx.sa_family = AF_IPX;
    char host[NI_MAXHOST], serv[NI_MAXSERV], tiny[4];
    void *page = ws2test::inaccessible_page();
    const int numeric = NI_NUMERICHOST | NI_NUMERICSERV;
    struct {
        const char *what;
        const void *sa;
        int sa_len;
        char *host;
        DWORD host_len;
        char *serv;
        DWORD serv_len;
        int error;
    } cases[] = {
        {"null address", nullptr, sizeof in, host, sizeof host, serv, sizeof serv, WSAEFAULT},
        {"inaccessible address", page, sizeof in, host, sizeof host, serv, sizeof serv, WSAEFAULT},
        {"short IPv4 length", &in, sizeof in - 1, host, sizeof host, serv, sizeof serv, WSAEFAULT},
        {"short IPv6 length", &in6, sizeof in6 - 1, host, sizeof host, serv, sizeof serv, WSAEFAULT},
        {"unsupported family", &ipx, sizeof ipx, host, sizeof host, serv, sizeof serv, WSAEAFNOSUPPORT},
        {"no buffers", &in, sizeof in, nullptr, 0, nullptr, 0, WSAHOST_NOT_FOUND},
        {"zero host length", &in, sizeof in, host, 0, serv, sizeof serv, WSAEINVAL},
        {"zero service length", &in, sizeof in, host, sizeof host, serv, 0, WSAEINVAL},
        {"host buffer too small", &in, sizeof in, tiny, sizeof tiny, nullptr, 0, WSAEFAULT},
        {"host buffer one short", &in, sizeof in, host, 9, nullptr, 0, WSAEFAULT},
        {"service buffer too small", &in, sizeof in, nullptr, 0, tiny, 2, WSAEFAULT},
        {"inaccessible host buffer", &in, sizeof in, static_cast<char *>(page), 64, nullptr, 0, WSAEFAULT},
        {"inaccessible service buffer", &in, sizeof in, nullptr, 0, static_cast<char *>(page), 32, WSAEFAULT},
    };
    for (auto &c : cases) {
        arm_last_error();
        EXPECT_EQ(getnameinfo(static_cast<const SOCKADDR *>(c.sa), c.sa_len, c.host, c.host_len, c.serv,
                              c.serv_len, numeric),
                  c.error)
            << c.what;
        EXPECT_EQ(WSAGetLastError(), c.error) << c.what;
        wchar_t whost[NI_MAXHOST], wserv[NI_MAXSERV];
        wchar_t *wh = c.host == nullptr ? nullptr : c.host == page ? static_cast<wchar_t *>(page) : whost;
        wchar_t *ws = c.serv == nullptr ? nullptr : c.serv == page ? static_cast<wchar_t *>(page) : wserv;
        arm_last_error();
        EXPECT_EQ(GetNameInfoW(static_cast<const SOCKADDR *>(c.sa), c.sa_len, wh, c.host_len, ws,
                               c.serv_len, numeric),
                  c.error)
            << c.what;
        EXPECT_EQ(WSAGetLastError(), c.error) << c.what;
    }
    // Exactly enough room.
    EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&in), sizeof in, host, 10, serv, 3, numeric), 0);
}

// ---- gethostbyname / gethostbyaddr / gethostname ---------------------------------------------

TEST_F(WinsockTest, GetHostByNameLocalhost) {
    hostent *h = gethostbyname("localhost");
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->h_addrtype, AF_INET);
    EXPECT_EQ(h->h_length, 4);
    ASSERT_NE(h->h_addr_list[0], nullptr);
    const unsigned char loopback[4] = {127, 0, 0, 1};
    EXPECT_EQ(std::memcmp(h->h_addr_list[0], loopback, 4), 0);
    EXPECT_NE(h->h_name, nullptr);

    h = gethostbyname("127.0.0.1");
    ASSERT_NE(h, nullptr);
    EXPECT_STREQ(h->h_name, "127.0.0.1");
    EXPECT_EQ(std::memcmp(h->h_addr_list[0], loopback, 4), 0);
    EXPECT_EQ(h->h_addr_list[1], nullptr);
}

// Windows' layout (XP and later): aliases right after the structure, then the address
// pointers, then the addresses.
TEST_F(WinsockTest, GetHostByNameLayout) {
    for (const char *name : {"localhost", "127.0.0.1", ""}) {
        hostent *h = gethostbyname(name);
        ASSERT_NE(h, nullptr) << name;
        char **aliases = reinterpret_cast<char **>(h + 1);
        EXPECT_EQ(h->h_aliases, aliases);
        int count = 1;
        for (char **p = h->h_aliases; *p; ++p) ++count;
        EXPECT_EQ(h->h_addr_list, aliases + count);
        count = 1;
        for (char **p = h->h_addr_list; *p; ++p) ++count;
        EXPECT_EQ(h->h_addr_list[0], reinterpret_cast<char *>(h->h_addr_list + count));
    }
}

TEST_F(WinsockTest, GetHostByNameOwnName) {
    const std::string own = own_host_name();
    for (const char *name : {own.c_str(), "", static_cast<const char *>(nullptr)}) {
        hostent *h = gethostbyname(name);
        ASSERT_NE(h, nullptr);
        EXPECT_STREQ(h->h_name, own.c_str());
        EXPECT_EQ(h->h_addrtype, AF_INET);
        int count = 0;
        bool loopback = false;
        for (char **p = h->h_addr_list; *p; ++p, ++count)
            loopback |= static_cast<unsigned char>((*p)[0]) == 127;
        EXPECT_GT(count, 0);
        if (loopback) {
            EXPECT_EQ(count, 1);  // loopback only when the machine has nothing else
        }
    }
}

TEST_F(WinsockTest, GetHostByNameKeepsOneBufferPerThread) {
    hostent *first = gethostbyname("localhost");
    hostent *second = gethostbyname("127.0.0.1");
    EXPECT_EQ(first, second);
    hostent *other = nullptr;
    std::thread([&] { other = gethostbyname("localhost"); }).join();
    EXPECT_NE(other, first);
    EXPECT_STREQ(first->h_name, "127.0.0.1");
}

TEST_F(WinsockTest, GetHostByNameErrors) {
    arm_last_error();
    EXPECT_EQ(gethostbyname("::1"), nullptr);  // IPv6 literals are not host names here
    EXPECT_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    EXPECT_EQ(h_errno, WSAHOST_NOT_FOUND);
    arm_last_error();
    EXPECT_EQ(gethostbyname(static_cast<const char *>(ws2test::inaccessible_page())), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(WinsockTest, GetHostByAddr) {
    const unsigned char loopback[4] = {127, 0, 0, 1};
    hostent *h = gethostbyaddr(reinterpret_cast<const char *>(loopback), 4, AF_INET);
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->h_addrtype, AF_INET);
    EXPECT_EQ(h->h_length, 4);
    EXPECT_GT(std::strlen(h->h_name), 0u);
    EXPECT_EQ(std::memcmp(h->h_addr_list[0], loopback, 4), 0);

    struct {
        const char *what;
        const void *addr;
        int len, type, error;
    } cases[] = {
        {"unsupported type", loopback, 4, AF_IPX, WSAEAFNOSUPPORT},
        {"type 0", loopback, 4, AF_UNSPEC, WSAEAFNOSUPPORT},
        {"short IPv4", loopback, 3, AF_INET, WSAEFAULT},
        {"short IPv6", loopback, 15, AF_INET6, WSAEINVAL},
        {"long IPv6", loopback, 17, AF_INET6, WSAEINVAL},
        {"null address", nullptr, 4, AF_INET, WSAEFAULT},
        {"inaccessible address", ws2test::inaccessible_page(), 4, AF_INET, WSAEFAULT},
    };
    for (auto &c : cases) {
        arm_last_error();
        EXPECT_EQ(gethostbyaddr(static_cast<const char *>(c.addr), c.len, c.type), nullptr) << c.what;
        EXPECT_EQ(WSAGetLastError(), c.error) << c.what;
    }
}

TEST_F(WinsockTest, GetHostName) {
    char name[256];
    ASSERT_EQ(gethostname(name, sizeof name), 0);
    const int len = static_cast<int>(std::strlen(name));
    ASSERT_GT(len, 0);
    ASSERT_NE(gethostbyname(name), nullptr);

    arm_last_error();
    EXPECT_EQ(gethostname(nullptr, 256), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);

    char copy[256];
    std::strcpy(copy, "deadbeef");
    arm_last_error();
    EXPECT_EQ(gethostname(copy, len), SOCKET_ERROR);  // no room for the terminator
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_STREQ(copy, "deadbeef");
    EXPECT_EQ(gethostname(copy, -1), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(gethostname(static_cast<char *>(ws2test::inaccessible_page()), 256), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);

    ASSERT_EQ(gethostname(copy, len + 1), 0);
    EXPECT_STREQ(copy, name);
}

// ---- services and protocols -------------------------------------------------------------------

TEST_F(WinsockTest, GetServByName) {
    if (!services_file_has("http", 80, "tcp") || !services_file_has("domain", 53, "udp"))
        GTEST_SKIP() << "/etc/services lacks http/tcp or domain/udp";
    struct {
        const char *name, *proto;
        int port;
        const char *official, *official_proto;
    } cases[] = {
        {"http", "tcp", 80, "http", "tcp"},    {"HTTP", "TCP", 80, "http", "tcp"},
        {"http", nullptr, 80, "http", "tcp"},  {"domain", "udp", 53, "domain", "udp"},
        {"Domain", "UDP", 53, "domain", "udp"}, {"www", "tcp", 80, "http", "tcp"},
    };
    for (auto &c : cases) {
        servent *s = getservbyname(c.name, c.proto);
        ASSERT_NE(s, nullptr) << c.name;
        EXPECT_STREQ(s->s_name, c.official);
        EXPECT_STREQ(s->s_proto, c.official_proto);
        EXPECT_EQ(s->s_port, static_cast<short>(net16(static_cast<std::uint16_t>(c.port))));
    }
    // One buffer per thread, reused while it is large enough (Windows 8.1 and later).
    servent *first = getservbyname("domain", "udp");
    servent *second = getservbyname("http", "tcp");
    EXPECT_EQ(first, second);

    arm_last_error();
    EXPECT_EQ(getservbyname("nonexistentservice", "tcp"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
    EXPECT_EQ(getservbyname("http", "nosuchprotocol"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
    EXPECT_EQ(getservbyname(nullptr, "tcp"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getservbyname(static_cast<const char *>(ws2test::inaccessible_page()), nullptr), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getservbyname("http", static_cast<const char *>(ws2test::inaccessible_page())), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(WinsockTest, GetServByNameFromManyThreads) {
    if (!services_file_has("telnet", 23, "tcp") || !services_file_has("domain", 53, "udp"))
        GTEST_SKIP() << "/etc/services lacks telnet/tcp or domain/udp";
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
        threads.emplace_back([] {
            for (int i = 0; i < 100; ++i) {
                servent *a = getservbyname("domain", "udp");
                ASSERT_NE(a, nullptr);
                EXPECT_EQ(a->s_port, static_cast<short>(net16(53)));
                EXPECT_STREQ(a->s_proto, "udp");
                servent *b = getservbyname("telnet", "tcp");
                ASSERT_NE(b, nullptr);
                EXPECT_EQ(b->s_port, static_cast<short>(net16(23)));
                EXPECT_STREQ(b->s_name, "telnet");
                EXPECT_EQ(a, b);
            }
        });
    }
    for (auto &t : threads) t.join();
}

TEST_F(WinsockTest, GetServByPort) {
    if (!services_file_has("http", 80, "tcp")) GTEST_SKIP() << "/etc/services lacks http/tcp";
    servent *s = getservbyport(net16(80), "tcp");
    ASSERT_NE(s, nullptr);
    EXPECT_STREQ(s->s_name, "http");
    EXPECT_STREQ(s->s_proto, "tcp");
    EXPECT_EQ(s->s_port, static_cast<short>(net16(80)));
    ASSERT_NE(s->s_aliases, nullptr);
    ASSERT_NE(getservbyport(net16(80), nullptr), nullptr);
    ASSERT_NE(getservbyport(net16(80), "TCP"), nullptr);

    arm_last_error();
    EXPECT_EQ(getservbyport(net16(47999), "tcp"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
    EXPECT_EQ(getservbyport(net16(80), static_cast<const char *>(ws2test::inaccessible_page())), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(WinsockTest, GetProtoByNameAndNumber) {
    // Windows' protocol file, as far as this system's database has the same entries.
    struct {
        int number;
        const char *name;
    } windows[] = {{0, "ip"},          {1, "icmp"},           {3, "ggp"},        {6, "tcp"},
                   {8, "egp"},         {12, "pup"},           {17, "udp"},       {20, "hmp"},
                   {22, "xns-idp"},    {27, "rdp"},           {41, "ipv6"},      {43, "ipv6-route"},
                   {44, "ipv6-frag"},  {50, "esp"},           {51, "ah"},        {58, "ipv6-icmp"},
                   {59, "ipv6-nonxt"}, {60, "ipv6-opts"},     {66, "rvd"}};
    int checked = 0;
    for (auto &w : windows) {
        if (!protocols_file_has(w.name, w.number)) continue;
        ++checked;
        protoent *p = getprotobyname(w.name);
        ASSERT_NE(p, nullptr) << w.name;
        EXPECT_EQ(p->p_proto, w.number);
        std::string upper = w.name;
        for (char &c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        p = getprotobyname(upper.c_str());  // names ignore case
        ASSERT_NE(p, nullptr) << upper;
        EXPECT_EQ(p->p_proto, w.number);
        p = getprotobynumber(w.number);
        ASSERT_NE(p, nullptr) << w.number;
        EXPECT_STREQ(p->p_name, w.name);
        ASSERT_NE(p->p_aliases, nullptr);
    }
    if (checked == 0) GTEST_SKIP() << "no protocols database";
    protoent *tcp = getprotobynumber(6);
    ASSERT_NE(tcp, nullptr);
    ASSERT_NE(tcp->p_aliases[0], nullptr);
    EXPECT_STREQ(tcp->p_aliases[0], "TCP");

    for (int number : {-1, 256, 1000}) {
        arm_last_error();
        EXPECT_EQ(getprotobynumber(number), nullptr) << number;
        EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
    }
    arm_last_error();
    EXPECT_EQ(getprotobyname("nonexistentprotocol"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANO_DATA);
    EXPECT_EQ(getprotobyname(nullptr), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getprotobyname(static_cast<const char *>(ws2test::inaccessible_page())), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

// ---- before WSAStartup -------------------------------------------------------------------------

TEST(NameResolution, NeedsWSAStartup) {
    ADDRINFOA *result = nullptr;
    arm_last_error();
    EXPECT_EQ(getaddrinfo("127.0.0.1", nullptr, nullptr, &result), WSANOTINITIALISED);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    ADDRINFOW *wresult = nullptr;
    EXPECT_EQ(GetAddrInfoW(L"127.0.0.1", nullptr, nullptr, &wresult), WSANOTINITIALISED);
    SOCKADDR_IN in = loopback4(80);
    char host[64];
    EXPECT_EQ(getnameinfo(reinterpret_cast<SOCKADDR *>(&in), sizeof in, host, sizeof host, nullptr, 0,
                          NI_NUMERICHOST),
              WSANOTINITIALISED);
    wchar_t whost[64];
    EXPECT_EQ(GetNameInfoW(reinterpret_cast<SOCKADDR *>(&in), sizeof in, whost, 64, nullptr, 0, NI_NUMERICHOST),
              WSANOTINITIALISED);

    arm_last_error();
    EXPECT_EQ(gethostbyname("localhost"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    const unsigned char loopback[4] = {127, 0, 0, 1};
    arm_last_error();
    EXPECT_EQ(gethostbyaddr(reinterpret_cast<const char *>(loopback), 4, AF_INET), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    arm_last_error();
    EXPECT_EQ(gethostname(host, sizeof host), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    arm_last_error();
    EXPECT_EQ(getservbyname("http", "tcp"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    arm_last_error();
    EXPECT_EQ(getservbyport(net16(80), "tcp"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    arm_last_error();
    EXPECT_EQ(getprotobyname("tcp"), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    arm_last_error();
    EXPECT_EQ(getprotobynumber(6), nullptr);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
}

// ---- gai_strerror -------------------------------------------------------------------------------

TEST(GaiStrerror, WindowsMessages) {
    struct {
        int code;
        const char *text;
    } cases[] = {
        {EAI_NONAME, "No such host is known. "},
        {EAI_AGAIN, "This is usually a temporary error during hostname resolution and means that the "
                    "local server did not receive a response from an authoritative server. "},
        {EAI_FAIL, "A non-recoverable error occurred during a database lookup. "},
        {EAI_NODATA, "The requested name is valid, but no data of the requested type was found. "},
        {EAI_SERVICE, "The specified class was not found. "},
        {EAI_FAMILY, "An address incompatible with the requested protocol was used. "},
        {EAI_SOCKTYPE, "The support for the specified socket type does not exist in this address family. "},
        {EAI_BADFLAGS, "An invalid argument was supplied. "},
        {EAI_MEMORY, "Not enough memory resources are available to process this command. "},
        {WSANOTINITIALISED, "Either the application has not called WSAStartup, or WSAStartup failed. "},
        {0, "The operation completed successfully. "},
        {12345678, ""},
    };
    for (auto &c : cases) {
        EXPECT_STREQ(gai_strerrorA(c.code), c.text) << c.code;
        std::wstring expected;
        for (const char *p = c.text; *p; ++p) expected.push_back(static_cast<unsigned char>(*p));
        EXPECT_EQ(std::wstring(gai_strerrorW(c.code)), expected) << c.code;
    }
}

}  // namespace
