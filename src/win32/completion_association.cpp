#include "win32/completion_association.h"

#include <array>
#include <mutex>

namespace ws2::win32 {
namespace {

// Taking a reference (association_port) and dropping the record's (forget_association) meet
// under one of these, so a reference is never copied from a record being freed.
constexpr std::size_t kStripes = 64;
std::array<std::mutex, kStripes> &stripes() {
    static auto *s = new std::array<std::mutex, kStripes>();  // never destroyed: used during exit
    return *s;
}
std::mutex &stripe(std::uint64_t handle) { return stripes()[handle % kStripes]; }

// Inserting or updating a record retries when a concurrent forget removed it in between; a
// record that can be neither stored nor found means the table has no room for the handle.
constexpr int kAttempts = 64;

}  // namespace

AssociationTable &associations() {
    static auto *table = new AssociationTable();  // never destroyed: handles may be used during exit
    return *table;
}

std::shared_ptr<CompletionPort> association_port(std::uint64_t handle, ULONG_PTR *key) {
    std::lock_guard lock(stripe(handle));
    AssociationRecord r;
    if (!associations().load(handle, &r) || r.port == nullptr) return nullptr;
    if (key != nullptr) *key = r.key;
    return *r.owner;
}

Associate associate(std::uint64_t handle, const std::shared_ptr<CompletionPort> &port, ULONG_PTR key) {
    if (handle >= AssociationTable::kCapacity) return Associate::kNoRoom;
    auto *owner = new std::shared_ptr<CompletionPort>(port);
    AssociationRecord fresh{port.get(), owner, key, 0};
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        if (associations().store_if_absent(handle, fresh)) return Associate::kDone;
        bool taken = false;
        bool present = associations().update(handle, [&](AssociationRecord &r) {
            if (r.port != nullptr) {
                taken = true;  // one port per handle, for the handle's life
                return;
            }
            r.port = fresh.port;
            r.owner = owner;
            r.key = key;
        });
        if (present) {
            if (!taken) return Associate::kDone;
            delete owner;
            return Associate::kAlreadyAssociated;
        }
    }
    delete owner;
    return Associate::kNoRoom;
}

bool add_notification_modes(std::uint64_t handle, std::uint32_t modes) {
    if (handle >= AssociationTable::kCapacity) return false;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        if (associations().update(handle, [&](AssociationRecord &r) { r.modes |= modes; })) return true;
        if (associations().store_if_absent(handle, AssociationRecord{nullptr, nullptr, 0, modes})) return true;
    }
    return false;
}

void forget_association(std::uint64_t handle) {
    if (!associations().contains(handle)) return;  // most sockets never meet a port
    AssociationRecord old{};
    bool was;
    {
        std::lock_guard lock(stripe(handle));
        was = associations().erase(handle, &old);
    }
    if (was) delete old.owner;  // may destroy a port whose handle is already closed
}

}  // namespace ws2::win32
