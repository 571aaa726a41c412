// IP multicast sessions at the kernel boundary: what WSAJoinLeaf asks of a leaf socket
// (IP_ADD_MEMBERSHIP / IPV6_JOIN_GROUP and the sending interface). Results are 0 or -errno.
#pragma once
#include "providers/base/kernel_address.h"

namespace ws2::base::kernel {

// Whether an IP address is a multicast group (224.0.0.0/4 or ff00::/8).
bool is_multicast(const Address &group);

// Makes `fd` a leaf of `group`'s session, as Windows' TCP/IP helper does. The interface is the
// one IP_MULTICAST_IF / IPV6_MULTICAST_IF names; else, for IPv4, that of a specific bound
// address; else the routing table's choice (an IPv6 group's scope id names one too).
// `receive` joins the group; `send` also makes a bound address's interface the sending one.
// The socket then receives only groups it joined itself, as on Windows (Linux would deliver
// groups other sockets joined as well). No interface to join on is -ENETUNREACH.
int join_multicast_session(int fd, const Address &group, bool receive, bool send);

// Dissolves a datagram socket's peer association (connect to AF_UNSPEC): a leaf receives from
// every sender, so a connected socket that joins a session stops filtering by source. Linux
// also releases a local port that only the connect had chosen.
int dissolve_peer(int fd);

}  // namespace ws2::base::kernel
