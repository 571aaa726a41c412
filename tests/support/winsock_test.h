// Fixtures and helpers shared by the Winsock suites.
#pragma once
#include <gtest/gtest.h>
#include <mstcpip.h>
#include <mswsock.h>
#include <winsock2.h>
#include <ws2spi.h>

#include <string>
#include <vector>

namespace ws2test {

// A test that runs inside one WSAStartup(2.2) / WSACleanup session.
class WinsockTest : public ::testing::Test {
protected:
    void SetUp() override {
        WSADATA data;
        ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    }
    void TearDown() override { EXPECT_EQ(WSACleanup(), 0); }
};

// Records the last error a call left: sets it to a sentinel first, as Wine's tests do.
constexpr DWORD kSentinel = 0xdeadbeef;
inline void arm_last_error() { WSASetLastError(static_cast<int>(kSentinel)); }

inline WSAPROTOCOL_INFOW protocol_info(SOCKET s) {
    WSAPROTOCOL_INFOW info{};
    int len = sizeof info;
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, reinterpret_cast<char *>(&info), &len), 0);
    return info;
}

inline int socket_type(SOCKET s) {
    int type = -1, len = sizeof type;
    EXPECT_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), &len), 0);
    return type;
}

inline std::vector<WSAPROTOCOL_INFOW> enum_protocols_w(int *filter = nullptr) {
    DWORD len = 0;
    WSAEnumProtocolsW(filter, nullptr, &len);
    std::vector<WSAPROTOCOL_INFOW> out(len / sizeof(WSAPROTOCOL_INFOW));
    int n = WSAEnumProtocolsW(filter, out.data(), &len);
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

inline std::vector<WSAPROTOCOL_INFOW> wsc_enum_protocols() {
    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(nullptr, nullptr, &len, &err);
    std::vector<WSAPROTOCOL_INFOW> out(len / sizeof(WSAPROTOCOL_INFOW));
    int n = WSCEnumProtocols(nullptr, out.data(), &len, &err);
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

inline std::wstring name_of(const WSAPROTOCOL_INFOW &info) { return info.szProtocol; }

}  // namespace ws2test
