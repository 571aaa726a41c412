#include "win32/overlapped_completion.h"

#include <cstdint>
#include <new>

#include "win32/completion_routing.h"
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

}  // namespace

void complete_overlapped(const CompletionTarget &t, DWORD error, DWORD bytes, DWORD flags, bool at_once) {
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
    Association record{};
    std::shared_ptr<CompletionPort> port = t.port;
    bool associated;
    if (t.captured) {
        associated = true;
        record = Association{port.get(), t.key, t.modes};
    } else {
        associated = association(t.socket, &record);
        if (associated && record.port != nullptr) port = association_port(t.socket, &record.key);
        record.port = port.get();
    }
    CompletionRouting route = route_completion(associated ? &record : nullptr, t.event, at_once && error == 0);
    if (route.queue_to_port && port) port->post(bytes, record.key, ov, win32_error_from_error(error));
    if (route.event != nullptr) set_event(route.event);
}

void capture_association(CompletionTarget *target) {
    Association record{};
    if (!association(target->socket, &record)) return;
    target->captured = true;
    target->modes = record.modes;
    if (record.port != nullptr) target->port = association_port(target->socket, &target->key);
}

CompletionTarget target_for(SOCKET socket, LPWSAOVERLAPPED overlapped,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) {
    CompletionTarget target;
    target.socket = socket;
    target.overlapped = overlapped;
    target.event = overlapped->hEvent;
    target.routine = routine;
    target.issuer = current_thread();
    capture_association(&target);
    return target;
}

void wait_for_overlapped(LPWSAOVERLAPPED overlapped) {
    wait_status_change(&overlapped->Internal, kStatusPending);
}

}  // namespace ws2::win32
