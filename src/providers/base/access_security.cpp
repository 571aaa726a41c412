// The privilege check behind WSA_FLAG_ACCESS_SYSTEM_SECURITY. The raw capget(2) system call
// avoids a libcap dependency for one bit.
#include "providers/base/access_security.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ws2::base {

bool holds_security_privilege() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};  // pid 0: this thread
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    if (syscall(SYS_capget, &header, data) != 0) return false;
    return (data[CAP_TO_INDEX(CAP_AUDIT_CONTROL)].effective & CAP_TO_MASK(CAP_AUDIT_CONTROL)) != 0;
}

}  // namespace ws2::base
