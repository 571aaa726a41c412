// Choosing a catalog entry for (af, type, protocol), and the Winsock error when none fits.
// Used by the API layer over the whole catalog and by the base provider over its own entries.
#pragma once
#include <winsock2.h>

#include <span>
#include <vector>

#include "catalog/catalog.h"

namespace ws2::catalog {

// True when `e` serves the triple: each of af and type equals the entry's or is 0 (wildcard);
// protocol lies in [iProtocol, iProtocol + iProtocolMaxOffset], or is 0 and the entry carries
// PFL_MATCHES_PROTOCOL_ZERO.
bool entry_matches(const Entry &e, int af, int type, int protocol);

// The first selectable entry (a base protocol or a chain, never a bare layer) that matches.
// `include` narrows the candidates further (for a provider: its own entries).
template <class Include>
const Entry *find_first_match(std::span<const Entry> entries, int af, int type, int protocol,
                              Include include) {
    for (const Entry &e : entries)
        if (e.selectable() && include(e) && entry_matches(e, af, type, protocol)) return &e;
    return nullptr;
}

// The error Windows reports when no entry matches, ranked as Windows ranks it: an unknown
// protocol reports the family (if unknown), else the type (if unknown), else the protocol; a
// known protocol with an unknown family reports the type when it is unknown too (for a
// non-negative family), else the family; then an unknown type; then a known but incompatible
// combination (WSAEPROTONOSUPPORT when the family/type pair exists, WSAESOCKTNOSUPPORT when the
// family has no such type). "Known" means some candidate entry has that value.
int rank_no_match_error_impl(std::span<const Entry *const> candidates, int af, int type,
                             int protocol);

template <class Include>
int rank_no_match_error(std::span<const Entry> entries, int af, int type, int protocol,
                        Include include) {
    std::vector<const Entry *> candidates;
    for (const Entry &e : entries)
        if (e.selectable() && include(e)) candidates.push_back(&e);
    return rank_no_match_error_impl(candidates, af, type, protocol);
}
}  // namespace ws2::catalog
