#include "providers/base/kernel_descriptor_swap.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace ws2::base::kernel {

int move_descriptor(int from, int onto, bool inheritable) {
    if (dup3(from, onto, inheritable ? 0 : O_CLOEXEC) < 0) return -errno;
    close(from);
    return 0;
}

}  // namespace ws2::base::kernel
