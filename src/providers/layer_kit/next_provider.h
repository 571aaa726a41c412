// What every layered provider needs to reach the provider below it, done the Windows way: find
// its own layered entry by ProviderId, find its place in the chain it is given, look the next
// entry up with WSCEnumProtocols, load its library (WSCGetProviderPath, ExpandEnvironmentStrings,
// LoadLibrary, GetProcAddress) and start it with the propagation rule: a layer below gets the
// chain's WSAPROTOCOL_INFOW unchanged, the base gets its own catalog entry.
// Only ws2's exported API is used, so this is the code an LSP ported from Windows would run.
#pragma once
#include <winsock2.h>
#include <ws2spi.h>

#include <memory>
#include <mutex>
#include <vector>

namespace ws2::layer {

// The provider below this layer for one chain.
struct NextHop {
    DWORD chain_id = 0;             // the chain entry this hop serves
    WSAPROTOCOL_INFOW chain{};      // that chain entry
    WSAPROTOCOL_INFOW next_info{};  // what the next provider is given (propagation rule)
    bool next_is_base = false;
    WSPPROC_TABLE table{};          // the next provider's procedures
    HMODULE module = nullptr;
};

class NextProviders {
public:
    explicit NextProviders(const GUID &layer_id) : layer_id_(layer_id) {}

    // Remembers the upcall table to hand down (the most recent one wins, as the SPI asks).
    void set_upcalls(const WSPUPCALLTABLE &upcalls);
    // The hop below this layer in `chain` (a chain entry naming this layer), started on first
    // use; nullptr and *err set (WSAEINVAL: not a chain through this layer;
    // WSAEPROVIDERFAILEDINIT: the next provider cannot be loaded or started).
    const NextHop *hop_for(const WSAPROTOCOL_INFOW &chain, int *err);
    // The hop for a catalog entry id of a chain this layer already serves.
    const NextHop *hop_for_id(DWORD chain_id);
    // Any started hop (for calls that name no socket); nullptr when none.
    const NextHop *any_hop();
    // WSPCleanup on every provider this layer started, then unloads them.
    void cleanup();

    // What a base provider needs of a chain's info to recognise its own data (a duplicated
    // socket's payload) is carried into the base's entry.
    static void carry_payload(const WSAPROTOCOL_INFOW &from, WSAPROTOCOL_INFOW *to);

private:
    GUID layer_id_;
    std::mutex mutex_;
    WSPUPCALLTABLE upcalls_{};
    std::vector<std::unique_ptr<NextHop>> hops_;  // never freed before cleanup: pointers stay valid
};

}  // namespace ws2::layer
