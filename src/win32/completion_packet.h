// One I/O completion packet and the FIFO that holds a port's queued packets.
#pragma once
#include <windows.h>

#include <cstddef>
#include <memory>

namespace ws2::win32 {

struct CompletionPacket {
    ULONG_PTR key;
    LPOVERLAPPED overlapped;
    DWORD bytes;
    DWORD status;  // Win32 error code of the operation (0: success)
};

// A growable ring: pushes and pops without an allocation once it has grown to the peak depth.
class PacketQueue {
public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }

    void push(const CompletionPacket &p) {
        if (size_ == capacity_) grow();
        slots_[(head_ + size_) & (capacity_ - 1)] = p;
        ++size_;
    }

    CompletionPacket pop() {
        CompletionPacket p = slots_[head_];
        head_ = (head_ + 1) & (capacity_ - 1);
        --size_;
        return p;
    }

    void clear() { head_ = size_ = 0; }

private:
    void grow() {
        std::size_t bigger = capacity_ == 0 ? 64 : capacity_ * 2;
        auto fresh = std::make_unique<CompletionPacket[]>(bigger);
        for (std::size_t i = 0; i < size_; ++i) fresh[i] = slots_[(head_ + i) & (capacity_ - 1)];
        slots_ = std::move(fresh);
        capacity_ = bigger;
        head_ = 0;
    }

    std::unique_ptr<CompletionPacket[]> slots_;
    std::size_t capacity_ = 0, head_ = 0, size_ = 0;  // capacity_ is 0 or a power of two
};

}  // namespace ws2::win32
