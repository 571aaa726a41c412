// The pass-through layered provider: every call goes unchanged to the provider below it in the
// socket's chain. IFS style: the base's descriptor is the application's socket, taken over with
// WPUModifyIFSHandle under the chain's catalog id so ws2 routes its calls here.
#pragma once
#include <winsock2.h>
#include <ws2spi.h>

#include "providers/layer_kit/next_provider.h"
#include "providers/layer_kit/socket_hops.h"

namespace ws2::passthrough {

layer::NextProviders &next_providers();
layer::SocketHops &socket_hops();
WSPUPCALLTABLE upcalls();

// WS2_PASSTHROUGH_TRACE=1 in the environment: one stderr line per socket created and closed.
bool tracing();
void trace_created(SOCKET s, const WSAPROTOCOL_INFOW &chain, int af, int type, int protocol);
void trace_closed(SOCKET s);

// Test seam: a test build of this layer defines ws2_layer_observe to see every protocol info
// the layer receives and passes down ("startup", "socket", "next-socket") and its cleanups.
void observe(const char *event, const WSAPROTOCOL_INFOW *info);

// Registers a socket the next provider made (WSPSocket, WSPAccept, WSPJoinLeaf) as this
// layer's under the chain's id; false (and *err) when ws2 refuses it.
bool adopt(SOCKET s, const layer::NextHop &hop, int *err);

// The forwarding procedures (passthrough_calls.cpp).
void fill_forwarding_entries(WSPPROC_TABLE *table);

}  // namespace ws2::passthrough
