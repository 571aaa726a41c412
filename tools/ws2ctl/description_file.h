// The provider description `ws2ctl install` reads (format in docs/ws2ctl.md): a provider GUID, a
// library path, and either full protocol entries (a base transport) or a layer and the
// (family, type, protocol) triples it goes over.
#pragma once
#include <winsock2.h>

#include <string>
#include <vector>

namespace ws2ctl {

struct Description {
    GUID provider_id{};
    std::wstring library;
    bool is_layer = false;
    // A base transport: the entries, as WSCInstallProvider takes them.
    std::vector<WSAPROTOCOL_INFOW> entries;
    // A layer: its name, IFS or not, and what it goes over (empty with over_all).
    std::wstring layer_name;
    bool ifs = true;
    bool over_all = false;
    std::vector<WSAPROTOCOL_INFOW> over;
};

// false with `problem` naming the place and what is wrong (JSON syntax errors with line and
// column).
bool parse_description(const std::string &text, Description *out, std::string *problem);

std::string guid_text(const GUID &g);
bool parse_guid(const std::string &text, GUID *out);

}  // namespace ws2ctl
