#include "io/fd_queues.h"

#include <cstring>

namespace ws2::io {

bool Request::set_buffers(const Buffer *source, unsigned n) {
    if (n <= 4) {
        buffers = inline_buffers;
    } else {
        more_buffers.reset(new (std::nothrow) Buffer[n]);
        if (!more_buffers) return false;
        buffers = more_buffers.get();
    }
    if (n > 0) std::memcpy(buffers, source, n * sizeof(Buffer));
    count = n;
    return true;
}

std::uint64_t Request::total_length() const {
    std::uint64_t total = 0;
    for (unsigned i = 0; i < count; ++i) total += buffers[i].length;
    return total;
}

bool FdQueue::push(Request *r) {
    int d = direction(r);
    r->next = nullptr;
    if (tail[d] == nullptr) {
        head[d] = tail[d] = r;
        return true;
    }
    tail[d]->next = r;
    tail[d] = r;
    return false;
}

Request *FdQueue::pop_head(Request *r) {
    int d = direction(r);
    head[d] = r->next;
    if (head[d] == nullptr) tail[d] = nullptr;
    r->next = nullptr;
    return head[d];
}

bool FdQueue::unlink_waiting(Request *r) {
    int d = direction(r);
    for (Request *prev = head[d]; prev != nullptr && prev->next != nullptr; prev = prev->next) {
        if (prev->next != r) continue;
        prev->next = r->next;
        if (tail[d] == r) tail[d] = prev;
        r->next = nullptr;
        return true;
    }
    return false;
}

std::shared_ptr<FdQueue> FdQueues::get(int fd, bool *created) {
    std::lock_guard lock(mutex_);
    auto &slot = queues_[fd];
    *created = slot == nullptr;
    if (*created) slot = std::make_shared<FdQueue>(fd);
    return slot;
}

std::shared_ptr<FdQueue> FdQueues::find(int fd) {
    std::lock_guard lock(mutex_);
    auto it = queues_.find(fd);
    return it == queues_.end() ? nullptr : it->second;
}

std::shared_ptr<FdQueue> FdQueues::take(int fd) {
    std::lock_guard lock(mutex_);
    auto it = queues_.find(fd);
    if (it == queues_.end()) return nullptr;
    std::shared_ptr<FdQueue> q = std::move(it->second);
    queues_.erase(it);
    return q;
}

}  // namespace ws2::io
