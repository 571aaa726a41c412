// The multipoint session a leaf socket joined with WSAJoinLeaf (base_join_leaf.cpp). Windows
// half-connects a joined datagram socket to its session: send and WSASend without an address
// go to the group and getpeername reports it, while receives stay open to every sender.
#pragma once
#include <winsock2.h>

#include "providers/base/kernel_address.h"

namespace ws2::base {

// The group socket `s` joined (its state has BaseSocket::kMultipointLeaf); false if none.
bool multipoint_session(SOCKET s, kernel::Address *group);
// closesocket: the socket leaves its session (the kernel drops the membership with the socket).
void forget_multipoint_session(SOCKET s);

}  // namespace ws2::base
