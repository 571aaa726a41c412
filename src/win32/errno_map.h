// The one table that turns a Linux errno into the Winsock error Windows reports.
#pragma once

namespace ws2::win32 {

int wsa_error_from_errno(int linux_errno);

}  // namespace ws2::win32
