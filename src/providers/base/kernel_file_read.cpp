#include "providers/base/kernel_file_read.h"

#include <sys/types.h>
#include <unistd.h>

#include <cerrno>

namespace ws2::base::kernel {

int read_file(int fd, bool at_offset, std::uint64_t offset, std::uint64_t limit, std::vector<char> *out) {
    constexpr std::size_t kChunk = 64 * 1024;
    std::uint64_t taken = 0;
    for (;;) {
        std::size_t want = kChunk;
        if (limit != 0 && limit - taken < want) want = static_cast<std::size_t>(limit - taken);
        if (want == 0) return 0;
        std::size_t at = out->size();
        out->resize(at + want);
        ssize_t n = at_offset ? pread(fd, out->data() + at, want, static_cast<off_t>(offset + taken))
                              : read(fd, out->data() + at, want);
        if (n < 0 && errno == EINTR) {
            out->resize(at);
            continue;
        }
        if (n < 0) {
            int e = errno;
            out->resize(at);
            return -e;
        }
        out->resize(at + static_cast<std::size_t>(n));
        if (n == 0) return 0;  // end of file
        taken += static_cast<std::uint64_t>(n);
    }
}

}  // namespace ws2::base::kernel
