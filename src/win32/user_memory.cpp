// The kernel checks user pointers for us: process_vm_readv/writev on our own pid copies
// memory and reports EFAULT for an inaccessible range. Where those calls are not allowed
// (some seccomp profiles), a private pipe does the same job: write() from the user range fails
// with EFAULT, and read() into it does too.
#include "win32/user_memory.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
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

}  // namespace

bool read_user(void *dst, const void *user_src, std::size_t n) {
    if (n == 0) return true;
    if (user_src == nullptr) return false;
    switch (method()) {
        case Method::kProcessVm: {
            iovec local{dst, n}, remote{const_cast<void *>(user_src), n};
            return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(n);
        }
        case Method::kPipe:
            return pipe_copy(dst, user_src, n);
        case Method::kUnknown:
            break;
    }
    return false;
}

bool write_user(void *user_dst, const void *src, std::size_t n) {
    if (n == 0) return true;
    if (user_dst == nullptr) return false;
    switch (method()) {
        case Method::kProcessVm: {
            iovec local{const_cast<void *>(src), n}, remote{user_dst, n};
            return process_vm_writev(getpid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(n);
        }
        case Method::kPipe:
            return pipe_copy(user_dst, src, n);
        case Method::kUnknown:
            break;
    }
    return false;
}

}  // namespace ws2::win32
