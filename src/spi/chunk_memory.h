// Page-backed memory for handle-table chunks: mapped directly (zero-filled, lazily committed
// by the kernel), never taken from the malloc heap, and never returned while the process runs.
#pragma once
#include <cstddef>

namespace ws2::spi {

// nullptr when the address space is exhausted.
void *map_zeroed_chunk(std::size_t bytes);
void unmap_chunk(void *chunk, std::size_t bytes);

}  // namespace ws2::spi
