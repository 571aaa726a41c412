// Descriptor numbers in the Linux sense, for the SPI: checking a proposed IFS handle, and
// reserving numbers for handles that user-space providers create, so that the two kinds of
// handle share one number space and never collide.
#pragma once

namespace ws2::spi {

bool descriptor_is_open(int fd);
// A fresh descriptor number (close-on-exec); -1 when the process is out of descriptors,
// -2 for other failures.
int reserve_descriptor();
void release_descriptor(int fd);

}  // namespace ws2::spi
