// Parsing the provider description (docs/ws2ctl.md) with nlohmann-json. Strict: unknown keys are
// refused, so a misspelt field is reported instead of silently defaulted.
#include "description_file.h"

#include <cctype>
#include <cstdio>
#include <cwchar>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace ws2ctl {
namespace {

using Json = nlohmann::json;

struct Bad {
    std::string what;
};

const std::map<std::string, int> kFamilies = {
    {"AF_UNSPEC", AF_UNSPEC}, {"AF_UNIX", AF_UNIX}, {"AF_INET", AF_INET}, {"AF_INET6", AF_INET6}};
const std::map<std::string, int> kTypes = {{"SOCK_STREAM", SOCK_STREAM}, {"SOCK_DGRAM", SOCK_DGRAM},
                                           {"SOCK_RAW", SOCK_RAW},       {"SOCK_RDM", SOCK_RDM},
                                           {"SOCK_SEQPACKET", SOCK_SEQPACKET}};
const std::map<std::string, int> kProtocols = {{"IPPROTO_IP", 0},
                                               {"IPPROTO_ICMP", IPPROTO_ICMP},
                                               {"IPPROTO_TCP", IPPROTO_TCP},
                                               {"IPPROTO_UDP", IPPROTO_UDP},
                                               {"IPPROTO_ICMPV6", IPPROTO_ICMPV6},
                                               {"IPPROTO_RAW", IPPROTO_RAW}};
const std::map<std::string, int> kServiceFlags = {
    {"XP1_CONNECTIONLESS", XP1_CONNECTIONLESS},
    {"XP1_GUARANTEED_DELIVERY", XP1_GUARANTEED_DELIVERY},
    {"XP1_GUARANTEED_ORDER", XP1_GUARANTEED_ORDER},
    {"XP1_MESSAGE_ORIENTED", XP1_MESSAGE_ORIENTED},
    {"XP1_PSEUDO_STREAM", XP1_PSEUDO_STREAM},
    {"XP1_GRACEFUL_CLOSE", XP1_GRACEFUL_CLOSE},
    {"XP1_EXPEDITED_DATA", XP1_EXPEDITED_DATA},
    {"XP1_CONNECT_DATA", XP1_CONNECT_DATA},
    {"XP1_DISCONNECT_DATA", XP1_DISCONNECT_DATA},
    {"XP1_SUPPORT_BROADCAST", XP1_SUPPORT_BROADCAST},
    {"XP1_SUPPORT_MULTIPOINT", XP1_SUPPORT_MULTIPOINT},
    {"XP1_MULTIPOINT_CONTROL_PLANE", XP1_MULTIPOINT_CONTROL_PLANE},
    {"XP1_MULTIPOINT_DATA_PLANE", XP1_MULTIPOINT_DATA_PLANE},
    {"XP1_QOS_SUPPORTED", XP1_QOS_SUPPORTED},
    {"XP1_INTERRUPT", XP1_INTERRUPT},
    {"XP1_UNI_SEND", XP1_UNI_SEND},
    {"XP1_UNI_RECV", XP1_UNI_RECV},
    {"XP1_IFS_HANDLES", XP1_IFS_HANDLES},
    {"XP1_PARTIAL_MESSAGE", XP1_PARTIAL_MESSAGE},
    {"XP1_SAN_SUPPORT_SDP", XP1_SAN_SUPPORT_SDP}};
const std::map<std::string, int> kProviderFlags = {
    {"PFL_MULTIPLE_PROTO_ENTRIES", PFL_MULTIPLE_PROTO_ENTRIES},
    {"PFL_RECOMMENDED_PROTO_ENTRY", PFL_RECOMMENDED_PROTO_ENTRY},
    {"PFL_HIDDEN", PFL_HIDDEN},
    {"PFL_MATCHES_PROTOCOL_ZERO", PFL_MATCHES_PROTOCOL_ZERO}};

void only_keys(const Json &object, const std::string &where, std::set<std::string> allowed) {
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!allowed.count(it.key())) throw Bad{where + ": unknown key \"" + it.key() + "\""};
}

const Json *find(const Json &object, const char *key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::wstring wide(const std::string &utf8, const std::string &where) {
    std::mbstate_t state{};
    std::wstring out;
    const char *at = utf8.data(), *end = at + utf8.size();
    while (at < end) {
        wchar_t c;
        std::size_t n = std::mbrtowc(&c, at, end - at, &state);
        if (n == static_cast<std::size_t>(-1) || n == static_cast<std::size_t>(-2))
            throw Bad{where + ": not valid text in this locale (use UTF-8 with a UTF-8 locale)"};
        if (n == 0) n = 1;
        out.push_back(c);
        at += n;
    }
    return out;
}

std::string text(const Json &object, const char *key, const std::string &where) {
    const Json *v = find(object, key);
    if (v == nullptr) throw Bad{where + ": \"" + key + "\" is missing"};
    if (!v->is_string() || v->get<std::string>().empty())
        throw Bad{where + "." + key + ": expected a non-empty string"};
    return v->get<std::string>();
}

// A number, or a constant's name from `names`.
int number_or_name(const Json &v, const std::map<std::string, int> &names, const std::string &where) {
    if (v.is_number_integer()) return v.get<int>();
    if (v.is_string()) {
        auto it = names.find(v.get<std::string>());
        if (it != names.end()) return it->second;
        throw Bad{where + ": unknown name \"" + v.get<std::string>() + "\""};
    }
    throw Bad{where + ": expected a number or a name"};
}

int field(const Json &object, const char *key, const std::map<std::string, int> &names, const std::string &where,
          const int *fallback) {
    const Json *v = find(object, key);
    if (v == nullptr) {
        if (fallback == nullptr) throw Bad{where + ": \"" + key + "\" is missing"};
        return *fallback;
    }
    return number_or_name(*v, names, where + "." + key);
}

// A number, or a list of flag names OR'ed together.
DWORD flags(const Json &object, const char *key, const std::map<std::string, int> &names, const std::string &where,
            bool required) {
    const Json *v = find(object, key);
    std::string at = where + "." + key;
    if (v == nullptr) {
        if (required) throw Bad{where + ": \"" + key + "\" is missing"};
        return 0;
    }
    if (v->is_number_unsigned()) return v->get<DWORD>();
    if (!v->is_array()) throw Bad{at + ": expected a number or a list of flag names"};
    DWORD out = 0;
    for (std::size_t k = 0; k < v->size(); ++k)
        out |= static_cast<DWORD>(number_or_name((*v)[k], names, at + "[" + std::to_string(k) + "]"));
    return out;
}

void set_name(WSAPROTOCOL_INFOW &info, const std::wstring &name, const std::string &where) {
    if (name.size() > WSAPROTOCOL_LEN) throw Bad{where + ": longer than 255 characters"};
    std::wmemcpy(info.szProtocol, name.c_str(), name.size() + 1);
}

WSAPROTOCOL_INFOW base_entry(const Json &j, const std::string &where) {
    if (!j.is_object()) throw Bad{where + ": expected an object"};
    only_keys(j, where, {"name", "address_family", "socket_type", "protocol", "protocol_max_offset",
                         "service_flags", "provider_flags", "max_sockaddr", "min_sockaddr", "version",
                         "byte_order", "security_scheme", "message_size", "provider_reserved"});
    WSAPROTOCOL_INFOW i{};
    set_name(i, wide(text(j, "name", where), where + ".name"), where + ".name");
    i.iAddressFamily = field(j, "address_family", kFamilies, where, nullptr);
    i.iSocketType = field(j, "socket_type", kTypes, where, nullptr);
    i.iProtocol = field(j, "protocol", kProtocols, where, nullptr);
    const int zero = 0, two = 2;
    i.iProtocolMaxOffset = field(j, "protocol_max_offset", {}, where, &zero);
    i.dwServiceFlags1 = flags(j, "service_flags", kServiceFlags, where, true);
    i.dwProviderFlags = flags(j, "provider_flags", kProviderFlags, where, false);
    // Address lengths default to the family's sockaddr size (Windows layouts).
    int length = i.iAddressFamily == AF_INET ? 16 : i.iAddressFamily == AF_INET6 ? 28 : -1;
    const int *fallback = length > 0 ? &length : nullptr;
    i.iMaxSockAddr = field(j, "max_sockaddr", {}, where, fallback);
    i.iMinSockAddr = field(j, "min_sockaddr", {}, where, fallback);
    i.iVersion = field(j, "version", {}, where, &two);
    i.iNetworkByteOrder = field(j, "byte_order", {{"big", BIGENDIAN}, {"little", LITTLEENDIAN}}, where, &zero);
    i.iSecurityScheme = field(j, "security_scheme", {}, where, &zero);
    i.dwMessageSize = static_cast<DWORD>(field(j, "message_size", {}, where, &zero));
    i.dwProviderReserved = static_cast<DWORD>(field(j, "provider_reserved", {}, where, &zero));
    i.ProtocolChain.ChainLen = BASE_PROTOCOL;
    return i;
}

// "AF_INET/SOCK_STREAM/IPPROTO_TCP" (names or numbers).
WSAPROTOCOL_INFOW triple(const Json &j, const std::string &where) {
    if (!j.is_string()) throw Bad{where + ": expected \"family/type/protocol\", e.g. \"AF_INET/SOCK_STREAM/IPPROTO_TCP\""};
    std::string s = j.get<std::string>();
    std::size_t a = s.find('/'), b = a == std::string::npos ? a : s.find('/', a + 1);
    if (b == std::string::npos || s.find('/', b + 1) != std::string::npos)
        throw Bad{where + ": \"" + s + "\" is not \"family/type/protocol\""};
    auto part = [&](const std::string &p, const std::map<std::string, int> &names) {
        if (!p.empty() && p.find_first_not_of("0123456789") == std::string::npos) return std::stoi(p);
        return number_or_name(Json(p), names, where);
    };
    WSAPROTOCOL_INFOW i{};
    i.iAddressFamily = part(s.substr(0, a), kFamilies);
    i.iSocketType = part(s.substr(a + 1, b - a - 1), kTypes);
    i.iProtocol = part(s.substr(b + 1), kProtocols);
    return i;
}

void layer(const Json &j, Description *d) {
    const std::string where = "layer";
    if (!j.is_object()) throw Bad{where + ": expected an object"};
    only_keys(j, where, {"name", "ifs", "over"});
    d->is_layer = true;
    d->layer_name = wide(text(j, "name", where), where + ".name");
    if (d->layer_name.size() > WSAPROTOCOL_LEN) throw Bad{where + ".name: longer than 255 characters"};
    if (const Json *ifs = find(j, "ifs")) {
        if (!ifs->is_boolean()) throw Bad{where + ".ifs: expected true or false"};
        d->ifs = ifs->get<bool>();
    }
    const Json *over = find(j, "over");
    if (over == nullptr) throw Bad{where + ": \"over\" is missing"};
    if (over->is_string() && over->get<std::string>() == "all") {
        d->over_all = true;
        return;
    }
    if (!over->is_array() || over->empty())
        throw Bad{where + ".over: expected \"all\" or a non-empty list of \"family/type/protocol\""};
    for (std::size_t k = 0; k < over->size(); ++k)
        d->over.push_back(triple((*over)[k], where + ".over[" + std::to_string(k) + "]"));
}

}  // namespace

std::string guid_text(const GUID &g) {
    char out[39];
    std::snprintf(out, sizeof out, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", static_cast<unsigned>(g.Data1),
                  g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6],
                  g.Data4[7]);
    return out;
}

bool parse_guid(const std::string &text, GUID *out) {
    std::string s = text;
    if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
    if (s.size() != 36) return false;
    for (std::size_t k = 0; k < s.size(); ++k) {
        bool dash = k == 8 || k == 13 || k == 18 || k == 23;
        if (dash ? s[k] != '-' : !std::isxdigit(static_cast<unsigned char>(s[k]))) return false;
    }
    unsigned d1, d2, d3, b[8];
    if (std::sscanf(s.c_str(), "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3],
                    &b[4], &b[5], &b[6], &b[7]) != 11)
        return false;
    out->Data1 = d1;
    out->Data2 = static_cast<WORD>(d2);
    out->Data3 = static_cast<WORD>(d3);
    for (int k = 0; k < 8; ++k) out->Data4[k] = static_cast<BYTE>(b[k]);
    return true;
}

bool parse_description(const std::string &source, Description *out, std::string *problem) {
    Json root;
    try {
        root = Json::parse(source);
    } catch (const Json::parse_error &e) {
        *problem = std::string("not valid JSON: ") + e.what();
        return false;
    }
    try {
        if (!root.is_object()) throw Bad{"the top level is not an object"};
        only_keys(root, "the description", {"provider_id", "library", "layer", "entries"});
        Description d;
        if (!parse_guid(text(root, "provider_id", "the description"), &d.provider_id))
            throw Bad{"provider_id: not a GUID such as \"{12345678-9ABC-DEF0-1234-56789ABCDEF0}\""};
        d.library = wide(text(root, "library", "the description"), "library");
        if (d.library.size() > 259) throw Bad{"library: longer than 259 characters (MAX_PATH)"};
        const Json *l = find(root, "layer"), *entries = find(root, "entries");
        if ((l == nullptr) == (entries == nullptr))
            throw Bad{"the description needs exactly one of \"layer\" (a layered provider) or \"entries\" (a base "
                      "transport)"};
        if (l != nullptr) {
            layer(*l, &d);
        } else {
            if (!entries->is_array() || entries->empty()) throw Bad{"entries: expected a non-empty list"};
            for (std::size_t k = 0; k < entries->size(); ++k)
                d.entries.push_back(base_entry((*entries)[k], "entries[" + std::to_string(k) + "]"));
        }
        *out = std::move(d);
        return true;
    } catch (const Bad &b) {
        *problem = b.what;
    } catch (const Json::exception &e) {
        *problem = e.what();
    }
    return false;
}

}  // namespace ws2ctl
