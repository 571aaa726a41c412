#include "catalog/catalog_changes.h"

#include <algorithm>
#include <cwchar>
#include <set>
#include <tuple>

namespace ws2::catalog {
namespace {

bool has_provider(const Catalog &c, const GUID &id) {
    return std::any_of(c.entries.begin(), c.entries.end(),
                       [&](const Entry &e) { return guid_equal(e.info.ProviderId, id); });
}

// A chain names installed entries only: layered ones first, a base last, no layer twice.
bool chain_valid(const Catalog &c, const WSAPROTOCOLCHAIN &chain) {
    for (int k = 0; k < chain.ChainLen; ++k) {
        const Entry *component = c.find_by_id(chain.ChainEntries[k]);
        if (component == nullptr) return false;
        int wanted = k + 1 == chain.ChainLen ? BASE_PROTOCOL : LAYERED_PROTOCOL;
        if (component->info.ProtocolChain.ChainLen != wanted) return false;
        for (int earlier = 0; earlier < k; ++earlier)
            if (chain.ChainEntries[earlier] == chain.ChainEntries[k]) return false;
    }
    return true;
}

bool every_chain_valid(const Catalog &c) {
    return std::all_of(c.entries.begin(), c.entries.end(), [&](const Entry &e) {
        return e.info.ProtocolChain.ChainLen <= BASE_PROTOCOL || chain_valid(c, e.info.ProtocolChain);
    });
}

// Slots past ChainLen mean nothing and are not stored.
void clear_unused_chain_slots(WSAPROTOCOL_INFOW &info) {
    for (int k = std::max(info.ProtocolChain.ChainLen, 0); k < MAX_PROTOCOL_CHAIN; ++k)
        info.ProtocolChain.ChainEntries[k] = 0;
}

void set_name(WSAPROTOCOL_INFOW &info, const std::wstring &name) {
    std::wstring cut = name.substr(0, WSAPROTOCOL_LEN);
    std::wmemset(info.szProtocol, L'\0', WSAPROTOCOL_LEN + 1);
    std::wmemcpy(info.szProtocol, cut.c_str(), cut.size());
}

auto triple(const WSAPROTOCOL_INFOW &i) { return std::make_tuple(i.iAddressFamily, i.iSocketType, i.iProtocol); }

// The top-most entry selection would consider (a base or a chain) with the triple; the
// protocol matches inside the entry's range, as selection matches it.
const Entry *top_most(const Catalog &c, const WSAPROTOCOL_INFOW &want) {
    for (const Entry &e : c.entries) {
        const WSAPROTOCOL_INFOW &i = e.info;
        long long high = static_cast<long long>(i.iProtocol) + i.iProtocolMaxOffset;
        if (e.selectable() && i.iAddressFamily == want.iAddressFamily &&
            i.iSocketType == want.iSocketType && want.iProtocol >= i.iProtocol && want.iProtocol <= high)
            return &e;
    }
    return nullptr;
}

}  // namespace

int install_entries(Catalog &c, const GUID &provider, const std::wstring &path,
                    const std::vector<WSAPROTOCOL_INFOW> &infos) {
    if (has_provider(c, provider)) return WSANO_RECOVERY;  // Windows: already installed
    for (const WSAPROTOCOL_INFOW &info : infos)
        if (info.ProtocolChain.ChainLen > BASE_PROTOCOL && !chain_valid(c, info.ProtocolChain))
            return WSAEINVAL;
    for (WSAPROTOCOL_INFOW info : infos) {
        info.ProviderId = provider;
        info.dwCatalogEntryId = c.next_catalog_entry_id++;
        clear_unused_chain_slots(info);
        c.entries.push_back(Entry{info, path});
    }
    return 0;
}

int remove_provider(Catalog &c, const GUID &provider) {
    Catalog rest = c;
    std::erase_if(rest.entries, [&](const Entry &e) { return guid_equal(e.info.ProviderId, provider); });
    if (rest.entries.size() == c.entries.size()) return WSAEINVAL;
    // Removing a component of a chain that stays would leave a broken chain behind.
    if (!every_chain_valid(rest)) return WSAEINVAL;
    c.entries = std::move(rest.entries);
    return 0;
}

int update_provider(Catalog &c, const GUID &provider, const std::wstring &path,
                    const std::vector<WSAPROTOCOL_INFOW> &infos) {
    if (!has_provider(c, provider)) return WSAEINVAL;
    Catalog changed = c;
    for (WSAPROTOCOL_INFOW info : infos) {
        auto it = std::find_if(changed.entries.begin(), changed.entries.end(), [&](const Entry &e) {
            return e.id() == info.dwCatalogEntryId && guid_equal(e.info.ProviderId, provider);
        });
        if (it == changed.entries.end()) return WSAEINVAL;
        info.ProviderId = provider;
        clear_unused_chain_slots(info);
        it->info = info;
    }
    for (Entry &e : changed.entries)
        if (guid_equal(e.info.ProviderId, provider)) e.provider_path = path;
    if (!every_chain_valid(changed)) return WSAEINVAL;
    c = std::move(changed);
    return 0;
}

int reorder(Catalog &c, const std::vector<DWORD> &order) {
    if (order.size() != c.entries.size()) return WSAEINVAL;
    std::vector<Entry> ordered;
    std::set<DWORD> seen;
    for (DWORD id : order) {
        const Entry *e = c.find_by_id(id);
        if (e == nullptr || !seen.insert(id).second) return WSAEINVAL;
        ordered.push_back(*e);
    }
    c.entries = std::move(ordered);
    return 0;
}

int install_layer_and_chains(Catalog &c, const LayerRequest &request, DWORD *layer_id) {
    if (has_provider(c, request.provider)) return WSAEINVAL;
    for (const Entry &e : c.entries)
        if (request.name == e.info.szProtocol) return WSAEINVAL;

    // The entries to layer over, each once, in the order asked for.
    std::vector<const Entry *> targets;
    auto add = [&](const Entry *e) {
        if (std::find(targets.begin(), targets.end(), e) == targets.end()) targets.push_back(e);
    };
    if (request.every_protocol) {
        std::set<std::tuple<int, int, int>> triples;
        for (const Entry &e : c.entries)
            if (e.info.ProtocolChain.ChainLen == BASE_PROTOCOL && triples.insert(triple(e.info)).second)
                add(&e);
        if (targets.empty()) return WSANO_RECOVERY;
    } else {
        for (const WSAPROTOCOL_INFOW &want : request.over) {
            const Entry *e = top_most(c, want);
            if (e == nullptr) return WSAEINVAL;
            add(e);
        }
    }
    for (const Entry *t : targets)
        if (t->info.ProtocolChain.ChainLen >= MAX_PROTOCOL_CHAIN) return WSANO_RECOVERY;

    std::vector<Entry> front;
    Entry layer{targets.front()->info, request.path};
    WSAPROTOCOL_INFOW &l = layer.info;
    l.ProviderId = request.provider;
    l.dwCatalogEntryId = c.next_catalog_entry_id++;
    l.dwServiceFlags1 = request.service_flags;
    l.dwProviderFlags = 0;
    l.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    clear_unused_chain_slots(l);
    set_name(l, request.name);
    front.push_back(layer);

    for (const Entry *t : targets) {
        Entry chain{t->info, request.path};
        WSAPROTOCOL_INFOW &i = chain.info;
        i.ProviderId = request.provider;
        i.dwCatalogEntryId = c.next_catalog_entry_id++;
        // The layer goes on top of what it covers: a base, or the chain of another layer.
        WSAPROTOCOLCHAIN below = t->info.ProtocolChain;
        if (below.ChainLen == BASE_PROTOCOL) below.ChainEntries[0] = t->id();
        i.ProtocolChain.ChainLen = below.ChainLen + 1;
        i.ProtocolChain.ChainEntries[0] = l.dwCatalogEntryId;
        for (int k = 0; k < below.ChainLen; ++k) i.ProtocolChain.ChainEntries[k + 1] = below.ChainEntries[k];
        clear_unused_chain_slots(i);
        // A non-IFS layer hands out its own handles, so its chains cannot promise IFS ones.
        if (!(request.service_flags & XP1_IFS_HANDLES)) i.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
        set_name(i, request.name + L" over [" + t->info.szProtocol + L"]");
        front.push_back(chain);
    }
    c.entries.insert(c.entries.begin(), front.begin(), front.end());
    if (layer_id != nullptr) *layer_id = l.dwCatalogEntryId;
    return 0;
}

void reset_to_builtin(Catalog &c) {
    const Catalog &builtin = builtin_catalog();
    c.entries = builtin.entries;
    c.next_catalog_entry_id = std::max(c.next_catalog_entry_id, builtin.next_catalog_entry_id);
}

}  // namespace ws2::catalog
