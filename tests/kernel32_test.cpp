// The kernel32 subset: events, waits (alertable ones run APCs), threads and QueueUserAPC.
#include <windows.h>
#include <winsock2.h>

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace {

constexpr DWORD kSentinel = 0xdeadbeef;

TEST(Kernel32Events, ManualResetStaysSignalledUntilReset) {
    HANDLE e = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(WaitForSingleObject(e, 0), static_cast<DWORD>(WAIT_TIMEOUT));
    ASSERT_TRUE(SetEvent(e));
    EXPECT_EQ(WaitForSingleObject(e, 0), static_cast<DWORD>(WAIT_OBJECT_0));
    EXPECT_EQ(WaitForSingleObject(e, INFINITE), static_cast<DWORD>(WAIT_OBJECT_0)) << "still signalled";
    ASSERT_TRUE(ResetEvent(e));
    EXPECT_EQ(WaitForSingleObject(e, 10), static_cast<DWORD>(WAIT_TIMEOUT));
    EXPECT_TRUE(CloseHandle(e));
}

TEST(Kernel32Events, AutoResetReleasesOneWait) {
    HANDLE e = CreateEventA(nullptr, FALSE, TRUE, nullptr);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(WaitForSingleObject(e, 0), static_cast<DWORD>(WAIT_OBJECT_0));
    EXPECT_EQ(WaitForSingleObject(e, 0), static_cast<DWORD>(WAIT_TIMEOUT)) << "the wait took the signal";
    CloseHandle(e);
}

TEST(Kernel32Events, NamedEventsAreNotSupported) {
    SetLastError(kSentinel);
    EXPECT_EQ(CreateEventA(nullptr, TRUE, FALSE, "Global\\ws2"), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_SUPPORTED));
    EXPECT_EQ(CreateEventW(nullptr, TRUE, FALSE, L"ws2"), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_SUPPORTED));
}

TEST(Kernel32Handles, BadHandlesAreInvalid) {
    HANDLE bogus = reinterpret_cast<HANDLE>(0x12345678);
    SetLastError(kSentinel);
    EXPECT_FALSE(SetEvent(bogus));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    SetLastError(kSentinel);
    EXPECT_FALSE(ResetEvent(nullptr));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    SetLastError(kSentinel);
    EXPECT_FALSE(CloseHandle(bogus));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    SetLastError(kSentinel);
    EXPECT_EQ(WaitForSingleObject(bogus, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));

    HANDLE e = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    EXPECT_TRUE(CloseHandle(e));
    SetLastError(kSentinel);
    EXPECT_FALSE(CloseHandle(e)) << "a handle closes once";
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    EXPECT_FALSE(SetEvent(e));
}

TEST(Kernel32Waits, MultipleObjectsArgumentRules) {
    HANDLE events[MAXIMUM_WAIT_OBJECTS + 1];
    for (HANDLE &h : events) h = CreateEventW(nullptr, TRUE, TRUE, nullptr);
    SetLastError(kSentinel);
    EXPECT_EQ(WaitForMultipleObjects(0, events, FALSE, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    SetLastError(kSentinel);
    EXPECT_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, events, FALSE, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, events, TRUE, 0), static_cast<DWORD>(WAIT_OBJECT_0));
    SetLastError(kSentinel);
    EXPECT_EQ(WaitForMultipleObjects(2, nullptr, FALSE, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    HANDLE with_bad[2] = {events[0], reinterpret_cast<HANDLE>(0x4444)};
    SetLastError(kSentinel);
    EXPECT_EQ(WaitForMultipleObjects(2, with_bad, FALSE, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    for (HANDLE h : events) CloseHandle(h);
}

TEST(Kernel32Waits, AnyReportsTheLowestSignalledIndexAndAllNeedsEveryOne) {
    HANDLE e[3];
    for (HANDLE &h : e) h = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    SetEvent(e[2]);
    SetEvent(e[1]);
    EXPECT_EQ(WaitForMultipleObjects(3, e, FALSE, 0), static_cast<DWORD>(WAIT_OBJECT_0 + 1));
    EXPECT_EQ(WaitForMultipleObjects(3, e, TRUE, 20), static_cast<DWORD>(WAIT_TIMEOUT));
    SetEvent(e[0]);
    EXPECT_EQ(WaitForMultipleObjects(3, e, TRUE, 0), static_cast<DWORD>(WAIT_OBJECT_0));
    for (HANDLE h : e) CloseHandle(h);
}

std::vector<ULONG_PTR> g_ran;
void CALLBACK record_apc(ULONG_PTR data) { g_ran.push_back(data); }

TEST(Kernel32Apc, AnAlertableWaitRunsQueuedApcsInOrder) {
    g_ran.clear();
    ASSERT_EQ(QueueUserAPC(record_apc, GetCurrentThread(), 1), 1u);
    ASSERT_EQ(QueueUserAPC(record_apc, GetCurrentThread(), 2), 1u);
    EXPECT_EQ(SleepEx(0, FALSE), 0u);
    EXPECT_TRUE(g_ran.empty()) << "a non-alertable wait runs no APC";
    EXPECT_EQ(SleepEx(INFINITE, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
    EXPECT_EQ(g_ran, (std::vector<ULONG_PTR>{1, 2}));
    EXPECT_EQ(SleepEx(10, TRUE), 0u) << "nothing queued: the time runs out";

    HANDLE e = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    QueueUserAPC(record_apc, GetCurrentThread(), 3);
    EXPECT_EQ(WaitForSingleObjectEx(e, INFINITE, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
    QueueUserAPC(record_apc, GetCurrentThread(), 4);
    EXPECT_EQ(WaitForMultipleObjectsEx(1, &e, FALSE, INFINITE, TRUE), static_cast<DWORD>(WAIT_IO_COMPLETION));
    EXPECT_EQ(g_ran.size(), 4u);
    CloseHandle(e);
}

TEST(Kernel32Apc, WSAWaitForMultipleEventsAlertableRunsApcs) {
    WSADATA data;
    ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    g_ran.clear();
    WSAEVENT e = WSACreateEvent();
    QueueUserAPC(record_apc, GetCurrentThread(), 9);
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), static_cast<DWORD>(WSA_WAIT_TIMEOUT));
    EXPECT_EQ(WSAWaitForMultipleEvents(1, &e, FALSE, WSA_INFINITE, TRUE), static_cast<DWORD>(WSA_WAIT_IO_COMPLETION));
    EXPECT_EQ(g_ran, (std::vector<ULONG_PTR>{9}));
    WSACloseEvent(e);
    WSACleanup();
}

TEST(Kernel32Apc, ArgumentErrors) {
    SetLastError(kSentinel);
    EXPECT_EQ(QueueUserAPC(nullptr, GetCurrentThread(), 0), 0u);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    SetLastError(kSentinel);
    EXPECT_EQ(QueueUserAPC(record_apc, reinterpret_cast<HANDLE>(0x4444), 0), 0u);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

std::atomic<DWORD> g_worker_id{0};
DWORD WINAPI alertable_worker(LPVOID parameter) {
    g_worker_id = GetCurrentThreadId();
    HANDLE ready = static_cast<HANDLE>(parameter);
    SetEvent(ready);
    // Returns once an APC has run.
    while (SleepEx(INFINITE, TRUE) != WAIT_IO_COMPLETION) {
    }
    return 42;
}

std::atomic<int> g_remote_apcs{0};
void CALLBACK count_apc(ULONG_PTR) { ++g_remote_apcs; }

TEST(Kernel32Threads, CreateThreadWaitAndExitCodeWithAnApcFromAnotherThread) {
    HANDLE ready = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    DWORD id = 0;
    HANDLE thread = CreateThread(nullptr, 0, alertable_worker, ready, 0, &id);
    ASSERT_NE(thread, nullptr);
    EXPECT_NE(id, 0u);
    ASSERT_EQ(WaitForSingleObject(ready, INFINITE), static_cast<DWORD>(WAIT_OBJECT_0));
    EXPECT_EQ(g_worker_id.load(), id);
    DWORD code = 0;
    ASSERT_TRUE(GetExitCodeThread(thread, &code));
    EXPECT_EQ(code, static_cast<DWORD>(STILL_ACTIVE));
    EXPECT_EQ(WaitForSingleObject(thread, 0), static_cast<DWORD>(WAIT_TIMEOUT));

    HANDLE opened = OpenThread(THREAD_SET_CONTEXT, FALSE, id);
    ASSERT_NE(opened, nullptr);
    ASSERT_EQ(QueueUserAPC(count_apc, opened, 0), 1u);
    EXPECT_EQ(WaitForSingleObject(thread, INFINITE), static_cast<DWORD>(WAIT_OBJECT_0));
    EXPECT_EQ(g_remote_apcs.load(), 1);
    ASSERT_TRUE(GetExitCodeThread(thread, &code));
    EXPECT_EQ(code, 42u);
    SetLastError(kSentinel);
    EXPECT_EQ(QueueUserAPC(count_apc, thread, 0), 0u) << "the thread has ended";
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_GEN_FAILURE));
    EXPECT_TRUE(CloseHandle(opened));
    EXPECT_TRUE(CloseHandle(thread));
    CloseHandle(ready);
}

TEST(Kernel32Threads, ArgumentErrors) {
    SetLastError(kSentinel);
    EXPECT_EQ(CreateThread(nullptr, 0, nullptr, nullptr, 0, nullptr), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    SetLastError(kSentinel);
    EXPECT_EQ(CreateThread(nullptr, 0, alertable_worker, nullptr, CREATE_SUSPENDED, nullptr), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_SUPPORTED));
    SetLastError(kSentinel);
    EXPECT_EQ(OpenThread(THREAD_ALL_ACCESS, FALSE, 0x7ffffff0), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    DWORD code = 0;
    SetLastError(kSentinel);
    EXPECT_FALSE(GetExitCodeThread(reinterpret_cast<HANDLE>(0x4444), &code));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    SetLastError(kSentinel);
    EXPECT_FALSE(GetExitCodeThread(GetCurrentThread(), nullptr));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    EXPECT_TRUE(CloseHandle(GetCurrentThread())) << "the pseudo handle needs no closing";
    EXPECT_EQ(GetCurrentProcessId(), static_cast<DWORD>(getpid()));
}

}  // namespace
