// The kernel checks user pointers for us: process_vm_readv/writev on our own pid copies
// memory and reports EFAULT for an inaccessible range. Where those calls are not allowed
// (some seccomp profiles), a private pipe does the same job: write() from the user range fails
// with EFAULT, and read() into it does too.
//
// Fast path: a range between our own stack frame and the top of the calling thread's stack is
// the caller's live stack, mapped and writable by definition. Winsock arguments usually live
// there (locals, the WSABUF that send() builds), so those copies need no system call.
#include "win32/user_memory.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace ws2::win32 {
namespace {

enum class Method { kUnknown, kProcessVm, kPipe };
std::mutex g_pipe_mutex;
int g_pipe[2] = {-1, -1};

Method choose_method() {
    int probe = 0, copy = 0;
    iovec local{&copy, sizeof copy}, remote{&probe, sizeof probe};
    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == sizeof probe) return Method::kProcessVm;
    return pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) == 0 ? Method::kPipe : Method::kUnknown;
}

Method method() {
    static const Method chosen = choose_method();  // decided once, thread-safely
    return chosen;
}

bool pipe_copy(void *dst, const void *src, std::size_t n) {
    // Chunks stay below the pipe's capacity so a write never blocks.
    constexpr std::size_t kChunk = 4096;
    std::lock_guard lock(g_pipe_mutex);
    auto *d = static_cast<char *>(dst);
    auto *s = static_cast<const char *>(src);
    while (n > 0) {
        std::size_t len = n < kChunk ? n : kChunk;
        ssize_t w = write(g_pipe[1], s, len);
        if (w != static_cast<ssize_t>(len)) {
            char drain[kChunk];
            while (read(g_pipe[0], drain, sizeof drain) > 0) {
            }
            return false;
        }
        ssize_t r = read(g_pipe[0], d, len);
        if (r != static_cast<ssize_t>(len)) {
            char drain[kChunk];
            while (read(g_pipe[0], drain, sizeof drain) > 0) {
            }
            return false;
        }
        d += len;
        s += len;
        n -= len;
    }
    return true;
}

// Learns the calling thread's stack (once per thread).
void learn_thread_stack() {
    ThreadStack &r = t_thread_stack;
    r.known = true;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *addr = nullptr;
        std::size_t size = 0;
        if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
            r.top = reinterpret_cast<std::uintptr_t>(addr) + size;
            r.size = size;
        }
        pthread_attr_destroy(&attr);
    }
}

// getpid() is a system call in glibc; the pid is cached and refreshed in a forked child.
std::atomic<pid_t> g_pid{0};
pid_t own_pid() {
    static bool registered = [] {
        pthread_atfork(nullptr, nullptr, [] { g_pid.store(getpid(), std::memory_order_relaxed); });
        return true;
    }();
    (void)registered;
    pid_t pid = g_pid.load(std::memory_order_relaxed);
    if (pid == 0) {
        pid = getpid();
        g_pid.store(pid, std::memory_order_relaxed);
    }
    return pid;
}

}  // namespace

thread_local ThreadStack t_thread_stack __attribute__((tls_model("initial-exec"))) = {0, 0, false};

bool user_range_readable(const void *user_src, std::size_t n) {
    if (n == 0) return true;
    if (user_src == nullptr) return false;
    if (!t_thread_stack.known) learn_thread_stack();
    if (on_live_stack(user_src, n, __builtin_frame_address(0))) return true;
    // Not on the stack: read_user_checked copies through the kernel, never in this thread.
    char scratch[256];
    for (std::size_t done = 0; done < n; done += sizeof scratch) {
        std::size_t part = n - done < sizeof scratch ? n - done : sizeof scratch;
        if (!read_user_checked(scratch, static_cast<const char *>(user_src) + done, part)) return false;
    }
    return true;
}

bool read_user_checked(void *dst, const void *user_src, std::size_t n) {
    if (n == 0) return true;
    if (user_src == nullptr) return false;
    if (!t_thread_stack.known) learn_thread_stack();
    if (on_live_stack(user_src, n, __builtin_frame_address(0))) {
        std::memcpy(dst, user_src, n);
        return true;
    }
    switch (method()) {
        case Method::kProcessVm: {
            iovec local{dst, n}, remote{const_cast<void *>(user_src), n};
            return process_vm_readv(own_pid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(n);
        }
        case Method::kPipe:
            return pipe_copy(dst, user_src, n);
        case Method::kUnknown:
            break;
    }
    return false;
}

bool write_user_checked(void *user_dst, const void *src, std::size_t n) {
    if (n == 0) return true;
    if (user_dst == nullptr) return false;
    if (!t_thread_stack.known) learn_thread_stack();
    if (on_live_stack(user_dst, n, __builtin_frame_address(0))) {
        std::memcpy(user_dst, src, n);
        return true;
    }
    switch (method()) {
        case Method::kProcessVm: {
            iovec local{const_cast<void *>(src), n}, remote{user_dst, n};
            return process_vm_writev(own_pid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(n);
        }
        case Method::kPipe:
            return pipe_copy(user_dst, src, n);
        case Method::kUnknown:
            break;
    }
    return false;
}

}  // namespace ws2::win32
