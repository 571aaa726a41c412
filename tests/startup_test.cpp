// WSAStartup / WSACleanup: version negotiation, WSADATA, reference counting, and what the last
// WSACleanup does (shared/reference/windows-behaviour.md §3.8, §1.3).
#include <cstring>
#include <ostream>
#include <functional>
#include <thread>

#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using ws2test::arm_last_error;
using ws2test::kSentinel;

struct VersionCase {
    BYTE major, minor;
    WORD expected_version;
    int expected_result;
};

void PrintTo(const VersionCase &c, std::ostream *os) {
    *os << "requested " << int{c.major} << "." << int{c.minor};
}

class WSAStartupVersion : public ::testing::TestWithParam<VersionCase> {};

TEST_P(WSAStartupVersion, NegotiatesAsWindows) {
    const VersionCase &c = GetParam();
    WSADATA data;
    std::memset(&data, 0xcc, sizeof data);
    char *vendor_sentinel = reinterpret_cast<char *>(0x1234);
    data.lpVendorInfo = vendor_sentinel;
    arm_last_error();
    int rc = WSAStartup(MAKEWORD(c.major, c.minor), &data);
    EXPECT_EQ(rc, c.expected_result);
    EXPECT_EQ(WSAGetLastError(), static_cast<int>(kSentinel)) << "WSAStartup leaves the last error alone";
    EXPECT_EQ(data.wVersion, c.expected_version);
    EXPECT_EQ(data.wHighVersion, MAKEWORD(2, 2));
    EXPECT_STREQ(data.szDescription, "WinSock 2.0");
    EXPECT_STREQ(data.szSystemStatus, "Running");
    EXPECT_EQ(data.lpVendorInfo, vendor_sentinel) << "lpVendorInfo is not written";
    if (LOBYTE(c.expected_version) == 1) {
        EXPECT_EQ(data.iMaxSockets, 32767);
        EXPECT_EQ(data.iMaxUdpDg, 65467);
    } else {
        EXPECT_EQ(data.iMaxSockets, 0);
        EXPECT_EQ(data.iMaxUdpDg, 0);
    }
    if (rc == 0) {
        EXPECT_EQ(WSACleanup(), 0);
    } else {
        // A refused start-up is not counted.
        EXPECT_EQ(WSACleanup(), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, WSAStartupVersion,
    ::testing::Values(VersionCase{0, 0, MAKEWORD(2, 2), WSAVERNOTSUPPORTED},
                      VersionCase{0, 1, MAKEWORD(2, 2), WSAVERNOTSUPPORTED},
                      VersionCase{1, 0, MAKEWORD(1, 0), 0}, VersionCase{1, 1, MAKEWORD(1, 1), 0},
                      VersionCase{1, 2, MAKEWORD(1, 1), 0}, VersionCase{1, 255, MAKEWORD(1, 1), 0},
                      VersionCase{2, 0, MAKEWORD(2, 0), 0}, VersionCase{2, 1, MAKEWORD(2, 1), 0},
                      VersionCase{2, 2, MAKEWORD(2, 2), 0}, VersionCase{2, 3, MAKEWORD(2, 2), 0},
                      VersionCase{2, 255, MAKEWORD(2, 2), 0}, VersionCase{3, 0, MAKEWORD(2, 2), 0},
                      VersionCase{255, 0, MAKEWORD(2, 2), 0}));

TEST(WSAStartup, NullDataIsAFaultUnlessTheVersionIsRefusedFirst) {
    EXPECT_EQ(WSAStartup(MAKEWORD(2, 2), nullptr), WSAEFAULT);
    EXPECT_EQ(WSAStartup(MAKEWORD(1, 1), nullptr), WSAEFAULT);
    EXPECT_EQ(WSAStartup(MAKEWORD(0, 0), nullptr), WSAVERNOTSUPPORTED);
    EXPECT_EQ(WSACleanup(), SOCKET_ERROR) << "nothing was counted";
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
}

TEST(WSAStartup, InaccessibleDataIsAFaultNotACrash) {
    auto *bad = static_cast<LPWSADATA>(ws2test::inaccessible_page());
    EXPECT_EQ(WSAStartup(MAKEWORD(2, 2), bad), WSAEFAULT);
    EXPECT_EQ(WSAStartup(MAKEWORD(2, 2), reinterpret_cast<LPWSADATA>(8)), WSAEFAULT);
    EXPECT_EQ(WSACleanup(), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
}

TEST(WSACleanup, WithoutStartupFails) {
    arm_last_error();
    EXPECT_EQ(WSACleanup(), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
}

TEST(WSACleanup, SuccessClearsTheLastError) {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    arm_last_error();
    EXPECT_EQ(WSACleanup(), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
}

TEST(WSACleanup, IsReferenceCounted) {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 0), &data), 0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_EQ(WSACleanup(), 0);  // the nested session ends; sockets stay
    EXPECT_EQ(ws2test::socket_type(s), SOCK_STREAM);
    EXPECT_EQ(closesocket(s), 0);
    EXPECT_EQ(WSACleanup(), 0);
    EXPECT_EQ(WSACleanup(), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED);
}

TEST(WSACleanup, TheLastOneClosesEverySocketOfTheProcess) {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    std::vector<SOCKET> sockets = {
        socket(AF_INET, SOCK_STREAM, 0), socket(AF_INET6, SOCK_DGRAM, 0),
        WSASocketW(AF_UNIX, SOCK_STREAM, 0, nullptr, 0, 0),
        WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED)};
    for (SOCKET s : sockets) ASSERT_NE(s, INVALID_SOCKET);
    ASSERT_EQ(WSACleanup(), 0);
    for (SOCKET s : sockets)
        EXPECT_FALSE(ws2test::fd_is_open(static_cast<int>(s))) << "descriptor " << s << " still open";

    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    for (SOCKET s : sockets) {
        int type = 0, len = sizeof type;
        EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), &len),
                  SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
        EXPECT_EQ(closesocket(s), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    }
    // A new session works as the first did (its providers start again).
    SOCKET again = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_NE(again, INVALID_SOCKET);
    EXPECT_EQ(WSACleanup(), 0);
}

TEST(WSAStartup, EveryCallFailsBeforeStartup) {
    struct Call {
        const char *name;
        std::function<bool()> fails;
    };
    auto invalid_socket = [](SOCKET s) { return s == INVALID_SOCKET; };
    int len = 4, value = 0;
    DWORD dlen = 0;
    u_short net = 0;
    WSAPROTOCOL_INFOW info{};
    std::vector<Call> calls = {
        {"socket(0,0,0)", [&] { return invalid_socket(socket(0, 0, 0)); }},
        {"socket", [&] { return invalid_socket(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)); }},
        {"WSASocketW", [&] { return invalid_socket(WSASocketW(AF_INET, SOCK_STREAM, 0, nullptr, 0, 0)); }},
        {"WSASocketW(info)", [&] { return invalid_socket(WSASocketW(0, 0, 0, &info, 0, 0)); }},
        {"WSASocketA", [&] { return invalid_socket(WSASocketA(AF_INET, SOCK_DGRAM, 0, nullptr, 0, 0)); }},
        {"closesocket", [&] { return closesocket(3) == SOCKET_ERROR; }},
        {"getsockopt", [&] { return getsockopt(3, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&value), &len) == SOCKET_ERROR; }},
        {"getsockopt(SO_OPENTYPE)", [&] { return getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, reinterpret_cast<char *>(&value), &len) == SOCKET_ERROR; }},
        {"setsockopt", [&] { return setsockopt(3, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&value), 4) == SOCKET_ERROR; }},
        {"WSAEnumProtocolsW", [&] { return WSAEnumProtocolsW(nullptr, nullptr, &dlen) == SOCKET_ERROR; }},
        {"WSAEnumProtocolsA", [&] { return WSAEnumProtocolsA(nullptr, nullptr, &dlen) == SOCKET_ERROR; }},
        {"WSAHtons", [&] { return WSAHtons(3, 1, &net) == SOCKET_ERROR; }},
    };
    for (const Call &c : calls) {
        arm_last_error();
        EXPECT_TRUE(c.fails()) << c.name;
        EXPECT_EQ(WSAGetLastError(), WSANOTINITIALISED) << c.name;
    }
}

TEST(LastError, IsOneValuePerThreadBehindBothApis) {
    WSASetLastError(WSAEINVAL);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(WSAEINVAL));
    SetLastError(ERROR_IO_PENDING);
    EXPECT_EQ(WSAGetLastError(), WSA_IO_PENDING);
    std::thread([] {
        EXPECT_EQ(WSAGetLastError(), 0) << "a new thread starts with no error";
        WSASetLastError(WSAEMFILE);
        EXPECT_EQ(GetLastError(), static_cast<DWORD>(WSAEMFILE));
    }).join();
    EXPECT_EQ(WSAGetLastError(), WSA_IO_PENDING);
}

}  // namespace
