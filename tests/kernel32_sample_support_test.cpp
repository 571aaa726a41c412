// The kernel32 pieces a completion-port server needs beyond events and ports: critical sections,
// GetSystemInfo, the process heap, console control handlers, the Interlocked functions.
#include <windows.h>
#include <winsock2.h>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

namespace {

// ---- critical sections ----

TEST(Kernel32CriticalSection, OwnerMayEnterAgain) {
    CRITICAL_SECTION cs;
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    EnterCriticalSection(&cs);
    EXPECT_TRUE(TryEnterCriticalSection(&cs)) << "the owner re-enters";
    EXPECT_EQ(cs.RecursionCount, 3);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(cs.OwningThread), GetCurrentThreadId());
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    EXPECT_EQ(cs.OwningThread, nullptr);
    DeleteCriticalSection(&cs);
}

TEST(Kernel32CriticalSection, OtherThreadCannotTryEnterWhileHeld) {
    CRITICAL_SECTION cs;
    ASSERT_TRUE(InitializeCriticalSectionAndSpinCount(&cs, 4000));
    EnterCriticalSection(&cs);
    EnterCriticalSection(&cs);
    BOOL other = TRUE;
    std::thread([&] { other = TryEnterCriticalSection(&cs); }).join();
    EXPECT_FALSE(other);
    LeaveCriticalSection(&cs);
    std::thread([&] { other = TryEnterCriticalSection(&cs); }).join();
    EXPECT_FALSE(other) << "still held once";
    LeaveCriticalSection(&cs);
    std::thread([&] {
        other = TryEnterCriticalSection(&cs);
        if (other) LeaveCriticalSection(&cs);
    }).join();
    EXPECT_TRUE(other) << "free after the last leave";
    DeleteCriticalSection(&cs);
}

TEST(Kernel32CriticalSection, EnterWaitsForTheOwner) {
    CRITICAL_SECTION cs;
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    std::atomic<bool> entered{false};
    std::thread t([&] {
        EnterCriticalSection(&cs);
        entered = true;
        LeaveCriticalSection(&cs);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(entered.load());
    LeaveCriticalSection(&cs);
    t.join();
    EXPECT_TRUE(entered.load());
    DeleteCriticalSection(&cs);
}

TEST(Kernel32CriticalSection, MutualExclusionUnderContention) {
    CRITICAL_SECTION cs;
    ASSERT_TRUE(InitializeCriticalSectionAndSpinCount(&cs, 100));
    long counter = 0;  // deliberately not atomic: the section protects it
    constexpr int kThreads = 4, kRounds = 20000;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            for (int r = 0; r < kRounds; ++r) {
                EnterCriticalSection(&cs);
                EnterCriticalSection(&cs);
                ++counter;
                LeaveCriticalSection(&cs);
                LeaveCriticalSection(&cs);
            }
        });
    }
    for (auto &t : threads) t.join();
    EXPECT_EQ(counter, long{kThreads} * kRounds);
    DeleteCriticalSection(&cs);
}

TEST(Kernel32CriticalSection, SpinCountIsKeptAndReplaced) {
    CRITICAL_SECTION cs;
    ASSERT_TRUE(InitializeCriticalSectionAndSpinCount(&cs, 0x12345));
    DWORD expected = std::thread::hardware_concurrency() <= 1 ? 0 : 0x12345;
    EXPECT_EQ(SetCriticalSectionSpinCount(&cs, 10), expected);
    EXPECT_EQ(cs.SpinCount, std::thread::hardware_concurrency() <= 1 ? 0u : 10u);
    DeleteCriticalSection(&cs);
}

TEST(Kernel32CriticalSection, LeaveByANonOwnerChangesNothing) {
    CRITICAL_SECTION cs;
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    std::thread([&] { LeaveCriticalSection(&cs); }).join();
    BOOL other = TRUE;
    std::thread([&] { other = TryEnterCriticalSection(&cs); }).join();
    EXPECT_FALSE(other);
    LeaveCriticalSection(&cs);
    DeleteCriticalSection(&cs);
}

TEST(Kernel32CriticalSection, BadPointersDoNotCrash) {
    SetLastError(0);
    EXPECT_FALSE(InitializeCriticalSectionAndSpinCount(nullptr, 0));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    auto *bad = reinterpret_cast<LPCRITICAL_SECTION>(std::uintptr_t{8});
    SetLastError(0);
    EXPECT_FALSE(InitializeCriticalSectionAndSpinCount(bad, 0));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    SetLastError(0);
    InitializeCriticalSection(bad);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    EnterCriticalSection(nullptr);
    EXPECT_FALSE(TryEnterCriticalSection(nullptr));
    LeaveCriticalSection(nullptr);
    DeleteCriticalSection(nullptr);
    DeleteCriticalSection(bad);
    EXPECT_EQ(SetCriticalSectionSpinCount(nullptr, 5), 0u);
}

// ---- GetSystemInfo ----

TEST(Kernel32SystemInfo, DescribesThisMachine) {
    SYSTEM_INFO si;
    std::memset(&si, 0xAB, sizeof si);
    GetSystemInfo(&si);
    EXPECT_EQ(si.dwPageSize, static_cast<DWORD>(sysconf(_SC_PAGESIZE)));
    EXPECT_EQ(si.dwNumberOfProcessors, static_cast<DWORD>(sysconf(_SC_NPROCESSORS_ONLN)));
    EXPECT_GE(si.dwNumberOfProcessors, 1u);
    EXPECT_NE(si.dwActiveProcessorMask, 0u);
    if (si.dwNumberOfProcessors <= 64) {
        EXPECT_EQ(static_cast<DWORD>(__builtin_popcountll(si.dwActiveProcessorMask)), si.dwNumberOfProcessors);
    }
    EXPECT_EQ(si.dwAllocationGranularity, 65536u);
    EXPECT_EQ(si.dwAllocationGranularity % si.dwPageSize, 0u);
    EXPECT_LT(si.lpMinimumApplicationAddress, si.lpMaximumApplicationAddress);
    int local = 0;
    EXPECT_LE(si.lpMinimumApplicationAddress, static_cast<void *>(&local));
    EXPECT_GE(si.lpMaximumApplicationAddress, static_cast<void *>(&local));
#if defined(__x86_64__)
    EXPECT_EQ(si.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_AMD64);
    EXPECT_EQ(si.dwProcessorType, static_cast<DWORD>(PROCESSOR_AMD_X8664));
    EXPECT_GE(si.wProcessorLevel, 6);
#endif
    EXPECT_EQ(si.wReserved, 0);
    SYSTEM_INFO native;
    GetNativeSystemInfo(&native);
    EXPECT_EQ(std::memcmp(&si, &native, sizeof si), 0);
}

TEST(Kernel32SystemInfo, BadPointerIsNoAccess) {
    SetLastError(0);
    GetSystemInfo(nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    SetLastError(0);
    GetNativeSystemInfo(reinterpret_cast<LPSYSTEM_INFO>(std::uintptr_t{16}));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
}

// ---- the process heap ----

TEST(Kernel32Heap, ZeroedAlignedBlocks) {
    HANDLE heap = GetProcessHeap();
    ASSERT_NE(heap, nullptr);
    EXPECT_EQ(GetProcessHeap(), heap);
    auto *p = static_cast<unsigned char *>(HeapAlloc(heap, HEAP_ZERO_MEMORY, 1000));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % MEMORY_ALLOCATION_ALIGNMENT, 0u);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(p[i], 0) << i;
    EXPECT_EQ(HeapSize(heap, 0, p), 1000u);
    std::memset(p, 0x5A, 1000);
    SetLastError(1234);
    EXPECT_TRUE(HeapFree(heap, 0, p));
    void *empty = HeapAlloc(heap, 0, 0);
    ASSERT_NE(empty, nullptr) << "a zero-byte block is a valid block";
    EXPECT_EQ(HeapSize(heap, 0, empty), 0u);
    EXPECT_TRUE(HeapFree(heap, HEAP_NO_SERIALIZE, empty));
}

TEST(Kernel32Heap, ReAllocKeepsContentsAndZeroesGrowth) {
    HANDLE heap = GetProcessHeap();
    auto *p = static_cast<unsigned char *>(HeapAlloc(heap, 0, 16));
    ASSERT_NE(p, nullptr);
    std::memset(p, 0x11, 16);
    auto *q = static_cast<unsigned char *>(HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 4096));
    ASSERT_NE(q, nullptr);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(q[i], 0x11);
    for (int i = 16; i < 4096; ++i) ASSERT_EQ(q[i], 0) << i;
    EXPECT_EQ(HeapSize(heap, 0, q), 4096u);
    // In place: shrinking works where the block is; growing is refused and changes nothing.
    EXPECT_EQ(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, q, 100), q);
    EXPECT_EQ(HeapSize(heap, 0, q), 100u);
    EXPECT_EQ(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, q, 1 << 20), nullptr);
    EXPECT_EQ(HeapSize(heap, 0, q), 100u);
    EXPECT_EQ(q[0], 0x11);
    EXPECT_TRUE(HeapFree(heap, 0, q));
}

TEST(Kernel32Heap, FailuresReturnNullWithoutTouchingTheLastError) {
    HANDLE heap = GetProcessHeap();
    SetLastError(4321);
    EXPECT_EQ(HeapAlloc(heap, 0, ~SIZE_T{0}), nullptr);
    EXPECT_EQ(HeapAlloc(reinterpret_cast<HANDLE>(std::uintptr_t{0x40}), 0, 10), nullptr);
    alignas(16) unsigned char not_a_block[64] = {};
    EXPECT_EQ(HeapReAlloc(heap, 0, not_a_block + 32, 10), nullptr);
    EXPECT_EQ(HeapSize(heap, 0, not_a_block + 32), static_cast<SIZE_T>(-1));
    EXPECT_EQ(GetLastError(), 4321u);
}

TEST(Kernel32Heap, FreeRefusesWhatItDidNotAllocate) {
    HANDLE heap = GetProcessHeap();
    EXPECT_TRUE(HeapFree(heap, 0, nullptr));
    alignas(16) unsigned char not_a_block[64] = {};
    SetLastError(0);
    EXPECT_FALSE(HeapFree(heap, 0, not_a_block + 32));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    SetLastError(0);
    EXPECT_FALSE(HeapFree(heap, 0, reinterpret_cast<void *>(std::uintptr_t{0x1000})));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    // An unmapped page just after a mapping: the header read fails, nothing crashes.
    void *page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(page, MAP_FAILED);
    SetLastError(0);
    EXPECT_FALSE(HeapFree(heap, 0, static_cast<char *>(page) + 64));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    munmap(page, 4096);
    void *p = HeapAlloc(heap, 0, 8);
    SetLastError(0);
    EXPECT_FALSE(HeapFree(reinterpret_cast<HANDLE>(std::uintptr_t{0x40}), 0, p));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    EXPECT_TRUE(HeapFree(heap, 0, p));
}

TEST(Kernel32Heap, GenerateExceptionsEndsTheProcessOnFailure) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(HeapAlloc(GetProcessHeap(), HEAP_GENERATE_EXCEPTIONS, ~SIZE_T{0}), "STATUS_NO_MEMORY");
}

// ---- console control handlers ----

std::atomic<int> g_calls{0};
std::atomic<DWORD> g_event{0xFFFF};
std::atomic<DWORD> g_thread{0};
std::atomic<int> g_order{0};
std::atomic<int> g_first_seen{0};

BOOL WINAPI first_handler(DWORD type) {
    g_event = type;
    g_thread = GetCurrentThreadId();
    g_first_seen = ++g_order;
    ++g_calls;
    return TRUE;
}

BOOL WINAPI passing_handler(DWORD) {
    ++g_order;
    return FALSE;
}

bool wait_for_calls(int n) {
    for (int i = 0; i < 500 && g_calls.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return g_calls.load() >= n;
}

TEST(Kernel32ConsoleControl, CtrlCRunsHandlersOnANewThreadLastAddedFirst) {
    g_calls = 0;
    g_order = 0;
    ASSERT_TRUE(SetConsoleCtrlHandler(first_handler, TRUE));
    ASSERT_TRUE(SetConsoleCtrlHandler(passing_handler, TRUE));
    ASSERT_EQ(raise(SIGINT), 0);
    ASSERT_TRUE(wait_for_calls(1));
    EXPECT_EQ(g_event.load(), static_cast<DWORD>(CTRL_C_EVENT));
    EXPECT_NE(g_thread.load(), GetCurrentThreadId()) << "handlers run on their own thread";
    EXPECT_EQ(g_first_seen.load(), 2) << "the passing handler, added last, ran first";
    ASSERT_EQ(raise(SIGQUIT), 0);
    ASSERT_TRUE(wait_for_calls(2));
    EXPECT_EQ(g_event.load(), static_cast<DWORD>(CTRL_BREAK_EVENT));
    EXPECT_TRUE(SetConsoleCtrlHandler(passing_handler, FALSE));
    EXPECT_TRUE(SetConsoleCtrlHandler(first_handler, FALSE));
}

TEST(Kernel32ConsoleControl, RemovingAnUnknownHandlerFails) {
    SetLastError(0);
    EXPECT_FALSE(SetConsoleCtrlHandler(passing_handler, FALSE));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

TEST(Kernel32ConsoleControl, IgnoringCtrlCSkipsTheHandlers) {
    g_calls = 0;
    ASSERT_TRUE(SetConsoleCtrlHandler(first_handler, TRUE));
    ASSERT_TRUE(SetConsoleCtrlHandler(nullptr, TRUE));
    struct sigaction current {};
    sigaction(SIGINT, nullptr, &current);
    EXPECT_EQ(current.sa_handler, SIG_IGN) << "inherited by children, as Windows' attribute";
    ASSERT_EQ(raise(SIGINT), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(g_calls.load(), 0);
    ASSERT_TRUE(SetConsoleCtrlHandler(nullptr, FALSE));
    ASSERT_EQ(raise(SIGINT), 0);
    ASSERT_TRUE(wait_for_calls(1));
    EXPECT_TRUE(SetConsoleCtrlHandler(first_handler, FALSE));
}

TEST(Kernel32ConsoleControlDeath, UnhandledCtrlCEndsTheProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            SetConsoleCtrlHandler(passing_handler, TRUE);
            raise(SIGINT);
            for (;;) pause();
        },
        testing::KilledBySignal(SIGINT), "");
}

BOOL WINAPI close_handler(DWORD type) {
    if (type == CTRL_CLOSE_EVENT) {
        fprintf(stderr, "close event\n");
        return TRUE;
    }
    return FALSE;
}

TEST(Kernel32ConsoleControlDeath, CloseEventEndsTheProcessAfterTheHandlers) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            SetConsoleCtrlHandler(close_handler, TRUE);
            raise(SIGTERM);
            for (;;) pause();
        },
        testing::KilledBySignal(SIGTERM), "close event");
    EXPECT_EXIT(
        {
            SetConsoleCtrlHandler(close_handler, TRUE);
            raise(SIGHUP);
            for (;;) pause();
        },
        testing::KilledBySignal(SIGHUP), "close event");
}

// ---- Interlocked ----

TEST(Kernel32Interlocked, ReturnValuesAsDocumented) {
    volatile LONG v = 5;
    EXPECT_EQ(InterlockedIncrement(&v), 6);
    EXPECT_EQ(InterlockedDecrement(&v), 5);
    EXPECT_EQ(InterlockedExchange(&v, 9), 5);
    EXPECT_EQ(InterlockedExchangeAdd(&v, 3), 9);
    EXPECT_EQ(v, 12);
    EXPECT_EQ(InterlockedCompareExchange(&v, 1, 7), 12) << "no match: unchanged";
    EXPECT_EQ(InterlockedCompareExchange(&v, 1, 12), 12);
    EXPECT_EQ(v, 1);
    volatile LONG64 w = -1;
    EXPECT_EQ(InterlockedIncrement64(&w), 0);
    EXPECT_EQ(InterlockedDecrement64(&w), -1);
    int a = 0, b = 0;
    PVOID volatile p = &a;
    EXPECT_EQ(InterlockedExchangePointer(&p, &b), &a);
    EXPECT_EQ(InterlockedCompareExchangePointer(&p, &a, &a), &b);
    EXPECT_EQ(InterlockedCompareExchangePointer(&p, &a, &b), &b);
    EXPECT_EQ(p, &a);
}

TEST(Kernel32Interlocked, CountsFromManyThreads) {
    volatile LONG counter = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            for (int r = 0; r < 10000; ++r) InterlockedIncrement(&counter);
        });
    }
    for (auto &t : threads) t.join();
    EXPECT_EQ(counter, 40000);
}

}  // namespace
