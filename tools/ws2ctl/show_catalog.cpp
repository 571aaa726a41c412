#include "show_catalog.h"

#include <iomanip>
#include <sstream>
#include <string>

namespace ws2ctl {
namespace {

// netsh's entry types by chain length (0 layered, 1 base, more a chain).
const char *entry_type(int chain_length) {
    if (chain_length == 0) return "Layered Service Provider";
    if (chain_length == 1) return "Base Service Provider";
    return "Layered Chain Entry";
}

}  // namespace

void print_catalog(std::ostream &out, const std::vector<ShownEntry> &entries) {
    auto line = [&out](const char *label, const auto &value) {
        out << std::left << std::setw(36) << label << value << '\n';
    };
    for (const ShownEntry &e : entries) {
        out << "\nWinsock Catalog Provider Entry\n"
            << "------------------------------------------------------\n";
        line("Entry Type:", entry_type(e.chain_length));
        line("Description:", e.description);
        line("Provider ID:", e.provider_id);
        line("Provider Path:", e.provider_path);
        line("Catalog Entry ID:", e.catalog_id);
        line("Version:", e.version);
        line("Address Family:", e.family);
        line("Max Address Length:", e.max_address);
        line("Min Address Length:", e.min_address);
        line("Socket Type:", e.socket_type);
        line("Protocol:", e.protocol);
        std::ostringstream flags;
        flags << "0x" << std::hex << e.service_flags;
        line("Service Flags:", flags.str());
        line("Protocol Chain Length:", e.chain_length);
        // Not in netsh's output: which entries a chain goes through, top layer first.
        if (e.chain_length > 1) {
            std::string chain;
            for (std::uint32_t id : e.chain) chain += (chain.empty() ? "" : " : ") + std::to_string(id);
            line("Protocol Chain:", chain);
        }
    }
    out << '\n';
}

}  // namespace ws2ctl
