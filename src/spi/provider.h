// A started transport provider: its procedure table and what its WSPStartup reported.
#pragma once
#include <ws2spi.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "catalog/catalog.h"

namespace ws2::spi {

struct Provider {
    GUID id{};
    WSPPROC_TABLE table{};
    WSPDATA data{};
    void *library = nullptr;  // its module (win32/library_module.h; mswsock.dll = built in)
};

// Loads and starts providers on first use: one WSPStartup per ProviderId per process, each
// matched by exactly one WSPCleanup at the last WSACleanup. A failed start leaves nothing
// behind, so the next use tries again.
class ProviderRegistry {
public:
    // Prepares for a new process catalog (called by the first WSAStartup).
    void reset(const catalog::Catalog *catalog);

    // The provider serving `entry`, started now if needed; nullptr with *err set on failure
    // (WSAEPROVIDERFAILEDINIT, WSAEINVALIDPROVIDER, WSAEINVALIDPROCTABLE).
    Provider *acquire(const catalog::Entry &entry, int *err);

    // WSPCleanup on every started provider, then unloads their libraries.
    void cleanup_all();

private:
    Provider *start(const catalog::Entry &entry, int *err);

    std::mutex mutex_;
    const catalog::Catalog *catalog_ = nullptr;
    std::unique_ptr<std::atomic<Provider *>[]> by_entry_;  // fast path, indexed like the catalog
    std::vector<std::unique_ptr<Provider>> started_;
};

ProviderRegistry &providers();

// The upcall table handed to every provider's WSPStartup.
const WSPUPCALLTABLE &upcall_table();

// The calling thread's SO_OPENTYPE. socket() reads it; WSASocket sets it around WSPSocket so
// that WPUModifyIFSHandle records the overlapped attribute the caller asked for.
DWORD &thread_open_type();

}  // namespace ws2::spi
