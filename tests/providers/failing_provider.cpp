// Providers that misbehave in one way each, chosen at build time:
//   WS2_WRONG_VERSION   WSPStartup succeeds but negotiates 2.1
//   WS2_TABLE_HOLE      WSPStartup succeeds but leaves lpWSPGetQOSByName empty
//   WS2_STARTUP_FAILS   WSPStartup returns WSASYSNOTREADY
//   WS2_NO_WSPSTARTUP   the library exports no WSPStartup at all
// ws2 must refuse them before calling anything but WSPStartup and WSPCleanup; any other call
// aborts the test process.
#include <cstdlib>
#include <cstring>

#include "providers/test_log.h"

namespace {

#ifndef WS2_STARTUP_FAILS
[[noreturn]] void never_called() { std::abort(); }

int WSPAPI Cleanup(LPINT) {
    test_log(WS2_TEST_PROVIDER_NAME, "cleanup", nullptr);
    return 0;
}
#endif

int start(WORD, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE, LPWSPPROC_TABLE table) {
    test_log(WS2_TEST_PROVIDER_NAME, "startup", info);
#ifdef WS2_STARTUP_FAILS
    (void)data;
    (void)table;
    return WSASYSNOTREADY;
#else
    void *slots[sizeof(WSPPROC_TABLE) / sizeof(void *)];
    for (void *&slot : slots) slot = reinterpret_cast<void *>(&never_called);
    std::memcpy(table, slots, sizeof slots);
    table->lpWSPCleanup = Cleanup;
#ifdef WS2_TABLE_HOLE
    table->lpWSPGetQOSByName = nullptr;
#endif
    data->wHighVersion = MAKEWORD(2, 2);
#ifdef WS2_WRONG_VERSION
    data->wVersion = MAKEWORD(2, 1);
#else
    data->wVersion = MAKEWORD(2, 2);
#endif
    return 0;
#endif
}

}  // namespace

#ifdef WS2_NO_WSPSTARTUP
extern "C" __attribute__((visibility("default"))) int WSPAPI WSPStartupMisspelt(
    WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE up, LPWSPPROC_TABLE table) {
    return start(version, data, info, up, table);
}
#else
extern "C" __attribute__((visibility("default"))) int WSPAPI WSPStartup(
    WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE up, LPWSPPROC_TABLE table) {
    return start(version, data, info, up, table);
}
#endif
