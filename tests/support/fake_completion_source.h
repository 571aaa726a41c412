// A stand-in for an I/O engine's ring, to test the completion port's source hook: completions
// "arrive" on an eventfd; harvest posts one packet per completion (key 0x5ce, 100 bytes, the
// OVERLAPPED pointer numbering the completions from 1). It records how many harvests ran at
// once. Its own translation unit: <poll.h> cannot meet <winsock2.h>.
#pragma once
#include <atomic>
#include <cstdint>

#include "win32/completion_source.h"

namespace ws2_test {

class FakeSource : public ws2::win32::CompletionSource {
public:
    FakeSource();
    ~FakeSource() override;
    // n operations complete.
    void complete(std::uint64_t n);
    void harvest(ws2::win32::CompletionPort &port, int timeout_ms) override;
    void wake() override;
    int inside() const { return inside_; }
    int max_inside() const { return max_inside_; }

private:
    int device_, wake_;
    std::atomic<int> inside_{0}, max_inside_{0};
    std::atomic<std::uintptr_t> posted_{0};
};

}  // namespace ws2_test
