// The protocol catalog: an ordered list of WSAPROTOCOL_INFOW entries, each naming the provider
// library that serves it. Order is priority order for selection and enumeration.
#pragma once
#include <winsock2.h>

#include <string>
#include <vector>

namespace ws2::catalog {

struct Entry {
    WSAPROTOCOL_INFOW info{};
    std::wstring provider_path;  // as stored; may contain %VARIABLES%

    DWORD id() const { return info.dwCatalogEntryId; }
    // Layered entries (ChainLen 0) are never selected or enumerated by WSAEnumProtocols.
    bool selectable() const { return info.ProtocolChain.ChainLen >= BASE_PROTOCOL; }
    bool hidden() const { return (info.dwProviderFlags & PFL_HIDDEN) != 0; }
    bool enumerable() const { return selectable() && !hidden(); }
};

struct Catalog {
    std::vector<Entry> entries;
    DWORD next_catalog_entry_id = 1001;  // ids only ever grow: never reused
    DWORD serial = 0;                    // changed by every write of the catalog file; 0 = built in

    const Entry *find_by_id(DWORD id) const;
};

// The provider path Windows shows for its base entries; ws2 serves it with the built-in base
// provider instead of loading a library.
inline constexpr const wchar_t *kBuiltinBaseProviderPath = L"%SystemRoot%\\system32\\mswsock.dll";

// The catalog Windows 10/11 reports for its base providers (TCP, UDP, RAW over IPv6 and IPv4,
// then AF_UNIX), with Windows' field values.
const Catalog &builtin_catalog();

bool guid_equal(const GUID &a, const GUID &b);

}  // namespace ws2::catalog
