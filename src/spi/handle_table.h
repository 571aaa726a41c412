// A flat table indexed by handle value (a socket handle is its descriptor number), with
// lock-free reads. Storage is two-level: 1024 chunks of 4096 cells, each chunk allocated on
// first use (mapped pages, not heap) and kept until the process exits, so a reader never touches freed memory. Each
// cell is a seqlock over a few atomic words: readers retry while a writer is mid-update.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>

#include "spi/chunk_memory.h"

namespace ws2::spi {

template <class T>
class HandleTable {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    static constexpr std::uint64_t kChunkBits = 12;
    static constexpr std::uint64_t kChunkSize = std::uint64_t{1} << kChunkBits;
    static constexpr std::uint64_t kChunkCount = 1024;
    static constexpr std::uint64_t kCapacity = kChunkSize * kChunkCount;

    HandleTable() = default;
    ~HandleTable() {
        for (auto &slot : chunks_)
            if (Cell *chunk = slot.load(std::memory_order_relaxed))
                unmap_chunk(chunk, sizeof(Cell) * kChunkSize);
    }
    HandleTable(const HandleTable &) = delete;
    HandleTable &operator=(const HandleTable &) = delete;

    // False when the handle lies beyond the table or a chunk could not be allocated.
    bool store(std::uint64_t handle, const T &value) {
        Cell *c = cell(handle, /*create=*/true);
        if (c == nullptr) return false;
        c->write(true, value);
        return true;
    }

    // Stores only if the handle is currently absent.
    bool store_if_absent(std::uint64_t handle, const T &value) {
        Cell *c = cell(handle, true);
        if (c == nullptr) return false;
        return c->write_if_absent(value);
    }

    bool load(std::uint64_t handle, T *out) const {
        const Cell *c = const_cast<HandleTable *>(this)->cell(handle, false);
        return c != nullptr && c->read(out);
    }

    bool contains(std::uint64_t handle) const {
        T ignored{};
        return load(handle, &ignored);
    }

    // Read-modify-write under the cell's writer lock: f(T&) runs only if the handle is present.
    template <class F>
    bool update(std::uint64_t handle, F f) {
        Cell *c = cell(handle, false);
        if (c == nullptr) return false;
        std::uint32_t s = c->lock();
        bool present = c->present.load(std::memory_order_relaxed) != 0;
        if (present) {
            T value;
            c->copy_out(&value);
            f(value);
            c->put(true, &value);
        }
        c->unlock(s);
        return present;
    }

    // Removes the handle; returns whether it was present (and its value in *old).
    bool erase(std::uint64_t handle, T *old = nullptr) {
        Cell *c = cell(handle, false);
        if (c == nullptr) return false;
        return c->clear(old);
    }

    // Calls f(handle, value) for every present handle (a snapshot per cell).
    template <class F>
    void for_each(F f) const {
        for (std::uint64_t k = 0; k < kChunkCount; ++k) {
            Cell *chunk = chunks_[k].load(std::memory_order_acquire);
            if (chunk == nullptr) continue;
            for (std::uint64_t i = 0; i < kChunkSize; ++i) {
                T value{};
                if (chunk[i].read(&value)) f((k << kChunkBits) | i, value);
            }
        }
    }

private:
    static constexpr std::size_t kWords = (sizeof(T) + 7) / 8;

    struct Cell {
        std::atomic<std::uint32_t> seq{0};
        std::atomic<std::uint32_t> present{0};
        std::atomic<std::uint64_t> words[kWords]{};

        std::uint32_t lock() {
            for (;;) {
                std::uint32_t s = seq.load(std::memory_order_relaxed);
                if ((s & 1) == 0 &&
                    seq.compare_exchange_weak(s, s + 1, std::memory_order_acquire))
                    return s;
            }
        }
        void unlock(std::uint32_t s) { seq.store(s + 2, std::memory_order_release); }

        void put(bool is_present, const T *value) {
            std::uint64_t buf[kWords] = {};
            if (value != nullptr) std::memcpy(buf, value, sizeof(T));
            std::atomic_thread_fence(std::memory_order_release);
#pragma GCC unroll 16
            for (std::size_t w = 0; w < kWords; ++w)
                words[w].store(buf[w], std::memory_order_relaxed);
            present.store(is_present ? 1 : 0, std::memory_order_relaxed);
        }

        void write(bool is_present, const T &value) {
            std::uint32_t s = lock();
            put(is_present, &value);
            unlock(s);
        }

        bool write_if_absent(const T &value) {
            std::uint32_t s = lock();
            bool absent = present.load(std::memory_order_relaxed) == 0;
            if (absent) put(true, &value);
            unlock(s);
            return absent;
        }

        bool clear(T *old) {
            std::uint32_t s = lock();
            bool was = present.load(std::memory_order_relaxed) != 0;
            if (was && old != nullptr) copy_out(old);
            put(false, nullptr);
            unlock(s);
            return was;
        }

        void copy_out(T *out) const {
            std::uint64_t buf[kWords];
#pragma GCC unroll 16
            for (std::size_t w = 0; w < kWords; ++w)
                buf[w] = words[w].load(std::memory_order_relaxed);
            std::memcpy(out, buf, sizeof(T));
        }

        bool read(T *out) const {
            for (;;) {
                std::uint32_t s1 = seq.load(std::memory_order_acquire);
                if (s1 & 1) continue;
                bool is_present = present.load(std::memory_order_relaxed) != 0;
                if (is_present) copy_out(out);
                std::atomic_thread_fence(std::memory_order_acquire);
                if (seq.load(std::memory_order_relaxed) == s1) return is_present;
            }
        }
    };

    Cell *cell(std::uint64_t handle, bool create) {
        if (handle >= kCapacity) return nullptr;
        std::atomic<Cell *> &slot = chunks_[handle >> kChunkBits];
        Cell *chunk = slot.load(std::memory_order_acquire);
        if (chunk == nullptr) {
            if (!create) return nullptr;
            void *memory = map_zeroed_chunk(sizeof(Cell) * kChunkSize);
            if (memory == nullptr) return nullptr;
            Cell *fresh = static_cast<Cell *>(memory);
            for (std::uint64_t i = 0; i < kChunkSize; ++i) new (&fresh[i]) Cell();
            if (!slot.compare_exchange_strong(chunk, fresh, std::memory_order_acq_rel)) {
                unmap_chunk(memory, sizeof(Cell) * kChunkSize);  // another thread won the race
            } else {
                chunk = fresh;
            }
        }
        return &chunk[handle & (kChunkSize - 1)];
    }

    std::atomic<Cell *> chunks_[kChunkCount]{};
};

}  // namespace ws2::spi
