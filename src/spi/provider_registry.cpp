#include <cstring>
#include <cwchar>
#include <string>

#include "providers/base/base_provider.h"
#include "spi/provider.h"
#include "win32/library_module.h"
#include "win32/wide_string.h"

namespace ws2::spi {
namespace {

bool table_complete(const WSPPROC_TABLE &t) {
    void *slots[sizeof t / sizeof(void *)];
    static_assert(sizeof t == 30 * sizeof(void *));
    std::memcpy(slots, &t, sizeof t);
    for (void *p : slots)
        if (p == nullptr) return false;
    return true;
}

}  // namespace

ProviderRegistry &providers() {
    static ProviderRegistry *registry = new ProviderRegistry();
    return *registry;
}

void ProviderRegistry::reset(const catalog::Catalog *catalog) {
    std::lock_guard lock(mutex_);
    catalog_ = catalog;
    std::size_t n = catalog != nullptr ? catalog->entries.size() : 0;
    by_entry_ = std::make_unique<std::atomic<Provider *>[]>(n);
    for (std::size_t i = 0; i < n; ++i) by_entry_[i].store(nullptr, std::memory_order_relaxed);
}

Provider *ProviderRegistry::acquire(const catalog::Entry &entry, int *err) {
    std::size_t index = static_cast<std::size_t>(&entry - catalog_->entries.data());
    if (Provider *p = by_entry_[index].load(std::memory_order_acquire)) return p;

    std::lock_guard lock(mutex_);
    Provider *p = nullptr;
    for (auto &candidate : started_)
        if (catalog::guid_equal(candidate->id, entry.info.ProviderId)) p = candidate.get();
    if (p == nullptr) p = start(entry, err);
    if (p != nullptr) by_entry_[index].store(p, std::memory_order_release);
    return p;
}

Provider *ProviderRegistry::start(const catalog::Entry &entry, int *err) {
    auto provider = std::make_unique<Provider>();
    provider->id = entry.info.ProviderId;

    // The built-in base provider's path (mswsock.dll) loads the built-in provider.
    std::string path = win32::expand_environment(win32::to_utf8(entry.provider_path));
    provider->library = win32::load_module(path);
    LPWSPSTARTUP startup = nullptr;
    if (provider->library != nullptr)
        startup = reinterpret_cast<LPWSPSTARTUP>(win32::module_symbol(provider->library, "WSPStartup"));
    if (startup == nullptr) {
        if (provider->library != nullptr) win32::free_module(provider->library);
        *err = WSAEPROVIDERFAILEDINIT;
        return nullptr;
    }

    WSAPROTOCOL_INFOW info = entry.info;
    int rc = startup(WS_SPI_VERSION, &provider->data, &info, upcall_table(), &provider->table);
    int failure = 0;
    if (rc != 0) {
        failure = WSAEPROVIDERFAILEDINIT;
    } else if (provider->data.wVersion != WS_SPI_VERSION) {
        failure = WSAEINVALIDPROVIDER;
    } else if (!table_complete(provider->table)) {
        failure = WSAEINVALIDPROCTABLE;
    }
    if (failure != 0) {
        int ignored = 0;
        if (rc == 0 && provider->table.lpWSPCleanup != nullptr)
            provider->table.lpWSPCleanup(&ignored);
        win32::free_module(provider->library);
        *err = failure;
        return nullptr;
    }
    started_.push_back(std::move(provider));
    return started_.back().get();
}

void ProviderRegistry::cleanup_all() {
    std::vector<std::unique_ptr<Provider>> finished;
    {
        std::lock_guard lock(mutex_);
        finished.swap(started_);
        catalog_ = nullptr;
        by_entry_.reset();
    }
    for (auto &p : finished) {
        int ignored = 0;
        p->table.lpWSPCleanup(&ignored);
    }
    for (auto &p : finished) win32::free_module(p->library);
}

DWORD &thread_open_type() {
    // Every thread starts at 0 (socket() creates overlapped sockets).
    thread_local DWORD open_type __attribute__((tls_model("initial-exec"))) = 0;
    return open_type;
}

}  // namespace ws2::spi
