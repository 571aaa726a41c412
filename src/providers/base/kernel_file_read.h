// The file part of TransmitFile: ws2 has no CreateFile, so TransmitFile's hFile is a Linux file
// descriptor (HANDLE)(intptr_t)fd, read here. Linux side.
#pragma once
#include <cstdint>
#include <vector>

namespace ws2::base::kernel {

// Appends up to `limit` bytes (0: to the end of the file) to *out, read at `offset` (pread, the
// file position untouched) or, when !at_offset, from the file position (which advances).
// 0 or -errno.
int read_file(int fd, bool at_offset, std::uint64_t offset, std::uint64_t limit, std::vector<char> *out);

}  // namespace ws2::base::kernel
