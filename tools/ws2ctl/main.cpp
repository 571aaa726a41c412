// ws2ctl: the protocol catalog administration tool (what `netsh winsock` is on Windows), built on
// the public WSC* API of libws2_32. Commands: show catalog, install, remove, order, reset.
#include <CLI/CLI.hpp>
#include <clocale>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "catalog_client.h"
#include "description_file.h"
#include "show_catalog.h"

namespace {

// Documented in --help and docs/ws2ctl.md.
enum Exit : int {
    kOk = 0,
    kUsage = 1,           // bad command line
    kBadDescription = 2,  // the description file cannot be read or is not valid
    kRefused = 3,         // the catalog refused the change (unknown provider, not a permutation, ...)
    kCatalogFailure = 4,  // the catalog cannot be read or written (damaged file, no permission)
};

const char *kFooter = R"(Exit codes:
  0  success
  1  usage error (unknown command, missing or malformed argument)
  2  the description file cannot be read or is not a valid description
  3  the catalog refused the change (provider unknown or already installed, ids not a
     permutation of the catalog, no entry to layer over, ...)
  4  the catalog cannot be read or written (damaged catalog file, no permission to write it)

The catalog file is $WS2_CATALOG when set, else /etc/ws2/catalog.json (absent: the built-in
catalog). Programs see a change at their next WSAStartup. Description format: docs/ws2ctl.md.)";

int fail(int code, const std::string &message) {
    std::cerr << "ws2ctl: " << message << '\n';
    return code;
}

// Exit code and message for a failed catalog call.
int catalog_error(int err, const std::string &refused_because) {
    if (ws2ctl::is_refusal(err)) return fail(kRefused, refused_because + " [" + ws2ctl::error_name(err) + "]");
    return fail(kCatalogFailure, "the catalog cannot be read or written (" + ws2ctl::error_name(err) +
                                     "); writing it needs root for the system catalog");
}

bool installed(const std::vector<ws2ctl::ShownEntry> &catalog, const std::string &guid) {
    for (const ws2ctl::ShownEntry &e : catalog)
        if (e.provider_id == guid) return true;
    return false;
}

int show_catalog() {
    std::vector<ws2ctl::ShownEntry> entries;
    if (int err = ws2ctl::read_catalog(&entries); err != 0) return catalog_error(err, "cannot read the catalog");
    ws2ctl::print_catalog(std::cout, entries);
    return kOk;
}

int install(const std::string &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(kBadDescription, "cannot open description file " + file);
    std::stringstream text;
    text << in.rdbuf();
    ws2ctl::Description d;
    std::string problem;
    if (!ws2ctl::parse_description(text.str(), &d, &problem)) return fail(kBadDescription, file + ": " + problem);

    std::vector<ws2ctl::ShownEntry> catalog;
    if (int err = ws2ctl::read_catalog(&catalog); err != 0) return catalog_error(err, "cannot read the catalog");
    std::string guid = ws2ctl::guid_text(d.provider_id);
    if (installed(catalog, guid)) return fail(kRefused, "provider " + guid + " is already installed");

    std::uint32_t layer = 0;
    if (int err = ws2ctl::install(d, &layer); err != 0)
        return catalog_error(err, d.is_layer ? "the layer was refused: its name is taken, or no catalog entry "
                                               "matches one of the \"over\" triples"
                                             : "the entries were refused (bad chain or field)");
    if (d.is_layer)
        std::cout << "Installed layer " << guid << " as catalog entry " << layer << ", with its chains at the front.\n";
    else
        std::cout << "Installed provider " << guid << " (" << d.entries.size() << " entries).\n";
    return kOk;
}

int remove(const std::string &guid_text) {
    GUID id;
    if (!ws2ctl::parse_guid(guid_text, &id))
        return fail(kUsage, "\"" + guid_text + "\" is not a GUID such as {12345678-9ABC-DEF0-1234-56789ABCDEF0}");
    std::string guid = ws2ctl::guid_text(id);
    std::vector<ws2ctl::ShownEntry> catalog;
    if (int err = ws2ctl::read_catalog(&catalog); err != 0) return catalog_error(err, "cannot read the catalog");
    if (!installed(catalog, guid)) return fail(kRefused, "no provider " + guid + " is installed");
    if (int err = ws2ctl::remove_provider(guid); err != 0)
        return catalog_error(err, "entries of " + guid + " are components of another provider's chains; remove that "
                                  "provider first");
    std::cout << "Removed provider " << guid << ".\n";
    return kOk;
}

int order(const std::vector<std::uint32_t> &ids) {
    std::vector<ws2ctl::ShownEntry> catalog;
    if (int err = ws2ctl::read_catalog(&catalog); err != 0) return catalog_error(err, "cannot read the catalog");
    if (int err = ws2ctl::write_order(ids); err != 0) {
        std::string all;
        for (const ws2ctl::ShownEntry &e : catalog) all += " " + std::to_string(e.catalog_id);
        return catalog_error(err, "the ids must name every catalog entry exactly once; the catalog holds" + all);
    }
    std::cout << "Catalog order written.\n";
    return kOk;
}

int reset() {
    if (int err = ws2ctl::reset_catalog(); err != 0) return catalog_error(err, "reset refused");
    std::cout << "Catalog reset to the built-in entries.\n";
    return kOk;
}

}  // namespace

int main(int argc, char **argv) {
    std::setlocale(LC_ALL, "");
    CLI::App app{"ws2ctl: show and change the ws2 (Windows Sockets 2) protocol catalog", "ws2ctl"};
    app.footer(kFooter);
    app.require_subcommand(1, 1);

    CLI::App *show = app.add_subcommand("show", "Show catalog information");
    show->footer(kFooter);
    CLI::App *show_catalog_cmd =
        show->add_subcommand("catalog", "Every catalog entry, layered and hidden included, as netsh prints them");
    show->require_subcommand(1, 1);

    std::string description;
    CLI::App *install_cmd = app.add_subcommand("install", "Install a provider described by a JSON file");
    install_cmd->add_option("description", description, "The description file (format: docs/ws2ctl.md)")->required();
    install_cmd->footer(kFooter);

    std::string guid;
    CLI::App *remove_cmd = app.add_subcommand("remove", "Remove every entry of a provider");
    remove_cmd->add_option("provider-id", guid, "The provider GUID, e.g. {12345678-9ABC-DEF0-1234-56789ABCDEF0}")
        ->required();
    remove_cmd->footer(kFooter);

    std::vector<std::uint32_t> ids;
    CLI::App *order_cmd = app.add_subcommand("order", "Reorder the catalog (every catalog entry id, once each)");
    order_cmd->add_option("ids", ids, "Catalog entry ids in the new priority order")->required();
    order_cmd->footer(kFooter);

    CLI::App *reset_cmd =
        app.add_subcommand("reset", "Back to the built-in catalog (ids already used are not used again)");
    reset_cmd->footer(kFooter);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        std::cerr << "ws2ctl: " << e.what() << "\nRun 'ws2ctl --help' for the commands.\n";
        return kUsage;
    }
    if (show_catalog_cmd->parsed()) return show_catalog();
    if (install_cmd->parsed()) return install(description);
    if (remove_cmd->parsed()) return remove(guid);
    if (order_cmd->parsed()) return order(ids);
    if (reset_cmd->parsed()) return reset();
    return kUsage;
}
