// One atomic counter per handle value, in the same two-level layout as HandleTable (mapped
// chunks, created on first use, never freed while in use).
#pragma once
#include <atomic>
#include <cstdint>
#include <new>

#include "spi/chunk_memory.h"

namespace ws2::spi {

class CounterTable {
public:
    static constexpr std::uint64_t kChunkBits = 12;
    static constexpr std::uint64_t kChunkSize = std::uint64_t{1} << kChunkBits;
    static constexpr std::uint64_t kChunkCount = 1024;

    CounterTable() = default;
    CounterTable(const CounterTable &) = delete;
    CounterTable &operator=(const CounterTable &) = delete;

    // nullptr for a handle beyond the table or when memory ran out.
    std::atomic<std::uint32_t> *counter(std::uint64_t handle, bool create) {
        if (handle >= kChunkSize * kChunkCount) return nullptr;
        auto &slot = chunks_[handle >> kChunkBits];
        Counter *chunk = slot.load(std::memory_order_acquire);
        if (chunk == nullptr) {
            if (!create) return nullptr;
            void *memory = map_zeroed_chunk(sizeof(Counter) * kChunkSize);
            if (memory == nullptr) return nullptr;
            Counter *fresh = static_cast<Counter *>(memory);
            for (std::uint64_t i = 0; i < kChunkSize; ++i) new (&fresh[i]) Counter(0);
            if (slot.compare_exchange_strong(chunk, fresh, std::memory_order_acq_rel))
                chunk = fresh;
            else
                unmap_chunk(memory, sizeof(Counter) * kChunkSize);
        }
        return &chunk[handle & (kChunkSize - 1)];
    }

private:
    using Counter = std::atomic<std::uint32_t>;
    std::atomic<Counter *> chunks_[kChunkCount]{};
};

}  // namespace ws2::spi
