// Test providers report what happens to them as lines appended to $WS2_TEST_PROVIDER_LOG, so a
// test can read the history even after ws2 has unloaded the provider.
#pragma once
#include <ws2spi.h>

void test_log(const char *who, const char *event, const WSAPROTOCOL_INFOW *info);
