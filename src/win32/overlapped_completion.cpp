#include "win32/overlapped_completion.h"

#include <cstdint>
#include <new>

#include "win32/event_object.h"
#include "win32/io_status.h"
#include "win32/status_wait.h"

namespace ws2::win32 {
namespace {

// A completion routine's call, carried through the APC queue's single parameter.
struct RoutineCall {
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    DWORD error, bytes, flags;
    LPWSAOVERLAPPED overlapped;
};

void CALLBACK run_routine(ULONG_PTR parameter) {
    auto *call = reinterpret_cast<RoutineCall *>(parameter);
    RoutineCall c = *call;
    delete call;
    c.routine(c.error, c.bytes, c.overlapped, c.flags);
}

HANDLE real_event(HANDLE event) {
    return reinterpret_cast<HANDLE>(reinterpret_cast<std::uintptr_t>(event) & ~std::uintptr_t{1});
}

}  // namespace

void complete_overlapped(const CompletionTarget &t, DWORD error, DWORD bytes, DWORD flags, bool at_once) {
    (void)at_once;
    LPWSAOVERLAPPED ov = t.overlapped;
    ov->Offset = flags;
    ov->InternalHigh = bytes;
    __atomic_store_n(&ov->Internal, status_from_error(error), __ATOMIC_RELEASE);
    wake_status_waiters(&ov->Internal);

    if (t.routine != nullptr) {
        // Runs at the issuing thread's next alertable wait; a thread that has ended gets none.
        auto *call = new (std::nothrow) RoutineCall{t.routine, error, bytes, flags, ov};
        if (call != nullptr && !(t.issuer && t.issuer->queue_apc(run_routine, reinterpret_cast<ULONG_PTR>(call))))
            delete call;
        return;
    }
    if (HANDLE event = real_event(t.event)) set_event(event);
}

void wait_for_overlapped(LPWSAOVERLAPPED overlapped) {
    wait_status_change(&overlapped->Internal, kStatusPending);
}

}  // namespace ws2::win32
