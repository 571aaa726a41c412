// Which engine runs: io_uring when the kernel offers it, else epoll; WS2_IO_ENGINE=io_uring or
// =epoll forces the choice (a forced io_uring that the kernel refuses falls back to epoll and
// says so on stderr).
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "io/engines.h"

namespace ws2::io {

namespace {

std::atomic<Engine *> g_started{nullptr};

// When the kernel gives neither engine (no descriptors left): every request fails at once.
class NoEngine final : public Engine {
public:
    const char *name() const override { return "none"; }
    Start start(Request *r) override {
        r->result = -ENOBUFS;
        return Start::kCompletedNow;
    }
    std::size_t cancel(int, bool (*)(const Request *, const void *), const void *) override { return 0; }
    void forget(int) override {}
};

}  // namespace

Engine *started_engine() { return g_started.load(std::memory_order_acquire); }

Engine &engine() {
    static Engine *chosen = [] {
        const char *wanted = std::getenv("WS2_IO_ENGINE");
        if (wanted != nullptr && std::strcmp(wanted, "epoll") == 0) return make_epoll_engine();
        if (Engine *e = make_uring_engine()) return e;
        if (wanted != nullptr && std::strcmp(wanted, "io_uring") == 0)
            std::fprintf(stderr, "ws2: WS2_IO_ENGINE=io_uring, but the kernel refuses io_uring; using epoll\n");
        if (Engine *e = make_epoll_engine()) return e;
        return static_cast<Engine *>(new NoEngine());
    }();
    g_started.store(chosen, std::memory_order_release);
    return *chosen;
}

}  // namespace ws2::io
