// The flat, lock-free handle table behind ws2_32's socket registry.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "spi/handle_table.h"

namespace {

struct Value {
    std::uint64_t a, b;  // written together; a reader must never see a mix
};

TEST(HandleTable, StoresLoadsAndErases) {
    ws2::spi::HandleTable<Value> table;
    Value v{};
    EXPECT_FALSE(table.load(5, &v));
    EXPECT_TRUE(table.store(5, {1, 2}));
    ASSERT_TRUE(table.load(5, &v));
    EXPECT_EQ(v.a, 1u);
    EXPECT_EQ(v.b, 2u);
    EXPECT_FALSE(table.store_if_absent(5, {3, 4}));
    EXPECT_TRUE(table.erase(5, &v));
    EXPECT_EQ(v.a, 1u);
    EXPECT_FALSE(table.erase(5));
    EXPECT_TRUE(table.store_if_absent(5, {3, 4}));
    EXPECT_TRUE(table.contains(5));
}

TEST(HandleTable, RefusesHandlesBeyondItsCapacity) {
    ws2::spi::HandleTable<Value> table;
    using Table = ws2::spi::HandleTable<Value>;
    EXPECT_TRUE(table.store(Table::kCapacity - 1, {1, 1}));
    EXPECT_FALSE(table.store(Table::kCapacity, {1, 1}));
    EXPECT_FALSE(table.store(~std::uint64_t{0}, {1, 1}));  // INVALID_SOCKET
    EXPECT_FALSE(table.contains(~std::uint64_t{0}));
}

TEST(HandleTable, ForEachVisitsPresentHandlesAcrossChunks) {
    ws2::spi::HandleTable<Value> table;
    std::vector<std::uint64_t> handles = {0, 7, 4095, 4096, 100000};
    for (auto h : handles) table.store(h, {h, h});
    table.erase(7);
    std::vector<std::uint64_t> seen;
    table.for_each([&](std::uint64_t h, const Value &v) {
        EXPECT_EQ(v.a, h);
        seen.push_back(h);
    });
    EXPECT_EQ(seen, (std::vector<std::uint64_t>{0, 4095, 4096, 100000}));
}

TEST(HandleTable, ReadersNeverSeeATornValue) {
    ws2::spi::HandleTable<Value> table;
    std::atomic<bool> stop{false};
    std::atomic<long> torn{0}, reads{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r)
        readers.emplace_back([&] {
            Value v{};
            while (!stop.load()) {
                for (std::uint64_t h = 0; h < 8; ++h)
                    if (table.load(h, &v)) {
                        reads.fetch_add(1, std::memory_order_relaxed);
                        if (v.a != v.b) torn.fetch_add(1);
                    }
            }
        });
    for (std::uint64_t i = 0; i < 200000; ++i) {
        std::uint64_t h = i % 8;
        if (i % 3 == 0) table.erase(h);
        else table.store(h, {i, i});
    }
    stop = true;
    for (auto &t : readers) t.join();
    EXPECT_EQ(torn.load(), 0);
}

}  // namespace
