// The catalog file's format: JSON, {"format":1, "serial":N, "next_catalog_entry_id":M,
// "entries":[...]}, one object per entry holding every WSAPROTOCOL_INFOW field under its
// Windows name (GUIDs as "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", szProtocol as UTF-8,
// ChainEntries as exactly ChainLen ids) and "provider_path" (UTF-8).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "catalog/catalog.h"

namespace ws2::catalog {

inline constexpr int kCatalogFileFormat = 1;

std::string serialize_catalog(const Catalog &catalog);

// Parses and validates everything (types, ranges, unique ids below next_catalog_entry_id,
// chains naming entries of the file); nullopt and `problem` set for a damaged text.
std::optional<Catalog> parse_catalog(std::string_view text, std::string *problem);

// For a reset over a damaged file: the largest of "next_catalog_entry_id" and every
// "dwCatalogEntryId" + 1 found in what still parses as JSON; 0 when nothing does.
DWORD salvage_next_id(std::string_view text);

std::string guid_to_string(const GUID &guid);
std::optional<GUID> guid_from_string(std::string_view text);

}  // namespace ws2::catalog
