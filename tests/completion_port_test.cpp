// I/O completion ports: the kernel32 functions, the port object's waiter and concurrency rules,
// the completion source hook, socket associations and notification modes.
#include <windows.h>
#include <winsock2.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "win32/completion_association.h"
#include "win32/completion_port.h"
#include "win32/completion_routing.h"
#include "support/fake_completion_source.h"

namespace {

constexpr DWORD kSentinel = 0xdeadbeef;
LPOVERLAPPED fake_overlapped(std::uintptr_t v) { return reinterpret_cast<LPOVERLAPPED>(v); }

// Waits (without any time limit of its own) until cond holds.
template <class F>
void wait_until(F cond) {
    while (!cond()) Sleep(1);
}

HANDLE new_port(DWORD concurrency = 0) {
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, concurrency);
    EXPECT_NE(port, nullptr);
    return port;
}

struct Dequeued {
    BOOL ok = FALSE;
    DWORD error = 0, bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED overlapped = fake_overlapped(1);
};

Dequeued dequeue(HANDLE port, DWORD timeout) {
    Dequeued d;
    SetLastError(kSentinel);
    d.ok = GetQueuedCompletionStatus(port, &d.bytes, &d.key, &d.overlapped, timeout);
    d.error = GetLastError();
    return d;
}

TEST(CompletionPort, PacketsComeOutInPostingOrder) {
    HANDLE port = new_port();
    for (DWORD i = 0; i < 100; ++i)
        ASSERT_TRUE(PostQueuedCompletionStatus(port, i, i + 1000, fake_overlapped(i + 1)));
    for (DWORD i = 0; i < 100; ++i) {
        Dequeued d = dequeue(port, 0);
        ASSERT_TRUE(d.ok);
        EXPECT_EQ(d.bytes, i);
        EXPECT_EQ(d.key, i + 1000);
        EXPECT_EQ(d.overlapped, fake_overlapped(i + 1));
        EXPECT_EQ(d.error, kSentinel) << "success leaves the last error alone";
    }
    EXPECT_TRUE(CloseHandle(port));
}

TEST(CompletionPort, EmptyPortTimesOutWithNullOverlapped) {
    HANDLE port = new_port();
    Dequeued d = dequeue(port, 0);
    EXPECT_FALSE(d.ok);
    EXPECT_EQ(d.overlapped, nullptr);
    EXPECT_EQ(d.error, static_cast<DWORD>(WAIT_TIMEOUT));
    d = dequeue(port, 20);  // a finite wait
    EXPECT_FALSE(d.ok);
    EXPECT_EQ(d.overlapped, nullptr);
    EXPECT_EQ(d.error, static_cast<DWORD>(WAIT_TIMEOUT));
    CloseHandle(port);
}

TEST(CompletionPort, InfiniteWaitGetsAPacketPostedLater) {
    HANDLE port = new_port();
    auto object = ws2::win32::find_port(port);
    Dequeued got;
    std::thread waiter([&] { got = dequeue(port, INFINITE); });
    wait_until([&] { return object->waiting() == 1; });
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 5, 7, fake_overlapped(9)));
    waiter.join();
    EXPECT_TRUE(got.ok);
    EXPECT_EQ(got.key, 7u);
    EXPECT_EQ(got.bytes, 5u);
    EXPECT_EQ(got.overlapped, fake_overlapped(9));
    EXPECT_EQ(object->queued(), 0u) << "handed straight to the waiter";
    CloseHandle(port);
}

TEST(CompletionPort, FailedOperationPacketReturnsFalseWithItsError) {
    HANDLE port = new_port();
    ASSERT_TRUE(ws2::win32::find_port(port)->post(12, 34, fake_overlapped(56), ERROR_OPERATION_ABORTED));
    Dequeued d = dequeue(port, 0);
    EXPECT_FALSE(d.ok);
    EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_OPERATION_ABORTED));
    EXPECT_EQ(d.overlapped, fake_overlapped(56));
    EXPECT_EQ(d.bytes, 12u);
    EXPECT_EQ(d.key, 34u);
    CloseHandle(port);
}

TEST(CompletionPort, BadHandlesAreInvalid) {
    HANDLE bogus = reinterpret_cast<HANDLE>(0x4ffffff0);
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    HANDLE closed = new_port();
    ASSERT_TRUE(CloseHandle(closed));
    for (HANDLE h : {bogus, event, closed, static_cast<HANDLE>(nullptr), INVALID_HANDLE_VALUE}) {
        Dequeued d = dequeue(h, 0);
        EXPECT_FALSE(d.ok);
        EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_INVALID_HANDLE));
        EXPECT_EQ(d.overlapped, nullptr);
        SetLastError(kSentinel);
        EXPECT_FALSE(PostQueuedCompletionStatus(h, 0, 0, nullptr));
        EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
        OVERLAPPED_ENTRY entries[2];
        ULONG removed = 99;
        SetLastError(kSentinel);
        EXPECT_FALSE(GetQueuedCompletionStatusEx(h, entries, 2, &removed, 0, FALSE));
        EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
        EXPECT_EQ(removed, 0u);
    }
    SetLastError(kSentinel);
    EXPECT_FALSE(CloseHandle(closed)) << "a port's handle closes once";
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    CloseHandle(event);
}

TEST(CompletionPort, BadOutPointersFailWithoutLosingThePacket) {
    HANDLE port = new_port();
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 1, 2, fake_overlapped(3)));
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    auto *wild = reinterpret_cast<LPOVERLAPPED *>(std::uintptr_t{0x10});
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatus(port, nullptr, &key, &ov, 0));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, nullptr, &ov, 0));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, &key, nullptr, 0));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatus(port, &bytes, &key, wild, 0));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    OVERLAPPED_ENTRY entries[4];
    ULONG removed;
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatusEx(port, nullptr, 4, &removed, 0, FALSE));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatusEx(port, entries, 4, nullptr, 0, FALSE));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    std::vector<OVERLAPPED_ENTRY> few(4);  // on the heap: the probe walks off its end
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatusEx(port, few.data(), 0xFFFFFFFF, &removed, 0, FALSE))
        << "the count reaches past the array";
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    Dequeued d = dequeue(port, 0);
    EXPECT_TRUE(d.ok) << "the packet is still there";
    EXPECT_EQ(d.key, 2u);
    CloseHandle(port);
}

TEST(CompletionPortEx, ZeroCountIsInvalid) {
    HANDLE port = new_port();
    OVERLAPPED_ENTRY entry;
    ULONG removed = 99;
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatusEx(port, &entry, 0, &removed, 0, FALSE));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    CloseHandle(port);
}

TEST(CompletionPortEx, RemovesABatchInOrder) {
    HANDLE port = new_port();
    for (DWORD i = 0; i < 10; ++i) ASSERT_TRUE(PostQueuedCompletionStatus(port, i, i, fake_overlapped(i + 1)));
    ASSERT_TRUE(ws2::win32::find_port(port)->post(77, 10, fake_overlapped(11), ERROR_OPERATION_ABORTED));
    OVERLAPPED_ENTRY entries[16];
    ULONG removed = 0;
    SetLastError(kSentinel);
    ASSERT_TRUE(GetQueuedCompletionStatusEx(port, entries, 4, &removed, 0, FALSE));
    ASSERT_EQ(removed, 4u) << "no more than asked for";
    for (ULONG i = 0; i < removed; ++i) {
        EXPECT_EQ(entries[i].lpCompletionKey, i);
        EXPECT_EQ(entries[i].dwNumberOfBytesTransferred, i);
        EXPECT_EQ(entries[i].lpOverlapped, fake_overlapped(i + 1));
    }
    ASSERT_TRUE(GetQueuedCompletionStatusEx(port, entries, 16, &removed, INFINITE, FALSE));
    ASSERT_EQ(removed, 7u);
    EXPECT_EQ(entries[0].lpCompletionKey, 4u);
    EXPECT_EQ(entries[6].lpCompletionKey, 10u);
    EXPECT_EQ(entries[6].Internal, static_cast<ULONG_PTR>(ERROR_OPERATION_ABORTED))
        << "a failed operation's packet is returned with TRUE; its status rides in Internal";
    EXPECT_EQ(GetLastError(), kSentinel);
    removed = 99;
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatusEx(port, entries, 16, &removed, 0, FALSE));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_TIMEOUT));
    EXPECT_EQ(removed, 0u);
    CloseHandle(port);
}

std::atomic<int> g_apc_runs{0};
void CALLBACK count_apc(ULONG_PTR add) { g_apc_runs += static_cast<int>(add); }

TEST(CompletionPortEx, AlertableWaitRunsQueuedApcs) {
    HANDLE port = new_port();
    OVERLAPPED_ENTRY entries[4];
    ULONG removed = 99;
    g_apc_runs = 0;
    ASSERT_NE(QueueUserAPC(count_apc, GetCurrentThread(), 1), 0u);
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatusEx(port, entries, 4, &removed, 0, FALSE)) << "not alertable";
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_TIMEOUT));
    EXPECT_EQ(g_apc_runs.load(), 0);
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 5, nullptr));
    EXPECT_TRUE(GetQueuedCompletionStatusEx(port, entries, 4, &removed, INFINITE, TRUE))
        << "an available packet comes before APCs";
    EXPECT_EQ(removed, 1u);
    EXPECT_EQ(g_apc_runs.load(), 0);
    SetLastError(kSentinel);
    EXPECT_FALSE(GetQueuedCompletionStatusEx(port, entries, 4, &removed, INFINITE, TRUE));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(WAIT_IO_COMPLETION));
    EXPECT_EQ(removed, 0u);
    EXPECT_EQ(g_apc_runs.load(), 1);
    CloseHandle(port);
}

TEST(CompletionPortEx, ApcQueuedDuringTheWaitEndsIt) {
    HANDLE port = new_port();
    auto object = ws2::win32::find_port(port);
    g_apc_runs = 0;
    std::atomic<DWORD> tid{0};
    BOOL ok = TRUE;
    DWORD error = 0;
    std::thread waiter([&] {
        tid = GetCurrentThreadId();
        OVERLAPPED_ENTRY entries[2];
        ULONG removed;
        ok = GetQueuedCompletionStatusEx(port, entries, 2, &removed, INFINITE, TRUE);
        error = GetLastError();
    });
    wait_until([&] { return object->waiting() == 1; });
    HANDLE thread = OpenThread(THREAD_SET_CONTEXT, FALSE, tid);
    ASSERT_NE(thread, nullptr);
    ASSERT_NE(QueueUserAPC(count_apc, thread, 3), 0u);
    waiter.join();
    EXPECT_FALSE(ok);
    EXPECT_EQ(error, static_cast<DWORD>(WAIT_IO_COMPLETION));
    EXPECT_EQ(g_apc_runs.load(), 3);
    EXPECT_EQ(object->waiting(), 0u);
    CloseHandle(thread);
    CloseHandle(port);
}

TEST(CompletionPortClose, WaitersAreAbandoned) {
    HANDLE port = new_port();
    auto object = ws2::win32::find_port(port);
    Dequeued plain;
    BOOL ex_ok = TRUE;
    DWORD ex_error = 0;
    ULONG removed = 99;
    std::thread a([&] { plain = dequeue(port, INFINITE); });
    std::thread b([&] {
        OVERLAPPED_ENTRY entries[2];
        ex_ok = GetQueuedCompletionStatusEx(port, entries, 2, &removed, INFINITE, TRUE);
        ex_error = GetLastError();
    });
    wait_until([&] { return object->waiting() == 2; });
    ASSERT_TRUE(CloseHandle(port));
    a.join();
    b.join();
    EXPECT_FALSE(plain.ok);
    EXPECT_EQ(plain.error, static_cast<DWORD>(ERROR_ABANDONED_WAIT_0));
    EXPECT_EQ(plain.overlapped, nullptr);
    EXPECT_FALSE(ex_ok);
    EXPECT_EQ(ex_error, static_cast<DWORD>(ERROR_ABANDONED_WAIT_0));
    EXPECT_EQ(removed, 0u);
}

TEST(CompletionPortClose, QueuedPacketsAreDiscardedAndPostsRefused) {
    HANDLE port = new_port();
    auto object = ws2::win32::find_port(port);
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 1, 1, nullptr));
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 2, 2, nullptr));
    ASSERT_TRUE(CloseHandle(port));
    EXPECT_TRUE(object->closed());
    EXPECT_EQ(object->queued(), 0u);
    EXPECT_FALSE(object->post(3, 3, nullptr, 0)) << "the engine's posts to a closed port are refused";
    std::size_t got = 9;
    ws2::win32::CompletionPacket packet;
    EXPECT_EQ(object->dequeue(&packet, 1, &got, 0, false), ws2::win32::CompletionPort::Dequeue::kAbandoned);
    EXPECT_EQ(got, 0u);
}

TEST(CompletionPortThreads, WaitersAreReleasedLastInFirstOut) {
    HANDLE port = new_port(4);
    auto object = ws2::win32::find_port(port);
    Dequeued first, second;
    std::thread a([&] { first = dequeue(port, INFINITE); });
    wait_until([&] { return object->waiting() == 1; });
    std::thread b([&] { second = dequeue(port, INFINITE); });
    wait_until([&] { return object->waiting() == 2; });
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 1, nullptr));
    b.join();  // the most recent waiter has it
    EXPECT_TRUE(second.ok);
    EXPECT_EQ(second.key, 1u);
    EXPECT_EQ(object->waiting(), 1u) << "the first waiter still sleeps";
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 2, nullptr));
    a.join();
    EXPECT_TRUE(first.ok);
    EXPECT_EQ(first.key, 2u);
    CloseHandle(port);
}

TEST(CompletionPortThreads, ABatchPostWakesOneWaiterPerPacket) {
    HANDLE port = new_port(8);
    auto object = ws2::win32::find_port(port);
    constexpr int kWaiters = 3;
    std::vector<Dequeued> got(kWaiters);
    std::vector<std::thread> threads;
    for (int i = 0; i < kWaiters; ++i) {
        threads.emplace_back([&, i] { got[i] = dequeue(port, INFINITE); });
        wait_until([&] { return object->waiting() == static_cast<std::size_t>(i + 1); });
    }
    ws2::win32::CompletionPacket batch[kWaiters + 1];
    for (int i = 0; i <= kWaiters; ++i) batch[i] = {static_cast<ULONG_PTR>(i), nullptr, 0, 0};
    ASSERT_TRUE(object->post_batch(batch, kWaiters + 1));
    for (auto &t : threads) t.join();
    // LIFO: the last waiter has the first packet; the packet nobody waited for stays queued.
    for (int i = 0; i < kWaiters; ++i) {
        EXPECT_TRUE(got[i].ok);
        EXPECT_EQ(got[i].key, static_cast<ULONG_PTR>(kWaiters - 1 - i));
    }
    EXPECT_EQ(object->queued(), 1u);
    Dequeued rest = dequeue(port, 0);
    EXPECT_TRUE(rest.ok);
    EXPECT_EQ(rest.key, static_cast<ULONG_PTR>(kWaiters));
    CloseHandle(port);
}

TEST(CompletionPortThreads, ZeroConcurrencyMeansTheProcessorCount) {
    HANDLE port = new_port(0);
    EXPECT_EQ(ws2::win32::find_port(port)->concurrency(), static_cast<DWORD>(sysconf(_SC_NPROCESSORS_ONLN)));
    CloseHandle(port);
    port = new_port(3);
    EXPECT_EQ(ws2::win32::find_port(port)->concurrency(), 3u);
    CloseHandle(port);
}

// Concurrency 1: while one thread is active on the port (it dequeued and has not come back),
// a second waiter is not released; the active thread's exit releases it.
TEST(CompletionPortThreads, ConcurrencyLimitHoldsBackOtherWaiters) {
    HANDLE port = new_port(1);
    auto object = ws2::win32::find_port(port);
    HANDLE go_on = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    std::atomic<bool> a_has_packet{false};
    Dequeued a_got, b_got;
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 1, nullptr));
    std::thread a([&] {
        a_got = dequeue(port, INFINITE);
        a_has_packet = true;
        WaitForSingleObject(go_on, INFINITE);  // busy with the packet; then the thread ends
    });
    wait_until([&] { return a_has_packet.load(); });
    std::thread b([&] { b_got = dequeue(port, INFINITE); });
    wait_until([&] { return object->waiting() == 1; });
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 2, nullptr));
    EXPECT_EQ(object->queued(), 1u) << "one thread is active: the packet waits";
    EXPECT_EQ(object->waiting(), 1u);
    Dequeued third = dequeue(port, 0);
    EXPECT_FALSE(third.ok) << "a third thread is held back too";
    EXPECT_EQ(third.error, static_cast<DWORD>(WAIT_TIMEOUT));
    SetEvent(go_on);
    a.join();  // the active thread's exit frees its place
    b.join();
    EXPECT_TRUE(a_got.ok);
    EXPECT_EQ(a_got.key, 1u);
    EXPECT_TRUE(b_got.ok);
    EXPECT_EQ(b_got.key, 2u);
    CloseHandle(go_on);
    CloseHandle(port);
}

TEST(CompletionPortThreads, ActiveThreadTakesTheNextPacketItself) {
    HANDLE port = new_port(1);
    auto object = ws2::win32::find_port(port);
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 1, nullptr));
    ASSERT_TRUE(dequeue(port, 0).ok);  // this thread is now active
    Dequeued other;
    std::thread b([&] { other = dequeue(port, INFINITE); });
    wait_until([&] { return object->waiting() == 1; });
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 2, nullptr));
    EXPECT_EQ(object->queued(), 1u);
    Dequeued again = dequeue(port, 0);  // coming back ends the previous activity
    EXPECT_TRUE(again.ok);
    EXPECT_EQ(again.key, 2u);
    // Waiting on another port ends this thread's activity here: b is released.
    HANDLE elsewhere = new_port();
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, 3, nullptr));
    EXPECT_EQ(object->queued(), 1u);
    EXPECT_FALSE(dequeue(elsewhere, 0).ok);
    b.join();
    EXPECT_TRUE(other.ok);
    EXPECT_EQ(other.key, 3u);
    CloseHandle(elsewhere);
    CloseHandle(port);
}

TEST(CompletionPortThreads, ManyProducersAndConsumersDeliverEachPacketOnce) {
    constexpr unsigned kProducers = 4, kConsumers = 4, kPerProducer = 20000;
    constexpr ULONG_PTR kStop = ~ULONG_PTR{0};
    HANDLE port = new_port(kConsumers);
    std::vector<std::atomic<int>> received(kProducers * kPerProducer);
    std::atomic<unsigned> order_errors{0}, bad{0};
    const DWORD timeouts[kConsumers] = {0, 10, INFINITE, INFINITE};
    std::vector<std::thread> consumers;
    for (unsigned c = 0; c < kConsumers; ++c) {
        consumers.emplace_back([&, c] {
            long last[kProducers];
            for (long &l : last) l = -1;
            OVERLAPPED_ENTRY entries[8];
            for (;;) {
                ULONG n = 0;
                if (c % 2 == 0) {  // half use GetQueuedCompletionStatus, half the batch form
                    Dequeued d = dequeue(port, timeouts[c]);
                    if (!d.ok) {
                        if (d.overlapped == nullptr && d.error == WAIT_TIMEOUT) continue;
                        ++bad;
                        return;
                    }
                    entries[0] = OVERLAPPED_ENTRY{d.key, d.overlapped, 0, d.bytes};
                    n = 1;
                } else if (!GetQueuedCompletionStatusEx(port, entries, 8, &n, timeouts[c], FALSE)) {
                    if (GetLastError() == WAIT_TIMEOUT) continue;
                    ++bad;
                    return;
                }
                for (ULONG i = 0; i < n; ++i) {
                    ULONG_PTR key = entries[i].lpCompletionKey;
                    if (key == kStop) {  // stops come last: pass on any others this batch took
                        for (ULONG j = i + 1; j < n; ++j) PostQueuedCompletionStatus(port, 0, kStop, nullptr);
                        return;
                    }
                    DWORD seq = entries[i].dwNumberOfBytesTransferred;
                    if (key >= kProducers || seq >= kPerProducer ||
                        entries[i].lpOverlapped != fake_overlapped(seq + 1)) {
                        ++bad;
                        continue;
                    }
                    if (static_cast<long>(seq) <= last[key]) ++order_errors;  // per producer, FIFO
                    last[key] = seq;
                    received[key * kPerProducer + seq]++;
                }
            }
        });
    }
    std::vector<std::thread> producers;
    for (unsigned p = 0; p < kProducers; ++p)
        producers.emplace_back([&, p] {
            for (DWORD i = 0; i < kPerProducer; ++i)
                if (!PostQueuedCompletionStatus(port, i, p, fake_overlapped(i + 1))) ++bad;
        });
    for (auto &t : producers) t.join();
    for (unsigned c = 0; c < kConsumers; ++c) ASSERT_TRUE(PostQueuedCompletionStatus(port, 0, kStop, nullptr));
    for (auto &t : consumers) t.join();
    unsigned missing = 0, twice = 0;
    for (auto &r : received) {
        if (r == 0) ++missing;
        else if (r > 1) ++twice;
    }
    EXPECT_EQ(missing, 0u);
    EXPECT_EQ(twice, 0u);
    EXPECT_EQ(order_errors.load(), 0u);
    EXPECT_EQ(bad.load(), 0u);
    CloseHandle(port);
}

using ws2_test::FakeSource;

TEST(CompletionSource, AnEmptyPortHarvestsItsSource) {
    HANDLE port = new_port();
    auto source = std::make_shared<FakeSource>();
    ws2::win32::find_port(port)->set_source(source);
    source->complete(1);
    Dequeued d = dequeue(port, INFINITE);
    EXPECT_TRUE(d.ok);
    EXPECT_EQ(d.key, 0x5ceu);
    EXPECT_EQ(d.bytes, 100u);
    EXPECT_EQ(d.overlapped, fake_overlapped(1));
    d = dequeue(port, 0);
    EXPECT_FALSE(d.ok) << "nothing more completed";
    EXPECT_EQ(d.error, static_cast<DWORD>(WAIT_TIMEOUT));
    source->complete(2);
    d = dequeue(port, 0);  // a zero timeout still looks at the source once
    EXPECT_TRUE(d.ok);
    EXPECT_EQ(d.overlapped, fake_overlapped(2));
    d = dequeue(port, 0);
    EXPECT_TRUE(d.ok) << "the second completion was queued by the same harvest";
    EXPECT_EQ(d.overlapped, fake_overlapped(3));
    CloseHandle(port);
}

TEST(CompletionSource, OneLeaderHarvestsWhileTheOthersSleep) {
    HANDLE port = new_port(8);
    auto object = ws2::win32::find_port(port);
    auto source = std::make_shared<FakeSource>();
    object->set_source(source);
    constexpr int kThreads = 4;
    std::vector<Dequeued> got(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) threads.emplace_back([&, i] { got[i] = dequeue(port, INFINITE); });
    wait_until([&] { return source->inside() == 1 && object->waiting() == kThreads - 1; });
    source->complete(kThreads);
    for (auto &t : threads) t.join();
    std::vector<int> seen(kThreads + 1, 0);
    for (const Dequeued &d : got) {
        EXPECT_TRUE(d.ok);
        auto n = reinterpret_cast<std::uintptr_t>(d.overlapped);
        ASSERT_GE(n, 1u);
        ASSERT_LE(n, static_cast<std::uintptr_t>(kThreads));
        seen[n]++;
    }
    for (int n = 1; n <= kThreads; ++n) EXPECT_EQ(seen[n], 1) << "completion " << n;
    EXPECT_EQ(source->max_inside(), 1) << "never two harvests at once";
    CloseHandle(port);
}

TEST(CompletionSource, ALeaderLeavingHandsTheLeadToASleeper) {
    HANDLE port = new_port(4);
    auto object = ws2::win32::find_port(port);
    auto source = std::make_shared<FakeSource>();
    object->set_source(source);
    Dequeued first, second;
    std::thread a([&] { first = dequeue(port, INFINITE); });
    wait_until([&] { return source->inside() == 1; });  // a leads
    std::thread b([&] { second = dequeue(port, INFINITE); });
    wait_until([&] { return object->waiting() == 1; });  // b follows
    source->complete(1);
    a.join();  // the leader took the completion and left
    EXPECT_TRUE(first.ok);
    EXPECT_EQ(first.overlapped, fake_overlapped(1));
    wait_until([&] { return source->inside() == 1 && object->waiting() == 0; });  // b leads now
    source->complete(1);
    b.join();
    EXPECT_TRUE(second.ok);
    EXPECT_EQ(second.overlapped, fake_overlapped(2));
    EXPECT_EQ(source->max_inside(), 1);
    CloseHandle(port);
}

TEST(CompletionSource, APostInterruptsTheLeader) {
    HANDLE port = new_port();
    auto source = std::make_shared<FakeSource>();
    ws2::win32::find_port(port)->set_source(source);
    Dequeued d;
    std::thread leader([&] { d = dequeue(port, INFINITE); });
    wait_until([&] { return source->inside() == 1; });
    ASSERT_TRUE(PostQueuedCompletionStatus(port, 1, 42, nullptr));
    leader.join();
    EXPECT_TRUE(d.ok);
    EXPECT_EQ(d.key, 42u);
    CloseHandle(port);
}

TEST(CompletionSource, ClosingThePortAbandonsTheLeader) {
    HANDLE port = new_port();
    auto source = std::make_shared<FakeSource>();
    ws2::win32::find_port(port)->set_source(source);
    Dequeued d;
    std::thread leader([&] { d = dequeue(port, INFINITE); });
    wait_until([&] { return source->inside() == 1; });
    ASSERT_TRUE(CloseHandle(port));
    leader.join();
    EXPECT_FALSE(d.ok);
    EXPECT_EQ(d.error, static_cast<DWORD>(ERROR_ABANDONED_WAIT_0));
}

TEST(CompletionRouting, LowBitEventSkipsThePort) {
    ws2::win32::CompletionPort port(1);
    ws2::win32::Association associated{&port, 7, 0};
    auto event = reinterpret_cast<HANDLE>(std::uintptr_t{0x40000010});
    auto marked = reinterpret_cast<HANDLE>(std::uintptr_t{0x40000011});
    EXPECT_FALSE(ws2::win32::event_skips_port(event));
    EXPECT_TRUE(ws2::win32::event_skips_port(marked));
    EXPECT_EQ(ws2::win32::real_event(marked), event);
    auto r = ws2::win32::route_completion(&associated, marked, false);
    EXPECT_FALSE(r.queue_to_port);
    EXPECT_EQ(r.event, event) << "the real event is still set";
    r = ws2::win32::route_completion(&associated, event, false);
    EXPECT_TRUE(r.queue_to_port);
    EXPECT_EQ(r.event, event);
    EXPECT_TRUE(r.signal_handle);
    r = ws2::win32::route_completion(&associated, nullptr, true);
    EXPECT_TRUE(r.queue_to_port);
    EXPECT_EQ(r.event, nullptr);
    r = ws2::win32::route_completion(nullptr, event, false);
    EXPECT_FALSE(r.queue_to_port) << "no port, no packet";
}

TEST(CompletionRouting, NotificationModesSkipWhatTheySay) {
    ws2::win32::CompletionPort port(1);
    ws2::win32::Association skip_success{&port, 7, ws2::win32::kSkipCompletionPortOnSuccess};
    EXPECT_FALSE(ws2::win32::route_completion(&skip_success, nullptr, true).queue_to_port);
    EXPECT_TRUE(ws2::win32::route_completion(&skip_success, nullptr, false).queue_to_port)
        << "a pended operation still completes to the port";
    ws2::win32::Association skip_event{&port, 7, ws2::win32::kSkipSetEventOnHandle};
    auto r = ws2::win32::route_completion(&skip_event, nullptr, true);
    EXPECT_TRUE(r.queue_to_port);
    EXPECT_FALSE(r.signal_handle);
}

TEST(Overlapped, HasOverlappedIoCompletedReadsInternal) {
    OVERLAPPED ov{};
    ov.Internal = STATUS_PENDING;
    EXPECT_FALSE(HasOverlappedIoCompleted(&ov));
    ov.Internal = 0;
    EXPECT_TRUE(HasOverlappedIoCompleted(&ov));
}

class CompletionPortSockets : public ::testing::Test {
protected:
    void SetUp() override {
        WSADATA data;
        ASSERT_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    }
    void TearDown() override { WSACleanup(); }
    static std::uint64_t number(SOCKET s) { return static_cast<std::uint64_t>(s); }
};

TEST_F(CompletionPortSockets, CreateErrors) {
    HANDLE port = new_port();
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(s, INVALID_SOCKET);
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(INVALID_HANDLE_VALUE, port, 0, 0), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(std::uintptr_t{0x4ffffff0}), nullptr, 0, 0), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(event, port, 0, 0), nullptr) << "an event is no I/O endpoint";
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(port, port, 0, 0), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), event, 0, 0), nullptr) << "not a port";
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), reinterpret_cast<HANDLE>(std::uintptr_t{0x4ffffff0}),
                                     0, 0),
              nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    ws2::win32::Association a;
    EXPECT_FALSE(ws2::win32::association(number(s), &a)) << "failed calls associate nothing";
    closesocket(s);
    CloseHandle(event);
    CloseHandle(port);
}

TEST_F(CompletionPortSockets, AssociateASocketOnce) {
    HANDLE port = new_port();
    HANDLE other = new_port();
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ASSERT_NE(s, INVALID_SOCKET);
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), port, 0x1234, 0), port);
    ws2::win32::Association a{};
    ASSERT_TRUE(ws2::win32::association(number(s), &a));
    EXPECT_EQ(a.port, ws2::win32::find_port(port).get());
    EXPECT_EQ(a.key, 0x1234u);
    EXPECT_EQ(a.modes, 0u);
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), port, 0x99, 0), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER)) << "a handle has one port for life";
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), other, 0x99, 0), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), nullptr, 0x99, 0), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    ASSERT_TRUE(ws2::win32::association(number(s), &a));
    EXPECT_EQ(a.key, 0x1234u) << "unchanged";
    EXPECT_EQ(closesocket(s), 0);
    EXPECT_FALSE(ws2::win32::association(number(s), &a)) << "closesocket forgets the association";
    CloseHandle(other);
    CloseHandle(port);
}

TEST_F(CompletionPortSockets, CreateAndAssociateInOneCall) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(s, INVALID_SOCKET);
    HANDLE port = CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), nullptr, 5, 2);
    ASSERT_NE(port, nullptr);
    auto object = ws2::win32::find_port(port);
    ASSERT_TRUE(object);
    EXPECT_EQ(object->concurrency(), 2u);
    ULONG_PTR key = 0;
    EXPECT_EQ(ws2::win32::association_port(number(s), &key), object);
    EXPECT_EQ(key, 5u);
    // The association keeps the port alive after its handle is closed, as on Windows.
    std::weak_ptr<ws2::win32::CompletionPort> weak = object;
    object.reset();
    ASSERT_TRUE(CloseHandle(port));
    auto still = weak.lock();
    ASSERT_TRUE(still);
    EXPECT_TRUE(still->closed());
    still.reset();
    EXPECT_EQ(closesocket(s), 0);
    EXPECT_TRUE(weak.expired()) << "the last reference went with the socket";
}

TEST_F(CompletionPortSockets, ANonOverlappedSocketCannotBeAssociated) {
    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, 0);
    ASSERT_NE(s, INVALID_SOCKET);
    HANDLE port = new_port();
    SetLastError(kSentinel);
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), port, 0, 0), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    SetLastError(kSentinel);
    EXPECT_FALSE(SetFileCompletionNotificationModes(reinterpret_cast<HANDLE>(s), FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    closesocket(s);
    CloseHandle(port);
}

TEST_F(CompletionPortSockets, AReusedHandleValueStartsUnassociated) {
    HANDLE port = new_port();
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(s, INVALID_SOCKET);
    ASSERT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), port, 1, 0), port);
    ASSERT_TRUE(SetFileCompletionNotificationModes(reinterpret_cast<HANDLE>(s), FILE_SKIP_SET_EVENT_ON_HANDLE));
    ASSERT_EQ(closesocket(s), 0);
    SOCKET again = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_EQ(again, s) << "Linux hands out the lowest free descriptor";
    ws2::win32::Association a;
    EXPECT_FALSE(ws2::win32::association(number(again), &a));
    EXPECT_EQ(CreateIoCompletionPort(reinterpret_cast<HANDLE>(again), port, 2, 0), port);
    ASSERT_TRUE(ws2::win32::association(number(again), &a));
    EXPECT_EQ(a.key, 2u);
    EXPECT_EQ(a.modes, 0u) << "the old socket's modes are gone too";
    closesocket(again);
    CloseHandle(port);
}

TEST_F(CompletionPortSockets, NotificationModes) {
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ASSERT_NE(s, INVALID_SOCKET);
    auto h = reinterpret_cast<HANDLE>(s);
    SetLastError(kSentinel);
    EXPECT_FALSE(SetFileCompletionNotificationModes(h, 0x4));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    SetLastError(kSentinel);
    EXPECT_FALSE(SetFileCompletionNotificationModes(reinterpret_cast<HANDLE>(std::uintptr_t{0x4ffffff0}),
                                                    FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    HANDLE port = new_port();
    SetLastError(kSentinel);
    EXPECT_FALSE(SetFileCompletionNotificationModes(port, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));

    // Modes may come before the association, and add up: none is ever removed.
    EXPECT_TRUE(SetFileCompletionNotificationModes(h, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    ws2::win32::Association a{};
    ASSERT_TRUE(ws2::win32::association(number(s), &a));
    EXPECT_EQ(a.port, nullptr);
    EXPECT_EQ(a.modes, static_cast<std::uint32_t>(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    EXPECT_EQ(CreateIoCompletionPort(h, port, 3, 0), port);
    EXPECT_TRUE(SetFileCompletionNotificationModes(h, FILE_SKIP_SET_EVENT_ON_HANDLE));
    EXPECT_TRUE(SetFileCompletionNotificationModes(h, 0));
    ASSERT_TRUE(ws2::win32::association(number(s), &a));
    EXPECT_EQ(a.port, ws2::win32::find_port(port).get());
    EXPECT_EQ(a.key, 3u);
    EXPECT_EQ(a.modes, static_cast<std::uint32_t>(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE));
    closesocket(s);
    CloseHandle(port);
}

}  // namespace
