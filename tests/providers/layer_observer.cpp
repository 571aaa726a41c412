// Linked into test builds of the pass-through layer: reports every protocol info the layer
// receives and passes down (the seam declared in passthrough_state.h).
#include "providers/test_log.h"

extern "C" void ws2_layer_observe(const char *event, const WSAPROTOCOL_INFOW *info) {
    test_log(WS2_TEST_PROVIDER_NAME, event, info);
}
