#include "spi/descriptors.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace ws2::spi {

bool descriptor_is_open(int fd) { return fd >= 0 && fcntl(fd, F_GETFD) != -1; }

int reserve_descriptor() {
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) return fd;
    return (errno == EMFILE || errno == ENFILE) ? -1 : -2;
}

void release_descriptor(int fd) { close(fd); }

}  // namespace ws2::spi
