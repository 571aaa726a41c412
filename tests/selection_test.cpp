// Catalog matching and the no-match error ranking, over synthetic catalogs: layered entries
// are never chosen and never shape an error; chains are chosen like base entries.
#include <gtest/gtest.h>

#include "catalog/selection.h"

namespace {

using ws2::catalog::Entry;

Entry make(DWORD id, int af, int type, int protocol, int offset, DWORD pfl, int chain_len) {
    Entry e;
    e.info.dwCatalogEntryId = id;
    e.info.iAddressFamily = af;
    e.info.iSocketType = type;
    e.info.iProtocol = protocol;
    e.info.iProtocolMaxOffset = offset;
    e.info.dwProviderFlags = pfl;
    e.info.ProtocolChain.ChainLen = chain_len;
    return e;
}

auto all = [](const Entry &) { return true; };

TEST(Selection, ProtocolZeroNeedsTheFlag) {
    Entry with = make(1, AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, PFL_MATCHES_PROTOCOL_ZERO, 1);
    Entry without = make(2, AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, 0, 1);
    EXPECT_TRUE(ws2::catalog::entry_matches(with, AF_INET, SOCK_STREAM, 0));
    EXPECT_FALSE(ws2::catalog::entry_matches(without, AF_INET, SOCK_STREAM, 0));
    EXPECT_TRUE(ws2::catalog::entry_matches(without, AF_INET, 0, IPPROTO_TCP));
}

TEST(Selection, ProtocolRangesAreInclusive) {
    Entry raw = make(1, AF_INET, SOCK_RAW, 0, 255, PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN, 1);
    EXPECT_TRUE(ws2::catalog::entry_matches(raw, AF_INET, SOCK_RAW, 255));
    EXPECT_FALSE(ws2::catalog::entry_matches(raw, AF_INET, SOCK_RAW, 256));
    EXPECT_FALSE(ws2::catalog::entry_matches(raw, AF_INET, SOCK_RAW, -1));
}

TEST(Selection, LayersAreNeverChosenAndChainsAre) {
    std::vector<Entry> cat = {
        make(10, AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, PFL_MATCHES_PROTOCOL_ZERO, LAYERED_PROTOCOL),
        make(11, AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, PFL_MATCHES_PROTOCOL_ZERO, 2),
        make(12, AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, PFL_MATCHES_PROTOCOL_ZERO, BASE_PROTOCOL)};
    const Entry *e = ws2::catalog::find_first_match(std::span<const Entry>(cat), AF_INET, SOCK_STREAM, 0, all);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->info.dwCatalogEntryId, 11u);
}

TEST(Selection, LayersDoNotTurnAnErrorIntoAPartialMatch) {
    // Only a layer knows AF_IRDA: the family is still unknown to selection.
    std::vector<Entry> cat = {make(10, AF_IRDA, SOCK_STREAM, 0, 0, PFL_MATCHES_PROTOCOL_ZERO, LAYERED_PROTOCOL),
                              make(12, AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, PFL_MATCHES_PROTOCOL_ZERO, 1)};
    EXPECT_EQ(ws2::catalog::rank_no_match_error(std::span<const Entry>(cat), AF_IRDA, SOCK_STREAM, IPPROTO_TCP, all),
              WSAEAFNOSUPPORT);
}

TEST(Selection, AnEmptyCatalogKnowsNoFamily) {
    std::vector<Entry> none;
    EXPECT_EQ(ws2::catalog::rank_no_match_error(std::span<const Entry>(none), AF_INET, SOCK_STREAM, IPPROTO_TCP, all),
              WSAEAFNOSUPPORT);
}

TEST(Selection, AFamilyWithoutTheTypeIsSocketTypeNotSupported) {
    std::vector<Entry> cat = {make(1, AF_UNIX, SOCK_STREAM, 0, 0, PFL_MATCHES_PROTOCOL_ZERO, 1),
                              make(2, AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0, PFL_MATCHES_PROTOCOL_ZERO, 1)};
    EXPECT_EQ(ws2::catalog::rank_no_match_error(std::span<const Entry>(cat), AF_UNIX, SOCK_DGRAM, 0, all),
              WSAESOCKTNOSUPPORT);
    EXPECT_EQ(ws2::catalog::rank_no_match_error(std::span<const Entry>(cat), AF_INET, SOCK_DGRAM, 0, all),
              WSAEPROTONOSUPPORT)
        << "(only reached when nothing matched) the pair exists, so the protocol is at fault";
}

}  // namespace
