// getsockopt / setsockopt for SO_TYPE, SO_PROTOCOL_INFOA/W and the per-thread SO_OPENTYPE,
// with Windows' length, level and handle rules (windows-behaviour.md §2.3, §3.3, §3.5, §3.13).
#include <cstring>
#include <thread>

#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using ws2test::arm_last_error;
using ws2test::WinsockTest;

char *as_chars(void *p) { return static_cast<char *>(p); }

TEST_F(WinsockTest, SoTypeReportsTheSocketType) {
    struct {
        int af, type, protocol;
    } cases[] = {{AF_INET, SOCK_STREAM, 0}, {AF_INET, SOCK_DGRAM, 0}, {AF_INET6, SOCK_STREAM, 0},
                 {AF_INET6, SOCK_DGRAM, IPPROTO_UDP}, {AF_UNIX, SOCK_STREAM, 0}};
    for (auto &c : cases) {
        SOCKET s = socket(c.af, c.type, c.protocol);
        ASSERT_NE(s, INVALID_SOCKET);
        int value = -1, len = 8;  // a longer buffer learns the natural size
        arm_last_error();
        EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, as_chars(&value), &len), 0);
        EXPECT_EQ(WSAGetLastError(), 0);
        EXPECT_EQ(value, c.type);
        EXPECT_EQ(len, 4);
        closesocket(s);
    }
}

TEST_F(WinsockTest, SoTypeLengthRules) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int value = 0;
    for (int len : {0, 1, 2, 3, -1}) {
        int l = len;
        EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, as_chars(&value), &l), SOCKET_ERROR) << len;
        EXPECT_EQ(WSAGetLastError(), WSAEFAULT) << len;
    }
    int len = 4;
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, nullptr, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, as_chars(&value), nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, as_chars(ws2test::inaccessible_page()), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, as_chars(&value),
                         static_cast<int *>(ws2test::inaccessible_page())), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

TEST_F(WinsockTest, SoTypeIsReadOnly) {
    SOCKET tcp = socket(AF_INET, SOCK_STREAM, 0), udp = socket(AF_INET, SOCK_DGRAM, 0);
    int value = SOCK_DGRAM;
    EXPECT_EQ(setsockopt(tcp, SOL_SOCKET, SO_TYPE, as_chars(&value), sizeof value), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    EXPECT_EQ(setsockopt(udp, SOL_SOCKET, SO_TYPE, as_chars(&value), sizeof value), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEINVAL);
    closesocket(tcp);
    closesocket(udp);
}

TEST_F(WinsockTest, ProtocolInfoOnAnInvalidHandleIsNotASocket) {
    for (int opt : {SO_PROTOCOL_INFOA, SO_PROTOCOL_INFOW}) {
        EXPECT_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, opt, nullptr, nullptr), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
        WSAPROTOCOL_INFOW info;
        int size = sizeof(WSAPROTOCOL_INFOA);
        EXPECT_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, opt, as_chars(&info), &size), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
        EXPECT_EQ(size, static_cast<int>(sizeof(WSAPROTOCOL_INFOA))) << "size untouched";
    }
}

template <class Info>
void check_protocol_info_lengths(SOCKET s, int opt) {
    Info info[2];
    int size = sizeof(Info);
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, opt, nullptr, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, opt, as_chars(info), nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, opt, nullptr, &size), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    size = sizeof(Info) / 2;
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, opt, as_chars(info), &size), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(size, static_cast<int>(sizeof(Info))) << "a short buffer learns the size it needs";
    size = 2 * sizeof(Info);
    arm_last_error();
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, opt, as_chars(info), &size), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    EXPECT_EQ(size, static_cast<int>(2 * sizeof(Info))) << "a longer buffer keeps its length";
}

TEST_F(WinsockTest, ProtocolInfoLengthRules) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check_protocol_info_lengths<WSAPROTOCOL_INFOA>(s, SO_PROTOCOL_INFOA);
    check_protocol_info_lengths<WSAPROTOCOL_INFOW>(s, SO_PROTOCOL_INFOW);
    closesocket(s);
}

TEST_F(WinsockTest, ProtocolInfoAAndWAgree) {
    struct {
        int af, type, protocol;
    } cases[] = {{AF_INET, SOCK_STREAM, IPPROTO_TCP}, {AF_INET, SOCK_DGRAM, IPPROTO_UDP},
                 {AF_INET6, SOCK_STREAM, IPPROTO_TCP}, {AF_INET6, SOCK_DGRAM, IPPROTO_UDP}};
    for (auto &c : cases) {
        SOCKET s = socket(c.af, c.type, c.protocol);
        ASSERT_NE(s, INVALID_SOCKET);
        WSAPROTOCOL_INFOA a{};
        WSAPROTOCOL_INFOW w{};
        int alen = sizeof a, wlen = sizeof w;
        ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, as_chars(&a), &alen), 0);
        ASSERT_EQ(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, as_chars(&w), &wlen), 0);
        EXPECT_EQ(alen, static_cast<int>(sizeof a));
        EXPECT_EQ(wlen, static_cast<int>(sizeof w));
        EXPECT_EQ(std::memcmp(&a, &w, offsetof(WSAPROTOCOL_INFOW, szProtocol)), 0);
        std::wstring wname = ws2test::name_of(w);
        EXPECT_FALSE(wname.empty());
        EXPECT_EQ(std::string(a.szProtocol), std::string(wname.begin(), wname.end()));
        EXPECT_EQ(w.iAddressFamily, c.af);
        EXPECT_EQ(w.iSocketType, c.type);
        EXPECT_EQ(w.iProtocol, c.protocol);
        closesocket(s);
    }
}

TEST_F(WinsockTest, UnknownLevelsAreInvalidAndUnknownOptionsAreNotProtocolOptions) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int value = 1, len = sizeof value;
    for (unsigned level : {0xffffffffu, 0x1234ffffu, 0x8000ffffu, 0x8000u, 0x800u}) {
        EXPECT_EQ(getsockopt(s, static_cast<int>(level), SO_TYPE, as_chars(&value), &len), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAEINVAL) << std::hex << level;
        EXPECT_EQ(setsockopt(s, static_cast<int>(level), SO_RCVTIMEO, as_chars(&value), sizeof value), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAEINVAL) << std::hex << level;
    }
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, 0x7777, as_chars(&value), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, -1, as_chars(&value), &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOPROTOOPT);
    closesocket(s);
}

TEST_F(WinsockTest, OptionsOnWhatIsNotASocket) {
    int value = 0, len = sizeof value;
    int file = ws2test::open_devnull();
    for (SOCKET s : {INVALID_SOCKET, SOCKET{0xdeadbeef}, static_cast<SOCKET>(file)}) {
        EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, as_chars(&value), &len), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
        EXPECT_EQ(getsockopt(s, SOL_SOCKET, -1, as_chars(&value), &len), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
        EXPECT_EQ(setsockopt(s, SOL_SOCKET, SO_TYPE, as_chars(&value), len), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    }
    ws2test::close_fd(file);
}

// ---- SO_OPENTYPE: the calling thread's setting; the socket argument is ignored -----------

TEST_F(WinsockTest, SoOpenTypeIsPerThreadAndIgnoresTheSocket) {
    DWORD value = 0xffff;
    int len = sizeof value;
    ASSERT_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, as_chars(&value), &len), 0);
    EXPECT_EQ(value, 0u);
    DWORD alert = SO_SYNCHRONOUS_ALERT;
    arm_last_error();
    ASSERT_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, as_chars(&alert), sizeof alert), 0);
    EXPECT_EQ(WSAGetLastError(), 0);
    int file = ws2test::open_devnull();
    ASSERT_EQ(getsockopt(static_cast<SOCKET>(file), SOL_SOCKET, SO_OPENTYPE, as_chars(&value), &len), 0);
    EXPECT_EQ(value, static_cast<DWORD>(SO_SYNCHRONOUS_ALERT));
    ws2test::close_fd(file);
    std::thread([] {
        DWORD v = 0xffff;
        int l = sizeof v;
        EXPECT_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, as_chars(&v), &l), 0);
        EXPECT_EQ(v, 0u) << "a new thread starts at 0";
    }).join();
    DWORD zero = 0;
    ASSERT_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, as_chars(&zero), sizeof zero), 0);
}

TEST_F(WinsockTest, SoOpenTypeLengthRules) {
    DWORD value = 0;
    for (int len : {0, 1, 2, 3}) {
        int l = len;
        EXPECT_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, as_chars(&value), &l), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
        EXPECT_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, as_chars(&value), len), SOCKET_ERROR);
        EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    }
    int minus_one = -1;  // unique to SO_OPENTYPE: accepted, and the size comes back
    EXPECT_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, as_chars(&value), &minus_one), 0);
    EXPECT_EQ(minus_one, 4);
    int len = 4;
    EXPECT_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, nullptr, &len), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, as_chars(&value), nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, nullptr, 4), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE,
                         as_chars(ws2test::inaccessible_page()), 4), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
}

TEST_F(WinsockTest, ByteOrderHelpers) {
    EXPECT_EQ(htons(0x1234), 0x3412);
    EXPECT_EQ(ntohs(0x3412), 0x1234);
    EXPECT_EQ(htonl(0x12345678u), 0x78563412u);
    EXPECT_EQ(ntohl(0x78563412u), 0x12345678u);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    u_short net16 = 0;
    u_long net32 = 0;
    EXPECT_EQ(WSAHtons(s, 0x1234, &net16), 0);
    EXPECT_EQ(net16, 0x3412);
    EXPECT_EQ(WSAHtonl(s, 0x12345678u, &net32), 0);
    EXPECT_EQ(net32, 0x78563412u);
    EXPECT_EQ(WSANtohs(s, 0x3412, &net16), 0);
    EXPECT_EQ(net16, 0x1234);
    EXPECT_EQ(WSANtohl(s, 0x78563412u, &net32), 0);
    EXPECT_EQ(net32, 0x12345678u);
    EXPECT_EQ(WSAHtons(INVALID_SOCKET, 1, &net16), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAENOTSOCK);
    EXPECT_EQ(WSAHtonl(s, 1, nullptr), SOCKET_ERROR);
    EXPECT_EQ(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
}

}  // namespace
