// The writer process of the catalog crash tests: installs or removes providers through the
// public API on the catalog named by WS2_CATALOG. Exit code 0 when every call succeeded.
//   catalog_writer_child install <first> <count> <entries>   providers first..first+count-1
//   catalog_writer_child remove <n>
#include <winsock2.h>
#include <ws2spi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <string>
#include <vector>

#include "support/crash_catalog_entries.h"

using ws2test::crash_provider;
using ws2test::crash_entries;

int main(int argc, char **argv) {
    std::wstring path = ws2test::kCrashProviderPath;
    int err = 0;
    std::string command = argc > 1 ? argv[1] : "";
    if (command == "install" && argc == 5) {
        unsigned first = std::strtoul(argv[2], nullptr, 10), count = std::strtoul(argv[3], nullptr, 10);
        unsigned per = std::strtoul(argv[4], nullptr, 10);
        for (unsigned n = first; n < first + count; ++n) {
            GUID id = crash_provider(n);
            std::vector<WSAPROTOCOL_INFOW> list = crash_entries(n, per);
            if (WSCInstallProvider(&id, path.c_str(), list.data(), per, &err) != 0) {
                std::fprintf(stderr, "install %u: error %d\n", n, err);
                return 1;
            }
        }
        return 0;
    }
    if (command == "remove" && argc == 3) {
        GUID id = crash_provider(std::strtoul(argv[2], nullptr, 10));
        if (WSCDeinstallProvider(&id, &err) != 0) {
            std::fprintf(stderr, "remove: error %d\n", err);
            return 1;
        }
        return 0;
    }
    std::fprintf(stderr, "usage: catalog_writer_child install <first> <count> <entries> | remove <n>\n");
    return 2;
}
