// WSAStartup / WSACleanup: version negotiation as Windows does it, a process reference count,
// the installed catalog read at the first WSAStartup (a damaged catalog file: WSASYSNOTREADY),
// and at the last WSACleanup every socket of the process closed and every provider cleaned up.
#include <winsock2.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "api/process.h"
#include "catalog/installed_catalog.h"
#include "spi/provider.h"
#include "spi/socket_registry.h"
#include "win32/completion_association.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"

namespace ws2::api {
namespace {

std::mutex g_startup_mutex;
int g_startup_count = 0;  // guarded by g_startup_mutex
std::atomic<const catalog::Catalog *> g_catalog{nullptr};
// Catalogs of ended sessions stay allocated: a racing call may still be reading one.
std::vector<std::unique_ptr<catalog::Catalog>> g_catalogs;

// Windows' answer for each requested version (low byte major, high byte minor).
WORD negotiate(WORD requested, int *result) {
    BYTE major = LOBYTE(requested), minor = HIBYTE(requested);
    *result = 0;
    if (major == 0) {
        *result = WSAVERNOTSUPPORTED;
        return MAKEWORD(2, 2);
    }
    if (major == 1) return minor == 0 ? MAKEWORD(1, 0) : MAKEWORD(1, 1);
    if (major == 2) return MAKEWORD(2, std::min<BYTE>(minor, 2));
    return MAKEWORD(2, 2);
}

bool fill_wsadata(LPWSADATA out, WORD version) {
    // lpVendorInfo is left untouched, as Windows leaves it.
    struct Head {
        WORD wVersion, wHighVersion;
        unsigned short iMaxSockets, iMaxUdpDg;
    } head{version, MAKEWORD(2, 2), 0, 0};
    if (LOBYTE(version) == 1) {
        head.iMaxSockets = 32767;
        head.iMaxUdpDg = 65467;
    }
    static_assert(offsetof(WSADATA, iMaxUdpDg) + 2 == sizeof(Head));
    char description[WSADESCRIPTION_LEN + 1] = "WinSock 2.0";
    char status[WSASYS_STATUS_LEN + 1] = "Running";
    return win32::write_user(out, &head, sizeof head) &&
           win32::write_user(out->szDescription, description, sizeof description) &&
           win32::write_user(out->szSystemStatus, status, sizeof status);
}

void close_every_socket() {
    spi::sockets().for_each([](std::uint64_t handle, const spi::SocketRecord &record) {
        SOCKET s = static_cast<SOCKET>(handle);
        if (!(record.flags & spi::SocketRecord::kNonIfs)) spi::sockets().erase(handle);
        win32::forget_association(handle);
        int err = 0;
        record.provider->table.lpWSPCloseSocket(s, &err);
        spi::sockets().erase(handle);  // a provider that failed to release it loses it anyway
    });
}

}  // namespace

const catalog::Catalog *process_catalog() { return g_catalog.load(std::memory_order_acquire); }

}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) {
    int result = 0;
    WORD version = api::negotiate(wVersionRequested, &result);
    if (lpWSAData == nullptr) return result != 0 ? result : WSAEFAULT;
    if (!api::fill_wsadata(lpWSAData, version)) return result != 0 ? result : WSAEFAULT;
    if (result != 0) return result;

    std::lock_guard lock(api::g_startup_mutex);
    if (api::g_startup_count == 0) {
        // The catalog as installed now: a changed file is seen at the next start from zero.
        std::optional<catalog::Catalog> installed = catalog::load_installed_catalog();
        if (!installed) return WSASYSNOTREADY;
        api::g_catalogs.push_back(std::make_unique<catalog::Catalog>(std::move(*installed)));
        const catalog::Catalog *cat = api::g_catalogs.back().get();
        spi::providers().reset(cat);
        api::g_catalog.store(cat, std::memory_order_release);
    }
    ++api::g_startup_count;
    return 0;
}

WS2_EXPORT int WSAAPI WSACleanup(void) {
    std::lock_guard lock(api::g_startup_mutex);
    if (api::g_startup_count == 0) {
        win32::set_last_error(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (--api::g_startup_count == 0) {
        api::close_every_socket();
        spi::providers().cleanup_all();
        api::g_catalog.store(nullptr, std::memory_order_release);
    }
    win32::set_last_error(0);
    return 0;
}

}  // extern "C"
