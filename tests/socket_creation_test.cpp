// socket / WSASocketA / WSASocketW: catalog selection, error precedence, lpProtocolInfo rules,
// dwFlags, and every error of the seeds a base provider can produce, with exact codes
// (seeds 000-004; windows-behaviour.md §1.1-1.3, §1.6, §5.4).
#include <cstring>
#include <ostream>
#include <thread>

#include "spi/socket_registry.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using ws2test::arm_last_error;
using ws2test::kSentinel;
using ws2test::WinsockTest;

constexpr int kDead = 0xdead;

struct TripleCase {
    int af, type, protocol;
    int expected_error;  // 0: success
    int result_af = 0, result_type = 0, result_protocol = 0;
};

void PrintTo(const TripleCase &c, std::ostream *os) {
    *os << "(af " << c.af << ", type " << c.type << ", protocol " << c.protocol << ") -> "
        << c.expected_error;
}

class CreationTable : public WinsockTest, public ::testing::WithParamInterface<TripleCase> {};

// windows-behaviour.md §1.1: Wine's test_WSASocket table, run on Windows. AF_UNSPEC resolves
// to AF_INET6 because the catalog lists IPv6 first, as Windows 10/11 does.
TEST_P(CreationTable, WSASocketAGivesWindowsResult) {
    const TripleCase &c = GetParam();
    arm_last_error();
    SOCKET s = WSASocketA(c.af, c.type, c.protocol, nullptr, 0, 0);
    EXPECT_EQ(WSAGetLastError(), c.expected_error);
    if (c.expected_error != 0) {
        EXPECT_EQ(s, INVALID_SOCKET);
        return;
    }
    ASSERT_NE(s, INVALID_SOCKET);
    WSAPROTOCOL_INFOA info{};
    int len = sizeof info;
    ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, reinterpret_cast<char *>(&info), &len), 0);
    EXPECT_EQ(info.iAddressFamily, c.result_af);
    EXPECT_EQ(info.iSocketType, c.result_type);
    EXPECT_EQ(info.iProtocol, c.result_protocol);
    EXPECT_EQ(closesocket(s), 0);
}

INSTANTIATE_TEST_SUITE_P(
    WineTestWSASocket, CreationTable,
    ::testing::Values(
        TripleCase{kDead, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT},
        TripleCase{-1, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT},
        TripleCase{AF_INET, kDead, IPPROTO_TCP, WSAESOCKTNOSUPPORT},
        TripleCase{AF_INET, -1, IPPROTO_TCP, WSAESOCKTNOSUPPORT},
        TripleCase{AF_INET, SOCK_STREAM, kDead, WSAEPROTONOSUPPORT},
        TripleCase{AF_INET, SOCK_STREAM, -1, WSAEPROTONOSUPPORT},
        TripleCase{kDead, kDead, IPPROTO_TCP, WSAESOCKTNOSUPPORT},
        TripleCase{kDead, SOCK_STREAM, kDead, WSAEAFNOSUPPORT},
        TripleCase{AF_INET, kDead, kDead, WSAESOCKTNOSUPPORT},
        TripleCase{kDead, SOCK_STREAM, IPPROTO_UDP, WSAEAFNOSUPPORT},
        TripleCase{AF_INET, SOCK_STREAM, 0, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP},
        TripleCase{AF_INET, SOCK_DGRAM, 0, 0, AF_INET, SOCK_DGRAM, IPPROTO_UDP},
        TripleCase{AF_INET, kDead, 0, WSAESOCKTNOSUPPORT},
        TripleCase{AF_INET, 0, IPPROTO_TCP, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP},
        TripleCase{AF_INET, 0, IPPROTO_UDP, 0, AF_INET, SOCK_DGRAM, IPPROTO_UDP},
        TripleCase{AF_INET, 0, kDead, WSAEPROTONOSUPPORT},
        TripleCase{AF_INET, 0, 0, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP},
        TripleCase{AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT},
        TripleCase{AF_INET, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT},
        TripleCase{AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0, AF_INET6, SOCK_STREAM, IPPROTO_TCP},
        TripleCase{AF_UNSPEC, SOCK_STREAM, kDead, WSAEPROTONOSUPPORT},
        TripleCase{AF_UNSPEC, kDead, IPPROTO_UDP, WSAESOCKTNOSUPPORT},
        TripleCase{AF_UNSPEC, SOCK_STREAM, 0, WSAEINVAL},
        TripleCase{AF_UNSPEC, SOCK_DGRAM, 0, WSAEINVAL},
        TripleCase{AF_UNSPEC, kDead, 0, WSAEINVAL},
        TripleCase{AF_UNSPEC, 0, IPPROTO_TCP, 0, AF_INET6, SOCK_STREAM, IPPROTO_TCP},
        TripleCase{AF_UNSPEC, 0, IPPROTO_UDP, 0, AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
        TripleCase{AF_UNSPEC, 0, kDead, WSAEPROTONOSUPPORT},
        TripleCase{AF_UNSPEC, 0, 0, WSAEINVAL}));

// Families that 64-bit Windows no longer serves, and other unserved ones.
INSTANTIATE_TEST_SUITE_P(
    UnservedFamilies, CreationTable,
    ::testing::Values(TripleCase{AF_IPX, SOCK_DGRAM, 1000, WSAEAFNOSUPPORT},
                      TripleCase{AF_IPX, SOCK_SEQPACKET, 1256, WSAEAFNOSUPPORT},
                      TripleCase{AF_APPLETALK, SOCK_STREAM, 0, WSAEAFNOSUPPORT},
                      TripleCase{AF_NETBIOS, SOCK_DGRAM, 0, WSAEAFNOSUPPORT},
                      TripleCase{AF_IRDA, SOCK_STREAM, 0, WSAEAFNOSUPPORT},
                      TripleCase{AF_BTH, SOCK_STREAM, 3, WSAEAFNOSUPPORT},
                      TripleCase{AF_HYPERV, SOCK_STREAM, 1, WSAEAFNOSUPPORT}));

// Other combinations: unsupported types in a served family, AF_UNIX, FROM_PROTOCOL_INFO with
// no protocol info.
INSTANTIATE_TEST_SUITE_P(
    MoreTriples, CreationTable,
    ::testing::Values(TripleCase{AF_INET, SOCK_SEQPACKET, 0, WSAESOCKTNOSUPPORT},
                      TripleCase{AF_INET, SOCK_RDM, IPPROTO_RM, WSAESOCKTNOSUPPORT},
                      TripleCase{AF_INET6, SOCK_STREAM, IPPROTO_TCP, 0, AF_INET6, SOCK_STREAM, IPPROTO_TCP},
                      TripleCase{AF_INET6, SOCK_DGRAM, 0, 0, AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
                      TripleCase{AF_UNIX, SOCK_STREAM, 0, 0, AF_UNIX, SOCK_STREAM, 0},
                      TripleCase{AF_UNIX, 0, 0, 0, AF_UNIX, SOCK_STREAM, 0},
                      TripleCase{AF_UNIX, SOCK_DGRAM, 0, WSAESOCKTNOSUPPORT},
                      TripleCase{AF_UNIX, SOCK_STREAM, IPPROTO_TCP, WSAEPROTONOSUPPORT},
                      TripleCase{0, 0, IPPROTO_TCP, 0, AF_INET6, SOCK_STREAM, IPPROTO_TCP},
                      TripleCase{FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, WSAEAFNOSUPPORT}));

TEST_F(WinsockTest, SocketAndWSASocketWGiveTheSameAnswers) {
    for (const TripleCase &c : {TripleCase{AF_INET, SOCK_STREAM, 0, 0}, TripleCase{0, 0, 0, WSAEINVAL},
                                TripleCase{AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT},
                                TripleCase{kDead, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT}}) {
        arm_last_error();
        SOCKET a = socket(c.af, c.type, c.protocol);
        EXPECT_EQ(WSAGetLastError(), c.expected_error);
        arm_last_error();
        SOCKET b = WSASocketW(c.af, c.type, c.protocol, nullptr, 0, 0);
        EXPECT_EQ(WSAGetLastError(), c.expected_error);
        EXPECT_EQ(a == INVALID_SOCKET, c.expected_error != 0);
        EXPECT_EQ(b == INVALID_SOCKET, c.expected_error != 0);
        if (a != INVALID_SOCKET) closesocket(a);
        if (b != INVALID_SOCKET) closesocket(b);
    }
}

TEST_F(WinsockTest, ZerosResolveToTheFirstMatchingEnumeratedEntry) {
    auto visible = ws2test::enum_protocols_w();
    // (AF_INET, 0, 0): the first enumerated AF_INET entry carrying PFL_MATCHES_PROTOCOL_ZERO.
    SOCKET s = WSASocketA(AF_INET, 0, 0, nullptr, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    for (auto &e : visible)
        if (e.iAddressFamily == AF_INET && (e.dwProviderFlags & PFL_MATCHES_PROTOCOL_ZERO)) {
            EXPECT_EQ(ws2test::socket_type(s), e.iSocketType);
            break;
        }
    closesocket(s);
    for (int protocol : {IPPROTO_TCP, IPPROTO_UDP}) {
        s = WSASocketA(0, 0, protocol, nullptr, 0, 0);
        ASSERT_NE(s, INVALID_SOCKET);
        for (auto &e : visible)
            if (e.iProtocol == protocol) {
                EXPECT_EQ(ws2test::socket_type(s), e.iSocketType);
                break;
            }
        closesocket(s);
    }
}

// ---- lpProtocolInfo (windows-behaviour.md §1.2 b-f) ----------------------------------------

class ProtocolInfoTest : public WinsockTest {
protected:
    void SetUp() override {
        WinsockTest::SetUp();
        int tcp[] = {IPPROTO_TCP, IPPROTO_IP};
        DWORD len = 0;
        ASSERT_EQ(WSAEnumProtocolsA(tcp, nullptr, &len), SOCKET_ERROR);
        ASSERT_EQ(WSAGetLastError(), WSAENOBUFS);
        infos_.resize(len / sizeof(WSAPROTOCOL_INFOA));
        ASSERT_GT(WSAEnumProtocolsA(tcp, infos_.data(), &len), 0);
    }
    WSAPROTOCOL_INFOA &first_tcp() { return infos_[0]; }
    std::vector<WSAPROTOCOL_INFOA> infos_;
};

TEST_F(ProtocolInfoTest, FromProtocolInfoTakesTheStructuresValues) {
    arm_last_error();
    SOCKET s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &first_tcp(), 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(ws2test::socket_type(s), SOCK_STREAM);
    EXPECT_EQ(ws2test::protocol_info(s).dwCatalogEntryId, first_tcp().dwCatalogEntryId);
    closesocket(s);
}

TEST_F(ProtocolInfoTest, ValuesTakenFromTheStructureAreValidated) {
    WSAPROTOCOL_INFOA info = first_tcp();
    info.iAddressFamily = info.iSocketType = info.iProtocol = -1;
    EXPECT_EQ(WSASocketA(0, 0, IPPROTO_UDP, &info, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);

    info.iAddressFamily = info.iSocketType = info.iProtocol = 0;
    EXPECT_EQ(WSASocketA(0, 0, IPPROTO_UDP, &info, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    EXPECT_EQ(WSASocketA(0, 0, 0, &info, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

TEST_F(ProtocolInfoTest, ZeroParametersComeFromTheStructure) {
    WSAPROTOCOL_INFOA info = first_tcp();
    info.iAddressFamily = AF_INET;
    info.iSocketType = SOCK_DGRAM;
    info.iProtocol = IPPROTO_UDP;
    SOCKET s = WSASocketA(0, 0, 0, &info, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_EQ(ws2test::socket_type(s), SOCK_DGRAM);
    // The socket reports the catalog entry that describes it.
    WSAPROTOCOL_INFOW got = ws2test::protocol_info(s);
    EXPECT_EQ(got.iAddressFamily, AF_INET);
    EXPECT_EQ(got.iProtocol, IPPROTO_UDP);
    EXPECT_EQ(got.dwCatalogEntryId, 1005u);
    // SO_TYPE is read-only; on a datagram socket Windows calls it an invalid argument.
    int type = SOCK_STREAM;
    EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), sizeof type), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(s);
}

TEST_F(ProtocolInfoTest, ExplicitParametersOverrideTheStructure) {
    WSAPROTOCOL_INFOA info = first_tcp();
    info.iAddressFamily = AF_INET;
    info.iSocketType = SOCK_DGRAM;
    info.iProtocol = IPPROTO_UDP;
    SOCKET s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, &info, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_EQ(ws2test::socket_type(s), SOCK_STREAM);
    int type = SOCK_DGRAM;
    EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), sizeof type), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    closesocket(s);
}

TEST_F(ProtocolInfoTest, AProtocolFromTheStructureOfTheWrongTypeIsWsaeprototype) {
    WSAPROTOCOL_INFOA udp = first_tcp();
    udp.iAddressFamily = AF_INET;
    udp.iSocketType = SOCK_DGRAM;
    udp.iProtocol = IPPROTO_UDP;
    EXPECT_EQ(WSASocketA(0, SOCK_STREAM, 0, &udp, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEPROTOTYPE);
    EXPECT_EQ(WSASocketA(AF_INET, SOCK_STREAM, FROM_PROTOCOL_INFO, &udp, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEPROTOTYPE);
    // All three given explicitly: the combination itself is unsupported, as in the table.
    EXPECT_EQ(WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_UDP, &udp, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEPROTONOSUPPORT);
}

TEST_F(ProtocolInfoTest, UnknownCatalogIdIsInvalid) {
    WSAPROTOCOL_INFOA info = first_tcp();
    info.dwCatalogEntryId = 999;
    EXPECT_EQ(WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    WSAPROTOCOL_INFOW wide{};
    wide.dwCatalogEntryId = 0xffffffff;
    EXPECT_EQ(WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &wide, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

TEST_F(ProtocolInfoTest, HiddenEntriesAreSelectableById) {
    if (!ws2test::can_open_raw_socket()) GTEST_SKIP() << "needs CAP_NET_RAW";
    WSAPROTOCOL_INFOW raw{};
    for (auto &e : ws2test::wsc_enum_protocols())
        if (e.dwCatalogEntryId == 1006) raw = e;
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, IPPROTO_ICMP, &raw, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_EQ(ws2test::socket_type(s), SOCK_RAW);
    closesocket(s);
}

TEST_F(ProtocolInfoTest, InaccessibleProtocolInfoIsAFault) {
    void *bad = ws2test::inaccessible_page();
    arm_last_error();
    EXPECT_EQ(WSASocketA(0, 0, 0, static_cast<LPWSAPROTOCOL_INFOA>(bad), 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSASocketW(AF_INET, SOCK_STREAM, 0, static_cast<LPWSAPROTOCOL_INFOW>(bad), 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(WSASocketW(AF_INET, SOCK_STREAM, 0, reinterpret_cast<LPWSAPROTOCOL_INFOW>(16), 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(ProtocolInfoTest, AnUnconvertibleNarrowNameIsInvalid) {
    WSAPROTOCOL_INFOA info = first_tcp();
    std::strcpy(info.szProtocol, "bad \xff\xfe name");
    EXPECT_EQ(WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0), INVALID_SOCKET);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
}

// ---- g: an id that is no group is refused (groups themselves: socket_groups_test.cpp) -----

TEST_F(WinsockTest, AGroupThatIsNotValidIsRefused) {
    for (GROUP g : {GROUP{0xdead}, GROUP{0x7fffffff}}) {
        EXPECT_EQ(WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, g, 0), INVALID_SOCKET);
        EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    }
}

// ---- dwFlags ------------------------------------------------------------------------------

struct FlagsCase {
    int type, protocol;
    DWORD flags;
    int expected_error;
};

void PrintTo(const FlagsCase &c, std::ostream *os) {
    *os << "(type " << c.type << ", flags 0x" << std::hex << c.flags << ") -> " << std::dec
        << c.expected_error;
}

class MultipointFlags : public WinsockTest, public ::testing::WithParamInterface<FlagsCase> {};

TEST_P(MultipointFlags, AreAllowedOnlyWhereTheEntryOffersThem) {
    const FlagsCase &c = GetParam();
    arm_last_error();
    SOCKET s = WSASocketW(AF_INET, c.type, c.protocol, nullptr, 0, c.flags);
    EXPECT_EQ(WSAGetLastError(), c.expected_error) << "flags 0x" << std::hex << c.flags;
    EXPECT_EQ(s == INVALID_SOCKET, c.expected_error != 0);
    if (s != INVALID_SOCKET) closesocket(s);
}

// UDP's service flags (0x20609) offer multipoint with non-rooted control and data planes: the
// leaf flags are accepted, the root flags are not, and a plane takes one flag, not two. TCP
// (0x20066) offers no multipoint at all.
INSTANTIATE_TEST_SUITE_P(
    Table, MultipointFlags,
    ::testing::Values(
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_LEAF, 0},
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_D_LEAF, 0},
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF, 0},
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF | WSA_FLAG_OVERLAPPED, 0},
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_ROOT, WSAEINVAL},
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_D_ROOT, WSAEINVAL},
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_C_LEAF, WSAEINVAL},
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_D_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF, WSAEINVAL},
        FlagsCase{SOCK_DGRAM, IPPROTO_UDP, WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF, WSAEINVAL},
        FlagsCase{SOCK_STREAM, IPPROTO_TCP, WSA_FLAG_MULTIPOINT_C_LEAF, WSAEINVAL},
        FlagsCase{SOCK_STREAM, IPPROTO_TCP, WSA_FLAG_MULTIPOINT_D_LEAF, WSAEINVAL},
        FlagsCase{SOCK_STREAM, IPPROTO_TCP, WSA_FLAG_MULTIPOINT_C_ROOT, WSAEINVAL},
        FlagsCase{SOCK_STREAM, IPPROTO_TCP, WSA_FLAG_MULTIPOINT_D_ROOT, WSAEINVAL},
        FlagsCase{SOCK_STREAM, IPPROTO_TCP, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT, 0},
        FlagsCase{SOCK_STREAM, IPPROTO_TCP, 0, 0}));

TEST_F(WinsockTest, OverlappedAttributeFollowsTheFlagAndSoOpenType) {
    auto overlapped = [](SOCKET s) {
        ws2::spi::SocketRecord record{};
        EXPECT_TRUE(ws2::spi::find_socket(s, &record));
        return (record.flags & ws2::spi::SocketRecord::kOverlapped) != 0;
    };
    SOCKET plain = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, 0);
    SOCKET ov = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    SOCKET by_socket = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_FALSE(overlapped(plain)) << "WSASocket sockets are not overlapped by default";
    EXPECT_TRUE(overlapped(ov));
    EXPECT_TRUE(overlapped(by_socket)) << "socket() sockets are overlapped by default";

    DWORD sync = SO_SYNCHRONOUS_NONALERT;
    ASSERT_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, reinterpret_cast<char *>(&sync), sizeof sync), 0);
    SOCKET after = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_FALSE(overlapped(after)) << "a non-zero SO_OPENTYPE makes socket() synchronous";
    SOCKET wsa_after = WSASocketW(AF_INET, SOCK_DGRAM, 0, nullptr, 0, WSA_FLAG_OVERLAPPED);
    EXPECT_TRUE(overlapped(wsa_after)) << "WSASocket ignores SO_OPENTYPE";
    std::thread([&] {
        SOCKET other = socket(AF_INET, SOCK_DGRAM, 0);
        EXPECT_TRUE(overlapped(other)) << "SO_OPENTYPE is per thread";
        closesocket(other);
    }).join();
    DWORD zero = 0;
    setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, reinterpret_cast<char *>(&zero), sizeof zero);
    for (SOCKET s : {plain, ov, by_socket, after, wsa_after}) closesocket(s);
}

TEST_F(WinsockTest, HandlesAreInheritedUnlessNoHandleInherit) {
    SOCKET inherit = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, 0);
    SOCKET noinherit = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_NO_HANDLE_INHERIT);
    SOCKET by_socket = socket(AF_INET6, SOCK_DGRAM, 0);
    ASSERT_NE(inherit, INVALID_SOCKET);
    ASSERT_NE(noinherit, INVALID_SOCKET);
    EXPECT_TRUE(ws2test::fd_survives_exec(static_cast<int>(inherit)));
    EXPECT_FALSE(ws2test::fd_survives_exec(static_cast<int>(noinherit)));
    EXPECT_TRUE(ws2test::fd_survives_exec(static_cast<int>(by_socket)));
    EXPECT_FALSE(ws2test::fd_is_cloexec(static_cast<int>(inherit)));
    EXPECT_TRUE(ws2test::fd_is_cloexec(static_cast<int>(noinherit)));
    for (SOCKET s : {inherit, noinherit, by_socket}) closesocket(s);
}

TEST_F(WinsockTest, ASocketIsItsDescriptor) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_TRUE(ws2test::fd_is_open(static_cast<int>(s)));
    ASSERT_EQ(closesocket(s), 0);
    EXPECT_FALSE(ws2test::fd_is_open(static_cast<int>(s)));
}

TEST_F(WinsockTest, ClosesocketRefusesWhatIsNotASocket) {
    EXPECT_EQ(closesocket(INVALID_SOCKET), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    int file = ws2test::open_devnull();
    EXPECT_EQ(closesocket(static_cast<SOCKET>(file)), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_TRUE(ws2test::fd_is_open(file)) << "a file is left alone";
    ws2test::close_fd(file);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_EQ(closesocket(s), 0);
    EXPECT_EQ(closesocket(s), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
}

TEST_F(WinsockTest, AfUnixStreamReportsItsEntry) {
    SOCKET s = WSASocketW(AF_UNIX, SOCK_STREAM, 0, nullptr, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    WSAPROTOCOL_INFOW info = ws2test::protocol_info(s);
    EXPECT_EQ(ws2test::name_of(info), L"AF_UNIX");
    EXPECT_EQ(info.iAddressFamily, AF_UNIX);
    EXPECT_EQ(ws2test::socket_type(s), SOCK_STREAM);
    closesocket(s);
}

// ---- raw sockets --------------------------------------------------------------------------

TEST_F(WinsockTest, RawSocketsWorkWithPrivilege) {
    if (!ws2test::can_open_raw_socket()) GTEST_SKIP() << "needs CAP_NET_RAW";
    struct Case {
        int af, protocol;
        DWORD entry;
    } cases[] = {{AF_INET, IPPROTO_ICMP, 1006}, {AF_INET, 0, 1006}, {AF_INET, IPPROTO_TCP, 1006},
                 {AF_INET6, IPPROTO_ICMPV6, 1003}, {AF_INET6, 0, 1003}, {AF_INET, IPPROTO_RAW, 1006}};
    for (const Case &c : cases) {
        arm_last_error();
        SOCKET s = WSASocketA(c.af, SOCK_RAW, c.protocol, nullptr, 0, 0);
        ASSERT_NE(s, INVALID_SOCKET) << "af " << c.af << " protocol " << c.protocol << " error " << WSAGetLastError();
        EXPECT_EQ(WSAGetLastError(), 0);
        EXPECT_EQ(ws2test::socket_type(s), SOCK_RAW);
        // Windows reports the RAW catalog entry as it is: protocol 0, offset 255.
        WSAPROTOCOL_INFOW info = ws2test::protocol_info(s);
        EXPECT_EQ(info.dwCatalogEntryId, c.entry);
        EXPECT_EQ(info.iProtocol, 0);
        EXPECT_EQ(info.iProtocolMaxOffset, 255);
        EXPECT_EQ(info.dwProviderFlags, static_cast<DWORD>(PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN));
        EXPECT_EQ(info.dwServiceFlags1, 0x20609u);
        EXPECT_EQ(info.iMaxSockAddr, c.af == AF_INET ? 16 : 28);
        closesocket(s);
    }
    // (0, 0, IPPROTO_RAW): only the RAW entries serve protocol 255.
    SOCKET s = WSASocketA(0, 0, IPPROTO_RAW, nullptr, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_EQ(ws2test::socket_type(s), SOCK_RAW);
    closesocket(s);
}

TEST(RawSockets, WithoutPrivilegeCreationIsDenied) {
    int code = ws2test::run_in_child([] {
        if (ws2test::can_open_raw_socket() && !ws2test::drop_root_privileges()) return 77;
        if (ws2test::can_open_raw_socket()) return 78;  // still privileged somehow
        WSADATA data;
        if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return 2;
        int failures = 0;
        for (int af : {AF_INET, AF_INET6}) {
            for (int protocol : {0, int{IPPROTO_ICMP}, int{IPPROTO_RAW}}) {
                SOCKET s = WSASocketW(af, SOCK_RAW, protocol, nullptr, 0, 0);
                if (s != INVALID_SOCKET || WSAGetLastError() != WSAEACCES) ++failures;
            }
        }
        // Ordinary sockets still work for the unprivileged user.
        SOCKET tcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (tcp == INVALID_SOCKET) ++failures;
        WSACleanup();
        return failures == 0 ? 0 : 1;
    });
    if (code == 77 || code == 78) GTEST_SKIP() << "cannot drop raw-socket privilege here";
    EXPECT_EQ(code, 0);
}

// ---- resource exhaustion --------------------------------------------------------------------

TEST(Exhaustion, OutOfDescriptorsIsWsaemfileAndRecovers) {
    EXPECT_EQ(ws2test::run_in_child([] {
        WSADATA data;
        if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return 2;
        if (!ws2test::set_fd_soft_limit(ws2test::count_open_fds() + 16)) return 3;
        std::vector<SOCKET> made;
        for (int i = 0; i < 64; ++i) {
            SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            if (s == INVALID_SOCKET) break;
            made.push_back(s);
        }
        if (made.empty() || made.size() >= 64) return 4;
        if (WSAGetLastError() != WSAEMFILE) return 5;
        SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, 0, nullptr, 0, 0);
        if (s != INVALID_SOCKET || WSAGetLastError() != WSAEMFILE) return 6;
        closesocket(made.back());
        made.pop_back();
        s = WSASocketW(AF_INET6, SOCK_DGRAM, 0, nullptr, 0, 0);
        if (s == INVALID_SOCKET || WSAGetLastError() != 0) return 7;
        return WSACleanup() == 0 ? 0 : 8;
    }), 0);
}

TEST(Exhaustion, NoMemoryForTheSocketTableIsWsaenobufsAndRecovers) {
    if (ws2test::kUnderSanitizer) GTEST_SKIP() << "address-space limits break sanitizer runtimes";
    EXPECT_EQ(ws2test::run_in_child([] {
        WSADATA data;
        if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return 2;
        if (!ws2test::set_fd_soft_limit(ws2test::fd_hard_limit())) return 3;
        if (ws2test::fd_hard_limit() < 4200) return 77;
        // Fill descriptors up to 4095 so the next socket needs a new chunk of the handle table.
        std::vector<int> filler;
        for (;;) {
            int fd = ws2test::open_devnull();
            if (fd < 0) return 4;
            if (fd == 4095) {
                filler.push_back(fd);
                break;
            }
            if (fd > 4095) {
                ws2test::close_fd(fd);
                break;
            }
            filler.push_back(fd);
        }
        int before = ws2test::count_open_fds();
        if (!ws2test::limit_address_space(64 * 1024)) return 5;
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        int err = WSAGetLastError();
        ws2test::unlimit_address_space();
        if (s != INVALID_SOCKET) return 6;
        if (err != WSAENOBUFS) return 7;
        if (ws2test::count_open_fds() != before) return 8;  // the descriptor was not leaked
        s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (s == INVALID_SOCKET || s < 4096) return 9;
        return WSACleanup() == 0 ? 0 : 10;
    }), 0);
}

TEST(Exhaustion, ThousandsOfSocketsSpanSeveralTableChunks) {
    EXPECT_EQ(ws2test::run_in_child([] {
        if (ws2test::fd_hard_limit() < 9000) return 77;
        ws2test::set_fd_soft_limit(9000);
        WSADATA data;
        if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return 2;
        std::vector<SOCKET> made;
        for (int i = 0; i < 8500; ++i) {
            SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, 0, nullptr, 0, 0);
            if (s == INVALID_SOCKET) return 3;
            made.push_back(s);
        }
        for (SOCKET s : made)
            if (ws2test::socket_type(s) != SOCK_DGRAM) return 4;
        for (std::size_t i = 0; i < made.size(); i += 2)
            if (closesocket(made[i]) != 0) return 5;
        if (WSACleanup() != 0) return 6;  // closes the other half
        for (SOCKET s : made)
            if (ws2test::fd_is_open(static_cast<int>(s))) return 7;
        return 0;
    }), 0);
}

}  // namespace
