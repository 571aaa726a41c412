// ws2ctl's side of the public catalog API (WSCEnumProtocols, WSCGetProviderPath,
// WSCInstallProvider, WSCInstallProviderAndChains64_32, WSCDeinstallProvider,
// WSCWriteProviderOrder, ws2_WSCResetCatalog): the same calls programs make. Plain C++ types
// here, so the command-line code needs no Windows header.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ws2ctl {

struct ShownEntry {
    std::string description, provider_id, provider_path;
    std::uint32_t catalog_id = 0, service_flags = 0, provider_flags = 0;
    int version = 0, family = 0, max_address = 0, min_address = 0, socket_type = 0, protocol = 0;
    int chain_length = 0;
    std::vector<std::uint32_t> chain;
};

// Every entry in catalog order, or the WSAE* code (the library has said why on stderr).
int read_catalog(std::vector<ShownEntry> *out);

struct Description;  // description_file.h
// 0 or the WSAE* code of the install call.
int install(const Description &d, std::uint32_t *layer_id);
int remove_provider(const std::string &guid_text);
int write_order(const std::vector<std::uint32_t> &ids);
int reset_catalog();

// What a WSAE* code from these calls means for ws2ctl: the catalog refused the change as asked
// (WSAEINVAL), or could not be read or written (WSANO_RECOVERY and anything else).
bool is_refusal(int code);
std::string error_name(int code);  // "WSAEINVAL (10022)"

}  // namespace ws2ctl
