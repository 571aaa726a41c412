// `ws2ctl show catalog`: the entries in the layout of `netsh winsock show catalog`.
#pragma once
#include <ostream>
#include <vector>

#include "catalog_client.h"

namespace ws2ctl {

void print_catalog(std::ostream &out, const std::vector<ShownEntry> &entries);

}  // namespace ws2ctl
