// A private network for tests that need interfaces the host may lack (multicast over IPv6 does
// not loop back through Linux's lo). Call in a forked child (ws2test::run_in_child): the process
// moves to a new network namespace. Needs CAP_SYS_ADMIN; callers skip when it is refused.
#pragma once

namespace ws2test {

// A new network namespace with lo up and nothing else (no route to any multicast group).
// False when not permitted.
bool enter_network_namespace();

// In that namespace: a veth pair ws2mc0/ws2mc1, both up, with IPv6 configured (link-local
// address and the multicast route). The interface index of ws2mc0, or 0 when veth is unavailable.
unsigned add_veth_pair();

// The index of a network interface by name (if_nametoindex), 0 if there is none.
unsigned interface_index(const char *name);

}  // namespace ws2test
