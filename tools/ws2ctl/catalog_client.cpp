#include "catalog_client.h"

#include <sporder.h>
#include <winsock2.h>
#include <ws2_catalog_reset.h>
#include <ws2spi.h>

#include <climits>
#include <cwchar>

#include "description_file.h"

namespace ws2ctl {
namespace {

std::string narrow(const wchar_t *text) {
    std::string out;
    std::mbstate_t state{};
    char buffer[MB_LEN_MAX];
    for (; *text != L'\0'; ++text) {
        std::size_t n = std::wcrtomb(buffer, *text, &state);
        if (n == static_cast<std::size_t>(-1)) out.push_back('?');
        else out.append(buffer, n);
    }
    return out;
}

std::string path_of(const GUID &id) {
    GUID copy = id;
    WCHAR path[MAX_PATH + 1];
    int len = MAX_PATH + 1, err = 0;
    if (WSCGetProviderPath(&copy, path, &len, &err) != 0) return "(unknown: error " + std::to_string(err) + ")";
    return narrow(path);
}

}  // namespace

int read_catalog(std::vector<ShownEntry> *out) {
    DWORD length = 0;
    int err = 0;
    std::vector<WSAPROTOCOL_INFOW> infos;
    // The catalog may change between the two calls: ask again until the buffer fits.
    for (;;) {
        int n = WSCEnumProtocols(nullptr, infos.data(), &length, &err);
        if (n != SOCKET_ERROR) {
            infos.resize(static_cast<std::size_t>(n));
            break;
        }
        if (err != WSAENOBUFS) return err;
        infos.resize(length / sizeof(WSAPROTOCOL_INFOW));
    }
    for (const WSAPROTOCOL_INFOW &i : infos) {
        ShownEntry e;
        e.description = narrow(i.szProtocol);
        e.provider_id = guid_text(i.ProviderId);
        e.provider_path = path_of(i.ProviderId);
        e.catalog_id = i.dwCatalogEntryId;
        e.service_flags = i.dwServiceFlags1;
        e.provider_flags = i.dwProviderFlags;
        e.version = i.iVersion;
        e.family = i.iAddressFamily;
        e.max_address = i.iMaxSockAddr;
        e.min_address = i.iMinSockAddr;
        e.socket_type = i.iSocketType;
        e.protocol = i.iProtocol;
        e.chain_length = i.ProtocolChain.ChainLen;
        for (int k = 0; k < i.ProtocolChain.ChainLen && k < MAX_PROTOCOL_CHAIN; ++k)
            e.chain.push_back(i.ProtocolChain.ChainEntries[k]);
        out->push_back(e);
    }
    return 0;
}

int install(const Description &d, std::uint32_t *layer_id) {
    GUID id = d.provider_id;
    std::wstring library = d.library;
    int err = 0;
    if (!d.is_layer) {
        std::vector<WSAPROTOCOL_INFOW> entries = d.entries;
        return WSCInstallProvider(&id, library.c_str(), entries.data(), static_cast<DWORD>(entries.size()), &err) == 0
                   ? 0
                   : err;
    }
    // ws2 has one catalog: the same library serves as the "32-bit" one.
    std::wstring name = d.layer_name;
    std::vector<WSAPROTOCOL_INFOW> over = d.over;
    DWORD layer = 0;
    int rc = WSCInstallProviderAndChains64_32(&id, library.data(), library.data(), name.data(),
                                              d.ifs ? XP1_IFS_HANDLES : 0, d.over_all ? nullptr : over.data(),
                                              static_cast<DWORD>(over.size()), &layer, &err);
    *layer_id = layer;
    return rc == 0 ? 0 : err;
}

int remove_provider(const std::string &guid) {
    GUID id;
    if (!parse_guid(guid, &id)) return WSAEINVAL;
    int err = 0;
    return WSCDeinstallProvider(&id, &err) == 0 ? 0 : err;
}

int write_order(const std::vector<std::uint32_t> &ids) {
    std::vector<DWORD> order(ids.begin(), ids.end());
    return WSCWriteProviderOrder(order.data(), static_cast<DWORD>(order.size()));
}

int reset_catalog() {
    int err = 0;
    return ws2_WSCResetCatalog(&err) == 0 ? 0 : err;
}

bool is_refusal(int code) { return code == WSAEINVAL; }

std::string error_name(int code) {
    const char *name = code == WSAEINVAL        ? "WSAEINVAL"
                       : code == WSANO_RECOVERY ? "WSANO_RECOVERY"
                       : code == WSAEFAULT      ? "WSAEFAULT"
                       : code == WSA_NOT_ENOUGH_MEMORY ? "WSA_NOT_ENOUGH_MEMORY"
                                                       : "error";
    return std::string(name) + " (" + std::to_string(code) + ")";
}

}  // namespace ws2ctl
