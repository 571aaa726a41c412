// The edits the WSC* install functions make to a catalog, as pure functions: each checks
// everything first and either changes the catalog completely and returns 0, or leaves it as it
// was and returns the WSAE* code Windows documents. installed_catalog.h applies them to the file.
#pragma once
#include <winsock2.h>

#include <string>
#include <vector>

#include "catalog/catalog.h"

namespace ws2::catalog {

// WSCInstallProvider: appends one entry per info, each with a fresh id. The provider must not be
// installed yet (WSANO_RECOVERY); a chain may only name entries installed before it, layered
// entries first and a base last, no layer twice (WSAEINVAL).
int install_entries(Catalog &c, const GUID &provider, const std::wstring &path,
                    const std::vector<WSAPROTOCOL_INFOW> &infos);

// WSCDeinstallProvider: removes every entry of the provider (none: WSAEINVAL). Refused with
// WSAEINVAL when a chain of another provider would be left naming a removed entry.
int remove_provider(Catalog &c, const GUID &provider);

// WSCUpdateProvider: for each info, the entry of that provider with its dwCatalogEntryId takes
// the info's fields (ProviderId and id kept); every entry of the provider takes `path`. An
// unknown provider or an id that is not one of its entries is WSAEINVAL; chains are checked as
// install_entries checks them.
int update_provider(Catalog &c, const GUID &provider, const std::wstring &path,
                    const std::vector<WSAPROTOCOL_INFOW> &infos);

// WSCWriteProviderOrder: `order` must name every entry exactly once (else WSAEINVAL).
int reorder(Catalog &c, const std::vector<DWORD> &order);

// What WSCInstallProviderAndChains installs: a layered entry and its chains.
struct LayerRequest {
    GUID provider{};
    std::wstring path;
    std::wstring name;           // the layer's szProtocol
    DWORD service_flags = 0;     // the layered entry's dwServiceFlags1 (XP1_IFS_HANDLES or 0)
    bool every_protocol = false;  // lpProtocolInfoList NULL: over every distinct base protocol
    std::vector<WSAPROTOCOL_INFOW> over;  // else the (af, type, protocol) of each, in order
};
// Inserts at the front of the catalog the layered entry (ChainLen 0) and one chain per distinct
// entry chosen: for each (af, type, protocol) of `over`, the top-most selectable entry with it
// (none: WSAEINVAL); with every_protocol, the first base entry of each distinct triple (none:
// WSANO_RECOVERY). A provider id or layer name already installed is WSAEINVAL; a chain that would
// pass MAX_PROTOCOL_CHAIN is WSANO_RECOVERY. `layer_id` receives the layered entry's id.
int install_layer_and_chains(Catalog &c, const LayerRequest &request, DWORD *layer_id);

// Back to the built-in entries; the next id is kept so no id is ever handed out twice.
void reset_to_builtin(Catalog &c);

}  // namespace ws2::catalog
