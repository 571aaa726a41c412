// JSON <-> Catalog for the catalog file (format in catalog_file.h), through nlohmann-json.
// Reading trusts nothing: a file edited by hand or damaged on disk is refused with a reason.
#include "catalog/catalog_file.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cwchar>
#include <nlohmann/json.hpp>
#include <set>

#include "win32/wide_string.h"

namespace ws2::catalog {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kMaxPathChars = 259;  // MAX_PATH less its NUL, as Windows' catalog stores it

// Throwing keeps the many field checks short; parse_catalog turns it into `problem`.
struct Damaged {
    std::string what;
};

const Json &member(const Json &object, const char *name, const std::string &where) {
    auto it = object.find(name);
    if (it == object.end()) throw Damaged{where + ": \"" + name + "\" is missing"};
    return *it;
}

DWORD read_dword(const Json &object, const char *name, const std::string &where) {
    const Json &v = member(object, name, where);
    if (v.is_number_unsigned() && v.get<unsigned long long>() <= 0xFFFFFFFFull)
        return static_cast<DWORD>(v.get<unsigned long long>());
    if (v.is_number_integer() && !v.is_number_unsigned())
        throw Damaged{where + ": \"" + name + "\" is negative"};
    throw Damaged{where + ": \"" + name + "\" is not an unsigned 32-bit integer"};
}

int read_int(const Json &object, const char *name, const std::string &where) {
    const Json &v = member(object, name, where);
    if (v.is_number_unsigned() && v.get<unsigned long long>() <= INT_MAX)
        return static_cast<int>(v.get<unsigned long long>());
    if (v.is_number_integer() && !v.is_number_unsigned() && v.get<long long>() >= INT_MIN)
        return static_cast<int>(v.get<long long>());
    throw Damaged{where + ": \"" + name + "\" is not a 32-bit integer"};
}

std::wstring read_text(const Json &object, const char *name, const std::string &where) {
    const Json &v = member(object, name, where);
    if (!v.is_string()) throw Damaged{where + ": \"" + name + "\" is not a string"};
    std::optional<std::wstring> text = win32::from_utf8(v.get<std::string>());
    if (!text) throw Damaged{where + ": \"" + name + "\" is not UTF-8"};
    if (text->find(L'\0') != std::wstring::npos)
        throw Damaged{where + ": \"" + name + "\" contains a NUL"};
    return *text;
}

Json entry_to_json(const Entry &e) {
    const WSAPROTOCOL_INFOW &i = e.info;
    Json chain = Json::array();
    for (int k = 0; k < i.ProtocolChain.ChainLen && k < MAX_PROTOCOL_CHAIN; ++k)
        chain.push_back(i.ProtocolChain.ChainEntries[k]);
    return Json{{"dwCatalogEntryId", i.dwCatalogEntryId},
                {"ProviderId", guid_to_string(i.ProviderId)},
                {"provider_path", win32::to_utf8(e.provider_path)},
                {"szProtocol", win32::to_utf8(i.szProtocol)},
                {"dwServiceFlags1", i.dwServiceFlags1},
                {"dwServiceFlags2", i.dwServiceFlags2},
                {"dwServiceFlags3", i.dwServiceFlags3},
                {"dwServiceFlags4", i.dwServiceFlags4},
                {"dwProviderFlags", i.dwProviderFlags},
                {"ChainLen", i.ProtocolChain.ChainLen},
                {"ChainEntries", chain},
                {"iVersion", i.iVersion},
                {"iAddressFamily", i.iAddressFamily},
                {"iMaxSockAddr", i.iMaxSockAddr},
                {"iMinSockAddr", i.iMinSockAddr},
                {"iSocketType", i.iSocketType},
                {"iProtocol", i.iProtocol},
                {"iProtocolMaxOffset", i.iProtocolMaxOffset},
                {"iNetworkByteOrder", i.iNetworkByteOrder},
                {"iSecurityScheme", i.iSecurityScheme},
                {"dwMessageSize", i.dwMessageSize},
                {"dwProviderReserved", i.dwProviderReserved}};
}

Entry entry_from_json(const Json &j, const std::string &where) {
    if (!j.is_object()) throw Damaged{where + " is not an object"};
    Entry e;
    WSAPROTOCOL_INFOW &i = e.info;
    i.dwCatalogEntryId = read_dword(j, "dwCatalogEntryId", where);
    const Json &guid = member(j, "ProviderId", where);
    std::optional<GUID> id = guid.is_string() ? guid_from_string(guid.get<std::string>()) : std::nullopt;
    if (!id) throw Damaged{where + ": \"ProviderId\" is not a GUID string"};
    i.ProviderId = *id;
    e.provider_path = read_text(j, "provider_path", where);
    if (e.provider_path.empty() || e.provider_path.size() > kMaxPathChars)
        throw Damaged{where + ": \"provider_path\" is empty or longer than 259 characters"};
    std::wstring name = read_text(j, "szProtocol", where);
    if (name.size() > WSAPROTOCOL_LEN)
        throw Damaged{where + ": \"szProtocol\" is longer than 255 characters"};
    std::wmemcpy(i.szProtocol, name.c_str(), name.size() + 1);
    i.dwServiceFlags1 = read_dword(j, "dwServiceFlags1", where);
    i.dwServiceFlags2 = read_dword(j, "dwServiceFlags2", where);
    i.dwServiceFlags3 = read_dword(j, "dwServiceFlags3", where);
    i.dwServiceFlags4 = read_dword(j, "dwServiceFlags4", where);
    i.dwProviderFlags = read_dword(j, "dwProviderFlags", where);
    int chain_len = read_int(j, "ChainLen", where);
    if (chain_len < 0 || chain_len > MAX_PROTOCOL_CHAIN)
        throw Damaged{where + ": \"ChainLen\" is not between 0 and 7"};
    i.ProtocolChain.ChainLen = chain_len;
    const Json &chain = member(j, "ChainEntries", where);
    if (!chain.is_array() || chain.size() != static_cast<std::size_t>(chain_len))
        throw Damaged{where + ": \"ChainEntries\" is not an array of ChainLen ids"};
    for (int k = 0; k < chain_len; ++k) {
        const Json &v = chain[k];
        if (!v.is_number_unsigned() || v.get<unsigned long long>() > 0xFFFFFFFFull)
            throw Damaged{where + ": \"ChainEntries\" holds something other than ids"};
        i.ProtocolChain.ChainEntries[k] = static_cast<DWORD>(v.get<unsigned long long>());
    }
    i.iVersion = read_int(j, "iVersion", where);
    i.iAddressFamily = read_int(j, "iAddressFamily", where);
    i.iMaxSockAddr = read_int(j, "iMaxSockAddr", where);
    i.iMinSockAddr = read_int(j, "iMinSockAddr", where);
    i.iSocketType = read_int(j, "iSocketType", where);
    i.iProtocol = read_int(j, "iProtocol", where);
    i.iProtocolMaxOffset = read_int(j, "iProtocolMaxOffset", where);
    i.iNetworkByteOrder = read_int(j, "iNetworkByteOrder", where);
    i.iSecurityScheme = read_int(j, "iSecurityScheme", where);
    i.dwMessageSize = read_dword(j, "dwMessageSize", where);
    i.dwProviderReserved = read_dword(j, "dwProviderReserved", where);
    return e;
}

// Ids unique and below the next id to hand out; every chain names entries of this catalog.
void check_consistency(const Catalog &c) {
    std::set<DWORD> ids;
    for (const Entry &e : c.entries) {
        if (e.id() == 0 || e.id() >= c.next_catalog_entry_id)
            throw Damaged{"entry " + std::to_string(e.id()) + " is not below next_catalog_entry_id"};
        if (!ids.insert(e.id()).second)
            throw Damaged{"catalog id " + std::to_string(e.id()) + " appears twice"};
    }
    for (const Entry &e : c.entries) {
        if (e.info.ProtocolChain.ChainLen <= BASE_PROTOCOL) continue;
        for (int k = 0; k < e.info.ProtocolChain.ChainLen; ++k)
            if (!ids.count(e.info.ProtocolChain.ChainEntries[k]))
                throw Damaged{"the chain of entry " + std::to_string(e.id()) + " names missing entry " +
                              std::to_string(e.info.ProtocolChain.ChainEntries[k])};
    }
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

std::string guid_to_string(const GUID &g) {
    char text[39];
    std::snprintf(text, sizeof text, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
                  static_cast<unsigned>(g.Data1), g.Data2, g.Data3, g.Data4[0], g.Data4[1],
                  g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
    return text;
}

std::optional<GUID> guid_from_string(std::string_view text) {
    if (text.size() != 38 || text.front() != '{' || text.back() != '}') return std::nullopt;
    unsigned char bytes[16];
    std::size_t n = 0;
    for (std::size_t pos = 1; pos < 37;) {
        if (pos == 9 || pos == 14 || pos == 19 || pos == 24) {
            if (text[pos++] != '-') return std::nullopt;
            continue;
        }
        int hi = hex_value(text[pos]), lo = hex_value(text[pos + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        bytes[n++] = static_cast<unsigned char>(hi * 16 + lo);
        pos += 2;
    }
    GUID g;
    g.Data1 = (DWORD{bytes[0]} << 24) | (DWORD{bytes[1]} << 16) | (DWORD{bytes[2]} << 8) | bytes[3];
    g.Data2 = static_cast<WORD>((bytes[4] << 8) | bytes[5]);
    g.Data3 = static_cast<WORD>((bytes[6] << 8) | bytes[7]);
    for (int k = 0; k < 8; ++k) g.Data4[k] = bytes[8 + k];
    return g;
}

std::string serialize_catalog(const Catalog &catalog) {
    Json entries = Json::array();
    for (const Entry &e : catalog.entries) entries.push_back(entry_to_json(e));
    Json root{{"format", kCatalogFileFormat},
              {"serial", catalog.serial},
              {"next_catalog_entry_id", catalog.next_catalog_entry_id},
              {"entries", entries}};
    return root.dump(2) + "\n";
}

DWORD salvage_next_id(std::string_view text) {
    Json root = Json::parse(text, nullptr, false);
    if (root.is_discarded() || !root.is_object()) return 0;
    unsigned long long next = 0;
    auto consider = [&next](const Json &v, unsigned long long plus) {
        if (v.is_number_unsigned() && v.get<unsigned long long>() < 0xFFFFFFFFull)
            next = std::max(next, v.get<unsigned long long>() + plus);
    };
    if (auto it = root.find("next_catalog_entry_id"); it != root.end()) consider(*it, 0);
    if (auto it = root.find("entries"); it != root.end() && it->is_array())
        for (const Json &e : *it)
            if (e.is_object())
                if (auto id = e.find("dwCatalogEntryId"); id != e.end()) consider(*id, 1);
    return static_cast<DWORD>(next);
}

std::optional<Catalog> parse_catalog(std::string_view text, std::string *problem) {
    Json root = Json::parse(text, nullptr, false);
    if (root.is_discarded()) {
        *problem = "not valid JSON";
        return std::nullopt;
    }
    try {
        if (!root.is_object()) throw Damaged{"the top level is not an object"};
        const Json &format = member(root, "format", "the catalog");
        if (!format.is_number_integer() || format.get<long long>() != kCatalogFileFormat)
            throw Damaged{"\"format\" is not 1"};
        Catalog c;
        c.serial = read_dword(root, "serial", "the catalog");
        c.next_catalog_entry_id = read_dword(root, "next_catalog_entry_id", "the catalog");
        const Json &entries = member(root, "entries", "the catalog");
        if (!entries.is_array()) throw Damaged{"\"entries\" is not an array"};
        for (std::size_t k = 0; k < entries.size(); ++k)
            c.entries.push_back(entry_from_json(entries[k], "entry #" + std::to_string(k + 1)));
        check_consistency(c);
        return c;
    } catch (const Damaged &d) {
        *problem = d.what;
    } catch (const nlohmann::json::exception &e) {
        *problem = e.what();
    }
    return std::nullopt;
}

}  // namespace ws2::catalog
