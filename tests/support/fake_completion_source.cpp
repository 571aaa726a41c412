#include "support/fake_completion_source.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "win32/completion_port.h"

namespace ws2_test {

FakeSource::FakeSource() : device_(eventfd(0, EFD_NONBLOCK)), wake_(eventfd(0, EFD_NONBLOCK)) {}

FakeSource::~FakeSource() {
    close(device_);
    close(wake_);
}

void FakeSource::complete(std::uint64_t n) { [[maybe_unused]] ssize_t r = write(device_, &n, sizeof n); }

void FakeSource::harvest(ws2::win32::CompletionPort &port, int timeout_ms) {
    int now = ++inside_;
    for (int seen = max_inside_.load(); now > seen && !max_inside_.compare_exchange_weak(seen, now);) {
    }
    pollfd fds[2] = {{device_, POLLIN, 0}, {wake_, POLLIN, 0}};
    if (::poll(fds, 2, timeout_ms) > 0) {
        std::uint64_t n = 0;
        if (fds[1].revents & POLLIN) [[maybe_unused]] ssize_t r = read(wake_, &n, sizeof n);
        n = 0;
        if ((fds[0].revents & POLLIN) && read(device_, &n, sizeof n) == sizeof n)
            for (std::uint64_t i = 0; i < n; ++i)
                port.post(100, 0x5ce, reinterpret_cast<LPOVERLAPPED>(++posted_), 0);
    }
    --inside_;
}

void FakeSource::wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t r = write(wake_, &one, sizeof one);
}

}  // namespace ws2_test
