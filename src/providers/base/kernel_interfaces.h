// The host's interface addresses, for SIO_ADDRESS_LIST_QUERY.
#pragma once
#include <vector>

#include "providers/base/kernel_address.h"

namespace ws2::base::kernel {

// Addresses of up interfaces in the Windows family `win_af`, loopback excluded (as Windows'
// list of transport addresses excludes it). 0 or -errno.
int interface_addresses(int win_af, std::vector<Address> *out);

}  // namespace ws2::base::kernel
