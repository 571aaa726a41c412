// The service provider interface as the built-in base provider and ws2_32's upcalls implement
// it (seed 003 WSPSocket; spi-rules.md §2.5, §5): reached directly, not through the API.
#include <cstring>
#include <vector>

#include "providers/base/base_provider.h"
#include "spi/provider.h"
#include "spi/socket_registry.h"
#include "support/posix.h"
#include "support/winsock_test.h"

namespace {

using ws2test::WinsockTest;

WSAPROTOCOL_INFOW entry_with_id(DWORD id) {
    for (auto &e : ws2test::wsc_enum_protocols())
        if (e.dwCatalogEntryId == id) return e;
    return {};
}

TEST(BaseProvider, NegotiatesVersion22Only) {
    WSPDATA data{};
    WSPPROC_TABLE table{};
    WSAPROTOCOL_INFOW info = entry_with_id(1004);
    EXPECT_EQ(ws2::base::WSPStartup(MAKEWORD(2, 1), &data, &info, ws2::spi::upcall_table(), &table),
              WSAVERNOTSUPPORTED);
    EXPECT_EQ(ws2::base::WSPStartup(MAKEWORD(1, 1), &data, &info, ws2::spi::upcall_table(), &table),
              WSAVERNOTSUPPORTED);
    EXPECT_EQ(ws2::base::WSPStartup(MAKEWORD(2, 2), nullptr, &info, ws2::spi::upcall_table(), &table),
              WSAEFAULT);
    ASSERT_EQ(ws2::base::WSPStartup(MAKEWORD(2, 2), &data, &info, ws2::spi::upcall_table(), &table), 0);
    EXPECT_EQ(data.wVersion, MAKEWORD(2, 2));
    EXPECT_EQ(data.wHighVersion, MAKEWORD(2, 2));
    void *slots[30];
    std::memcpy(slots, &table, sizeof table);
    for (void *p : slots) EXPECT_NE(p, nullptr) << "the procedure table has no holes";
    int err = 0;
    EXPECT_EQ(table.lpWSPCleanup(&err), 0);
    EXPECT_EQ(table.lpWSPCleanup(&err), SOCKET_ERROR) << "one cleanup per startup";
    EXPECT_EQ(err, WSANOTINITIALISED);
}

TEST_F(WinsockTest, BaseProviderAcceptsZeroAndFromProtocolInfo) {
    WSPDATA data{};
    WSPPROC_TABLE table{};
    WSAPROTOCOL_INFOW info = entry_with_id(1005);  // UDP/IP
    ASSERT_EQ(ws2::base::WSPStartup(MAKEWORD(2, 2), &data, &info, ws2::spi::upcall_table(), &table), 0);
    for (int wildcard : {0, FROM_PROTOCOL_INFO}) {
        int err = 0;
        SOCKET s = table.lpWSPSocket(wildcard, wildcard, wildcard, &info, 0, 0, &err);
        ASSERT_NE(s, INVALID_SOCKET) << err;
        // The provider registered it with ws2 under the entry that describes it.
        ws2::spi::SocketRecord record{};
        ASSERT_TRUE(ws2::spi::find_socket(s, &record));
        EXPECT_EQ(record.entry->id(), 1005u);
        EXPECT_EQ(ws2test::socket_type(s), SOCK_DGRAM);
        EXPECT_EQ(closesocket(s), 0);
    }
    int err = 0;
    EXPECT_EQ(table.lpWSPCloseSocket(INVALID_SOCKET, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAENOTSOCK);
    EXPECT_EQ(table.lpWSPSocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, &info, 3, 0, &err), INVALID_SOCKET);
    EXPECT_EQ(err, WSAEINVAL) << "g is not a valid group";
    table.lpWSPCleanup(&err);
}

TEST_F(WinsockTest, ModifyIfsHandleRefusesAnInvalidProposedHandle) {
    const WSPUPCALLTABLE &up = ws2::spi::upcall_table();
    int err = 0;
    EXPECT_EQ(up.lpWPUModifyIFSHandle(1004, INVALID_SOCKET, &err), INVALID_SOCKET);
    EXPECT_EQ(err, WSAEINVAL);
    EXPECT_EQ(up.lpWPUModifyIFSHandle(1004, 1 << 30, &err), INVALID_SOCKET);
    EXPECT_EQ(err, WSAEINVAL);
    int fd = ws2test::open_devnull();
    EXPECT_EQ(up.lpWPUModifyIFSHandle(4242, static_cast<SOCKET>(fd), &err), INVALID_SOCKET);
    EXPECT_EQ(err, WSAEINVAL) << "unknown catalog id";
    ws2test::close_fd(fd);
}

TEST_F(WinsockTest, NonIfsHandlesCarryAContextAndShareTheDescriptorSpace) {
    const WSPUPCALLTABLE &up = ws2::spi::upcall_table();
    int err = 0;
    SOCKET a = up.lpWPUCreateSocketHandle(1005, 0xC0FFEE, &err);
    ASSERT_NE(a, INVALID_SOCKET) << err;
    EXPECT_TRUE(ws2test::fd_is_open(static_cast<int>(a))) << "a real descriptor number is reserved";
    SOCKET kernel = socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_NE(kernel, a);
    DWORD_PTR context = 0;
    ASSERT_EQ(up.lpWPUQuerySocketHandleContext(a, &context, &err), 0);
    EXPECT_EQ(context, DWORD_PTR{0xC0FFEE});
    EXPECT_EQ(up.lpWPUQuerySocketHandleContext(kernel, &context, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAENOTSOCK) << "an IFS handle has no context";
    EXPECT_EQ(up.lpWPUQuerySocketHandleContext(a, nullptr, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT);
    EXPECT_EQ(up.lpWPUCloseSocketHandle(kernel, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAENOTSOCK);
    ASSERT_EQ(up.lpWPUCloseSocketHandle(a, &err), 0);
    EXPECT_FALSE(ws2::spi::sockets().contains(a));
    EXPECT_EQ(up.lpWPUCloseSocketHandle(a, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAENOTSOCK);
    EXPECT_EQ(up.lpWPUCreateSocketHandle(4242, 0, &err), INVALID_SOCKET);
    EXPECT_EQ(err, WSAEINVAL);
    closesocket(kernel);
}

TEST_F(WinsockTest, FdIsSetAndBlockingCallbackUpcalls) {
    const WSPUPCALLTABLE &up = ws2::spi::upcall_table();
    fd_set set;
    FD_ZERO(&set);
    FD_SET(SOCKET{7}, &set);
    EXPECT_EQ(up.lpWPUFDIsSet(7, &set), 1);
    EXPECT_EQ(up.lpWPUFDIsSet(8, &set), 0);
    LPBLOCKINGCALLBACK callback = reinterpret_cast<LPBLOCKINGCALLBACK>(1);
    DWORD_PTR context = 1;
    int err = 0;
    EXPECT_EQ(up.lpWPUQueryBlockingCallback(1004, &callback, &context, &err), 0);
    EXPECT_EQ(callback, nullptr) << "Winsock 2 has no blocking hooks";
    WCHAR path[MAX_PATH];
    int len = MAX_PATH;
    GUID v6 = entry_with_id(1001).ProviderId;
    EXPECT_EQ(up.lpWPUGetProviderPath(&v6, path, &len, &err), 0);
    EXPECT_STREQ(path, L"%SystemRoot%\\system32\\mswsock.dll");
}

std::vector<DWORD_PTR> g_upcall_apcs;
void CALLBACK upcall_apc(DWORD_PTR context) { g_upcall_apcs.push_back(context); }

TEST_F(WinsockTest, EventUpcallsMakeWaitableEvents) {
    const WSPUPCALLTABLE &up = ws2::spi::upcall_table();
    int err = 0;
    WSAEVENT e = up.lpWPUCreateEvent(&err);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), static_cast<DWORD>(WSA_WAIT_TIMEOUT));
    EXPECT_TRUE(up.lpWPUSetEvent(e, &err));
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), static_cast<DWORD>(WSA_WAIT_EVENT_0));
    EXPECT_TRUE(up.lpWPUResetEvent(e, &err));
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), static_cast<DWORD>(WSA_WAIT_TIMEOUT));
    EXPECT_TRUE(up.lpWPUCloseEvent(e, &err));
    err = 0;
    EXPECT_FALSE(up.lpWPUCloseEvent(e, &err));
    EXPECT_EQ(err, WSA_INVALID_HANDLE);
    err = 0;
    EXPECT_FALSE(up.lpWPUSetEvent(e, &err));
    EXPECT_EQ(err, WSA_INVALID_HANDLE);
    err = 0;
    EXPECT_FALSE(up.lpWPUResetEvent(nullptr, &err));
    EXPECT_EQ(err, WSA_INVALID_HANDLE);
}

TEST_F(WinsockTest, ThreadUpcallsQueueApcsToTheOpenedThread) {
    const WSPUPCALLTABLE &up = ws2::spi::upcall_table();
    int err = 0;
    WSATHREADID id{};
    ASSERT_EQ(up.lpWPUOpenCurrentThread(&id, &err), 0);
    EXPECT_NE(id.ThreadHandle, nullptr);
    g_upcall_apcs.clear();
    ASSERT_EQ(up.lpWPUQueueApc(&id, upcall_apc, 77, &err), 0);
    EXPECT_TRUE(g_upcall_apcs.empty()) << "an APC waits for an alertable wait";
    EXPECT_EQ(SleepEx(INFINITE, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
    EXPECT_EQ(g_upcall_apcs, (std::vector<DWORD_PTR>{77}));
    err = 0;
    EXPECT_EQ(up.lpWPUQueueApc(&id, nullptr, 0, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT);
    err = 0;
    EXPECT_EQ(up.lpWPUQueueApc(nullptr, upcall_apc, 0, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT);
    err = 0;
    EXPECT_EQ(up.lpWPUOpenCurrentThread(nullptr, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSAEFAULT);
    ASSERT_EQ(up.lpWPUCloseThread(&id, &err), 0);
    err = 0;
    EXPECT_EQ(up.lpWPUCloseThread(&id, &err), SOCKET_ERROR) << "closed once";
    EXPECT_EQ(err, WSA_INVALID_HANDLE);
    err = 0;
    EXPECT_EQ(up.lpWPUQueueApc(&id, upcall_apc, 0, &err), SOCKET_ERROR);
    EXPECT_EQ(err, WSA_INVALID_HANDLE);
}

}  // namespace
