// Process-wide Winsock state: the WSAStartup reference count and the protocol catalog that the
// first WSAStartup loaded (kept until the last WSACleanup).
#pragma once
#include <ws2spi.h>

#include "catalog/catalog.h"

namespace ws2::api {

// The catalog of the running Winsock session; nullptr before WSAStartup / after WSACleanup.
const catalog::Catalog *process_catalog();

inline bool is_started() { return process_catalog() != nullptr; }

// WSCGetProviderPath / WPUGetProviderPath: the provider library path for a ProviderId, from
// the session's catalog (or the installed one when Winsock is not started).
int provider_path(LPGUID provider_id, WCHAR *path, LPINT path_len, LPINT err);

}  // namespace ws2::api
