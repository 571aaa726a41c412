#include "spi/chunk_memory.h"

#include <sys/mman.h>

namespace ws2::spi {

void *map_zeroed_chunk(std::size_t bytes) {
    void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
}

void unmap_chunk(void *chunk, std::size_t bytes) { munmap(chunk, bytes); }

}  // namespace ws2::spi
