// Which hop each of a layer's sockets goes through: a two-level table indexed by the handle
// value (handles are small integers on ws2), read without locks on every call.
#pragma once
#include <winsock2.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>

#include "providers/layer_kit/next_provider.h"

namespace ws2::layer {

class SocketHops {
public:
    SocketHops() {
        for (auto &chunk : chunks_) chunk.store(nullptr, std::memory_order_relaxed);
    }
    ~SocketHops() {
        for (auto &chunk : chunks_) delete[] chunk.load(std::memory_order_relaxed);
    }
    SocketHops(const SocketHops &) = delete;
    SocketHops &operator=(const SocketHops &) = delete;

    const NextHop *find(SOCKET s) const {
        if (s >= kCapacity) return nullptr;
        Slot *chunk = chunks_[s / kChunk].load(std::memory_order_acquire);
        return chunk == nullptr ? nullptr : chunk[s % kChunk].load(std::memory_order_acquire);
    }
    // False when the handle is beyond the table or memory runs out.
    bool set(SOCKET s, const NextHop *hop) {
        if (s >= kCapacity) return false;
        Slot *chunk = chunks_[s / kChunk].load(std::memory_order_acquire);
        if (chunk == nullptr) {
            std::lock_guard lock(grow_);
            chunk = chunks_[s / kChunk].load(std::memory_order_acquire);
            if (chunk == nullptr) {
                chunk = new (std::nothrow) Slot[kChunk];
                if (chunk == nullptr) return false;
                for (std::size_t i = 0; i < kChunk; ++i) chunk[i].store(nullptr, std::memory_order_relaxed);
                chunks_[s / kChunk].store(chunk, std::memory_order_release);
            }
        }
        chunk[s % kChunk].store(hop, std::memory_order_release);
        return true;
    }
    void clear(SOCKET s) {
        if (find(s) != nullptr) set(s, nullptr);
    }
    void clear_all() {
        for (auto &chunk : chunks_)
            if (Slot *c = chunk.load(std::memory_order_acquire))
                for (std::size_t i = 0; i < kChunk; ++i) c[i].store(nullptr, std::memory_order_release);
    }

private:
    using Slot = std::atomic<const NextHop *>;
    static constexpr std::size_t kChunk = 4096;
    static constexpr std::size_t kChunks = 1024;
    static constexpr SOCKET kCapacity = kChunk * kChunks;
    std::atomic<Slot *> chunks_[kChunks];
    std::mutex grow_;
};

}  // namespace ws2::layer
