#include "providers/base/kernel_share.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <new>
#include <thread>

namespace ws2::base::kernel {
namespace {

constexpr std::uint32_t kRequestMagic = 0x57533252;  // "WS2R"
// A broker serves one request at a time: a client that stalls is dropped after this long.
constexpr int kBrokerIoTimeoutMs = 2000;
// A target waits this long for the broker's answer before giving up.
constexpr int kClientIoTimeoutMs = 10000;

struct Request {
    std::uint32_t magic;
    std::uint32_t token;
};

struct Reply {
    std::int32_t status;  // 0 or an errno value
    unsigned char state[kShareStateBytes];
};

struct Broker {
    std::mutex mutex;
    pid_t owner = 0;  // the process that started it (a forked child must start its own)
    int listener = -1;
    int stop = -1;  // eventfd: readable when the thread must end
    std::thread thread;
};

Broker &broker() {
    static auto *b = new Broker();
    return *b;
}

// "\0ws2-share-<pid>": abstract, so nothing is left in the file system and the name vanishes
// with the process.
socklen_t broker_address(std::uint32_t pid, sockaddr_un *out) {
    std::memset(out, 0, sizeof *out);
    out->sun_family = AF_UNIX;
    int n = std::snprintf(out->sun_path + 1, sizeof out->sun_path - 1, "ws2-share-%u", pid);
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + n);
}

void set_timeouts(int fd, int ms) {
    timeval tv{ms / 1000, (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void send_reply(int connection, const Reply &reply, int fd) {
    iovec iov{const_cast<Reply *>(&reply), sizeof reply};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (fd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    sendmsg(connection, &msg, MSG_NOSIGNAL);
}

// One request: the caller's pid comes from the kernel (SO_PEERCRED), never from the request.
void serve(int connection, ClaimShare claim) {
    set_timeouts(connection, kBrokerIoTimeoutMs);
    ucred peer{};
    socklen_t len = sizeof peer;
    Request request{};
    Reply reply{};
    reply.status = EACCES;
    if (getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 ||
        recv(connection, &request, sizeof request, 0) != static_cast<ssize_t>(sizeof request) ||
        request.magic != kRequestMagic) {
        send_reply(connection, reply, -1);
        return;
    }
    int fd = -1;
    if (!claim(request.token, static_cast<std::uint32_t>(peer.pid), &fd, reply.state)) {
        send_reply(connection, reply, -1);
        return;
    }
    // The token is spent whether or not the target is still there to receive it.
    reply.status = 0;
    send_reply(connection, reply, fd);
    ::close(fd);
}

void run_broker(int listener, int stop, ClaimShare claim) {
    for (;;) {
        pollfd p[2] = {{listener, POLLIN, 0}, {stop, POLLIN, 0}};
        if (::poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (p[1].revents != 0) return;
        int connection = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection < 0) continue;
        serve(connection, claim);
        ::close(connection);
    }
}

// After fork the thread object names a thread of the parent: it is dropped without being
// joined or detached (either would act on a thread this process does not have).
void forget_thread(std::thread *t) { new (t) std::thread(); }

}  // namespace

std::uint32_t current_pid() { return static_cast<std::uint32_t>(getpid()); }

bool process_exists(std::uint32_t pid) {
    // 0 and anything beyond pid_t are no process; kill(-1, 0) would even mean "every process".
    if (pid == 0 || pid > static_cast<std::uint32_t>(INT_MAX)) return false;
    return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::uint32_t random_token() {
    std::uint32_t value = 0;
    if (getrandom(&value, sizeof value, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof value)) {
        static std::atomic<std::uint32_t> counter{0};
        timespec ts{};
        clock_gettime(CLOCK_MONOTONIC, &ts);
        value = static_cast<std::uint32_t>(ts.tv_nsec) ^ (counter.fetch_add(0x9E3779B9u) + 1);
    }
    return value != 0 ? value : 1;
}

int duplicate_descriptor(int fd) {
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return copy >= 0 ? copy : -errno;
}

int set_inheritable(int fd, bool inheritable) {
    return fcntl(fd, F_SETFD, inheritable ? 0 : FD_CLOEXEC) == 0 ? 0 : -errno;
}

int start_share_broker(ClaimShare claim) {
    Broker &b = broker();
    std::lock_guard lock(b.mutex);
    pid_t self = getpid();
    if (b.listener >= 0 && b.owner == self) return 0;
    if (b.listener >= 0) {
        // Inherited through fork: the thread does not exist here; the parent's name is not ours.
        ::close(b.listener);
        ::close(b.stop);
        forget_thread(&b.thread);
        b.listener = b.stop = -1;
    }
    int listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (listener < 0) return -errno;
    sockaddr_un address;
    socklen_t length = broker_address(static_cast<std::uint32_t>(self), &address);
    if (bind(listener, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
        listen(listener, 64) != 0) {
        int e = errno;
        ::close(listener);
        return -e;
    }
    int stop = eventfd(0, EFD_CLOEXEC);
    if (stop < 0) {
        int e = errno;
        ::close(listener);
        return -e;
    }
    try {
        b.thread = std::thread(run_broker, listener, stop, claim);
    } catch (...) {
        ::close(listener);
        ::close(stop);
        return -EAGAIN;
    }
    b.owner = self;
    b.listener = listener;
    b.stop = stop;
    return 0;
}

void stop_share_broker() {
    Broker &b = broker();
    std::lock_guard lock(b.mutex);
    if (b.listener < 0) return;
    if (b.owner == getpid()) {
        std::uint64_t one = 1;
        (void)!write(b.stop, &one, sizeof one);
        b.thread.join();
    } else {
        forget_thread(&b.thread);
    }
    ::close(b.listener);
    ::close(b.stop);
    b.listener = b.stop = -1;
}

int receive_shared_socket(std::uint32_t source_pid, std::uint32_t token, bool inheritable,
                          unsigned char *state) {
    int connection = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (connection < 0) return -errno;
    set_timeouts(connection, kClientIoTimeoutMs);
    sockaddr_un address;
    socklen_t length = broker_address(source_pid, &address);
    Request request{kRequestMagic, token};
    if (connect(connection, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
        send(connection, &request, sizeof request, MSG_NOSIGNAL) !=
            static_cast<ssize_t>(sizeof request)) {
        int e = errno;
        ::close(connection);
        return -e;
    }
    Reply reply{};
    iovec iov{&reply, sizeof reply};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(connection, &msg, MSG_CMSG_CLOEXEC);
    int e = n < 0 ? errno : 0;
    ::close(connection);

    // Collect the descriptor; anything unexpected that came along is closed.
    int fd = -1;
    for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
            int received;
            std::memcpy(&received, CMSG_DATA(c) + i * sizeof(int), sizeof received);
            if (fd < 0)
                fd = received;
            else
                ::close(received);
        }
    }
    if (n < 0 || n != static_cast<ssize_t>(sizeof reply) || reply.status != 0 || fd < 0) {
        if (fd >= 0) ::close(fd);
        if (n < 0) return -e;
        return -(reply.status != 0 ? reply.status : EPROTO);
    }
    if (inheritable && set_inheritable(fd, true) != 0) {
        e = errno;
        ::close(fd);
        return -e;
    }
    std::memcpy(state, reply.state, kShareStateBytes);
    return fd;
}

int retire_descriptor(int fd) {
    // An unconnected Unix socket shut down both ways: a call that still reaches the number
    // returns at once instead of blocking.
    int placeholder = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (placeholder < 0) return -errno;
    ::shutdown(placeholder, SHUT_RDWR);
    int rc = dup3(placeholder, fd, O_CLOEXEC);
    int e = errno;
    ::close(placeholder);
    return rc >= 0 ? 0 : -e;
}

}  // namespace ws2::base::kernel
