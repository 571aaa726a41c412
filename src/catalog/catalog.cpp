#include "catalog/catalog.h"

#include <cstring>

namespace ws2::catalog {

const Entry *Catalog::find_by_id(DWORD id) const {
    for (const Entry &e : entries)
        if (e.id() == id) return &e;
    return nullptr;
}

bool guid_equal(const GUID &a, const GUID &b) { return std::memcmp(&a, &b, sizeof(GUID)) == 0; }

}  // namespace ws2::catalog
