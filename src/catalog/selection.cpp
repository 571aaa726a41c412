#include "catalog/selection.h"

namespace ws2::catalog {
namespace {

bool protocol_in_range(const WSAPROTOCOL_INFOW &i, int protocol) {
    long long lo = i.iProtocol, hi = static_cast<long long>(i.iProtocol) + i.iProtocolMaxOffset;
    return protocol >= lo && protocol <= hi;
}

}  // namespace

bool entry_matches(const Entry &e, int af, int type, int protocol) {
    const WSAPROTOCOL_INFOW &i = e.info;
    if (af != 0 && i.iAddressFamily != af) return false;
    if (type != 0 && i.iSocketType != type) return false;
    if (protocol == 0) return (i.dwProviderFlags & PFL_MATCHES_PROTOCOL_ZERO) != 0;
    return protocol_in_range(i, protocol);
}

int rank_no_match_error_impl(std::span<const Entry *const> candidates, int af, int type,
                             int protocol) {
    bool af_known = af == 0, type_known = type == 0, protocol_known = protocol == 0;
    bool pair_exists = false;  // some entry has this family and type
    for (const Entry *e : candidates) {
        const WSAPROTOCOL_INFOW &i = e->info;
        af_known = af_known || i.iAddressFamily == af;
        type_known = type_known || i.iSocketType == type;
        protocol_known = protocol_known || protocol_in_range(i, protocol);
        bool af_ok = af == 0 || i.iAddressFamily == af;
        bool type_ok = type == 0 || i.iSocketType == type;
        pair_exists = pair_exists || (af_ok && type_ok);
    }
    if (!protocol_known) {
        if (!af_known) return WSAEAFNOSUPPORT;
        if (!type_known) return WSAESOCKTNOSUPPORT;
        return WSAEPROTONOSUPPORT;
    }
    if (!af_known) return (!type_known && af >= 0) ? WSAESOCKTNOSUPPORT : WSAEAFNOSUPPORT;
    if (!type_known) return WSAESOCKTNOSUPPORT;
    return pair_exists ? WSAEPROTONOSUPPORT : WSAESOCKTNOSUPPORT;
}

}  // namespace ws2::catalog
