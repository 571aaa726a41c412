// The system's installed catalog: the catalog file if there is one, else the built-in catalog.
// Readers take a snapshot; writers change it under the file's lock (catalog_storage.h).
#pragma once
#include <functional>
#include <optional>

#include "catalog/catalog.h"

namespace ws2::catalog {

// The installed catalog, or nullopt when the file is damaged or unreadable; then one line
// "ws2: catalog file <path> is unusable: <problem>" has gone to stderr.
std::optional<Catalog> load_installed_catalog();

// Re-reads the installed catalog under the writer lock, lets `change` edit it (it returns 0 or
// a WSAE* code, and an error leaves the file untouched), bumps the serial and replaces the file
// atomically. Returns 0, the change's error, or WSANO_RECOVERY when the file is damaged or
// cannot be locked or written (one line to stderr says why).
int update_installed_catalog(const std::function<int(Catalog &)> &change);

// Replaces the installed catalog by the built-in entries, keeping the next id. Works on a
// damaged file too (that is what a reset is for): the next id is then salvaged from what can
// still be read of it (catalog_file.h).
int reset_installed_catalog();

}  // namespace ws2::catalog
