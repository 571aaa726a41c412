#include "raw_linux_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

namespace raw_linux_queue {
namespace {

struct Packet {
  std::uintptr_t key;
  void *overlapped;
  std::uint32_t bytes, status;
};

// The queue a completion port would be without Windows' rules: FIFO, one condvar, notify only
// when somebody waits.
class CondvarQueue {
 public:
  void push(const Packet &p) {
    bool wake;
    {
      std::lock_guard lock(mutex_);
      packets_.push_back(p);
      wake = waiting_ > 0;
    }
    if (wake) ready_.notify_one();
  }
  Packet pop() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    ready_.wait(lock, [&] { return !packets_.empty(); });
    --waiting_;
    Packet p = packets_.front();
    packets_.pop_front();
    return p;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Packet> packets_;
  int waiting_ = 0;
};

void post(int fd) {
  std::uint64_t one = 1;
  if (write(fd, &one, sizeof one) != sizeof one) std::abort();
}
std::uint64_t take(int fd) {
  std::uint64_t n;
  if (read(fd, &n, sizeof n) != sizeof n) std::abort();
  return n;
}

}  // namespace

void eventfd_round_trip(benchmark::State &state) {
  int fd = eventfd(0, EFD_CLOEXEC);
  for (auto _ : state) {
    post(fd);
    benchmark::DoNotOptimize(take(fd));
  }
  close(fd);
}

void condvar_round_trip(benchmark::State &state) {
  CondvarQueue q;
  std::uintptr_t i = 0;
  for (auto _ : state) {
    q.push(Packet{++i, nullptr, 1, 0});
    benchmark::DoNotOptimize(q.pop());
  }
}

void eventfd_ping_pong(benchmark::State &state) {
  int ping = eventfd(0, EFD_CLOEXEC), pong = eventfd(0, EFD_CLOEXEC);
  std::thread partner([&] {
    for (;;) {
      if (take(ping) > 1) return;  // 2: stop
      post(pong);
    }
  });
  for (auto _ : state) {
    post(ping);
    take(pong);
  }
  std::uint64_t stop = 2;
  if (write(ping, &stop, sizeof stop) != sizeof stop) std::abort();
  partner.join();
  close(ping);
  close(pong);
}

void condvar_ping_pong(benchmark::State &state) {
  CondvarQueue ping, pong;
  std::thread partner([&] {
    for (;;) {
      Packet p = ping.pop();
      if (p.key == 0) return;
      pong.push(p);
    }
  });
  for (auto _ : state) {
    ping.push(Packet{1, nullptr, 1, 0});
    benchmark::DoNotOptimize(pong.pop());
  }
  ping.push(Packet{0, nullptr, 0, 0});
  partner.join();
}

}  // namespace raw_linux_queue
