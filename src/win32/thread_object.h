// Thread objects: what a thread HANDLE names (CreateThread, OpenThread, GetCurrentThread), with
// the thread's queue of user APCs. A thread object is signalled once its thread has ended. APCs
// queued to a thread run on that thread at its next alertable wait (SleepEx,
// WaitForSingleObjectEx, WSAWaitForMultipleEvents with fAlertable), as on Windows.
#pragma once
#include <sys/types.h>
#include <windows.h>

#include <deque>
#include <memory>
#include <mutex>
#include <utility>

#include "win32/kernel_object.h"

namespace ws2::win32 {

class ThreadObject : public KernelObject {
public:
    explicit ThreadObject(pid_t tid);
    ~ThreadObject() override;
    ThreadObject(const ThreadObject &) = delete;
    ThreadObject &operator=(const ThreadObject &) = delete;

    pid_t tid() const { return tid_; }
    void set_tid(pid_t tid) { tid_ = tid; }
    int wait_descriptor() const override { return exit_fd_; }  // readable once the thread ended
    void mark_exited(DWORD code);
    bool exited(DWORD *code) const;

    // False (nothing queued) when the thread has already ended.
    bool queue_apc(PAPCFUNC function, ULONG_PTR data);
    // Readable while APCs are queued; only the thread itself consumes them.
    int apc_descriptor() const { return apc_fd_; }
    // Runs the queued APCs on the calling thread (which must be this object's thread); returns
    // how many ran.
    int run_apcs();

private:
    pid_t tid_;
    int exit_fd_, apc_fd_;
    mutable std::mutex mutex_;
    bool exited_ = false;
    DWORD exit_code_ = 0;
    std::deque<std::pair<PAPCFUNC, ULONG_PTR>> apcs_;
};

// GetCurrentThread's pseudo handle: always the calling thread, never closed.
inline HANDLE current_thread_pseudo_handle() { return reinterpret_cast<HANDLE>(static_cast<LONG_PTR>(-2)); }

// The calling thread's object (made on first use; ended when the thread exits).
std::shared_ptr<ThreadObject> current_thread();
// A live thread of this process that ws2 knows, by id (nullptr otherwise).
std::shared_ptr<ThreadObject> thread_by_id(pid_t tid);
// A thread handle (registered or the pseudo handle) to its object; nullptr for anything else.
std::shared_ptr<ThreadObject> resolve_thread(HANDLE h);
// CreateThread: starts `start(parameter)` on a new thread; its object records the routine's
// return value as the exit code. nullptr (last error set) on failure.
std::shared_ptr<ThreadObject> start_thread(LPTHREAD_START_ROUTINE start, LPVOID parameter);

}  // namespace ws2::win32
