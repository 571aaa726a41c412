#include "providers/test_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

// "<who> <event>[ <catalog id> <chain length> <chain entries...>]\n", one write per line.
void test_log(const char *who, const char *event, const WSAPROTOCOL_INFOW *info) {
    const char *path = std::getenv("WS2_TEST_PROVIDER_LOG");
    if (path == nullptr) return;
    // snprintf, not std::to_string: libstdc++'s digit table is a GNU unique symbol, which
    // would keep the provider from ever being unloaded (and the unload tests from seeing it).
    std::string line = std::string(who) + " " + event;
    auto number = [&line](long value) {
        char text[24];
        std::snprintf(text, sizeof text, " %ld", value);
        line += text;
    };
    if (info != nullptr) {
        number(info->dwCatalogEntryId);
        number(info->ProtocolChain.ChainLen);
        for (int k = 0; k < info->ProtocolChain.ChainLen && k < MAX_PROTOCOL_CHAIN; ++k)
            number(info->ProtocolChain.ChainEntries[k]);
    }
    line += "\n";
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    ssize_t ignored = write(fd, line.data(), line.size());
    (void)ignored;
    close(fd);
}
