#include "win32/thread_object.h"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <semaphore>
#include <unordered_map>

#include "win32/last_error.h"

namespace ws2::win32 {
namespace {

std::mutex &threads_mutex() {
    static auto *m = new std::mutex();
    return *m;
}
std::unordered_map<pid_t, std::weak_ptr<ThreadObject>> &threads_by_id() {
    static auto *map = new std::unordered_map<pid_t, std::weak_ptr<ThreadObject>>();
    return *map;
}

void remember(const std::shared_ptr<ThreadObject> &t) {
    std::lock_guard lock(threads_mutex());
    threads_by_id()[t->tid()] = t;
}

// The calling thread's object; its destructor runs at thread exit and signals the object.
struct CurrentThread {
    std::shared_ptr<ThreadObject> object;
    ~CurrentThread() {
        if (!object) return;
        object->mark_exited(0);  // no effect if the routine's return value was recorded
        std::lock_guard lock(threads_mutex());
        auto it = threads_by_id().find(object->tid());
        if (it != threads_by_id().end() && it->second.lock() == object) threads_by_id().erase(it);
    }
};
thread_local CurrentThread t_current;

void signal(int fd) {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(fd, &one, sizeof one);
}

struct StartBlock {
    std::shared_ptr<ThreadObject> object;
    LPTHREAD_START_ROUTINE start;
    LPVOID parameter;
    std::shared_ptr<std::binary_semaphore> known;  // the creator waits until the id is set
};

void *thread_main(void *arg) {
    std::unique_ptr<StartBlock> block(static_cast<StartBlock *>(arg));
    block->object->set_tid(gettid());
    t_current.object = block->object;
    remember(block->object);
    block->known->release();
    DWORD code = block->start(block->parameter);
    block->object->mark_exited(code);
    return nullptr;
}

}  // namespace

ThreadObject::ThreadObject(pid_t tid)
    : tid_(tid), exit_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)), apc_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

ThreadObject::~ThreadObject() {
    if (exit_fd_ >= 0) close(exit_fd_);
    if (apc_fd_ >= 0) close(apc_fd_);
}

void ThreadObject::mark_exited(DWORD code) {
    std::lock_guard lock(mutex_);
    if (exited_) return;
    exited_ = true;
    exit_code_ = code;
    apcs_.clear();  // APCs never run on a thread that has ended
    signal(exit_fd_);
}

bool ThreadObject::exited(DWORD *code) const {
    std::lock_guard lock(mutex_);
    if (exited_ && code != nullptr) *code = exit_code_;
    return exited_;
}

bool ThreadObject::queue_apc(PAPCFUNC function, ULONG_PTR data) {
    std::lock_guard lock(mutex_);
    if (exited_) return false;
    apcs_.emplace_back(function, data);
    signal(apc_fd_);
    return true;
}

int ThreadObject::run_apcs() {
    int ran = 0;
    for (;;) {
        std::pair<PAPCFUNC, ULONG_PTR> next;
        {
            std::lock_guard lock(mutex_);
            if (apcs_.empty()) {
                std::uint64_t drained;
                [[maybe_unused]] ssize_t n = read(apc_fd_, &drained, sizeof drained);
                return ran;
            }
            next = apcs_.front();
            apcs_.pop_front();
        }
        next.first(next.second);  // user code: no lock held
        ++ran;
    }
}

std::shared_ptr<ThreadObject> current_thread() {
    if (!t_current.object) {
        t_current.object = std::make_shared<ThreadObject>(gettid());
        remember(t_current.object);
    }
    return t_current.object;
}

std::shared_ptr<ThreadObject> thread_by_id(pid_t tid) {
    if (tid == gettid()) return current_thread();
    std::lock_guard lock(threads_mutex());
    auto it = threads_by_id().find(tid);
    return it == threads_by_id().end() ? nullptr : it->second.lock();
}

std::shared_ptr<ThreadObject> resolve_thread(HANDLE h) {
    if (h == current_thread_pseudo_handle()) return current_thread();
    return find_object_as<ThreadObject>(h);
}

std::shared_ptr<ThreadObject> start_thread(LPTHREAD_START_ROUTINE start, LPVOID parameter) {
    auto object = std::make_shared<ThreadObject>(0);
    if (object->wait_descriptor() < 0 || object->apc_descriptor() < 0) {
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    auto known = std::make_shared<std::binary_semaphore>(0);
    auto *block = new StartBlock{object, start, parameter, known};
    pthread_t thread;
    if (pthread_create(&thread, nullptr, thread_main, block) != 0) {
        delete block;
        set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    pthread_detach(thread);
    known->acquire();  // CreateThread reports the new thread's id
    return object;
}

}  // namespace ws2::win32
