// kernel32 process heap: GetProcessHeap, HeapAlloc, HeapReAlloc, HeapFree, HeapSize over the C
// allocator. Each block carries a 16-byte header (its size and a tag) so that HeapSize works and
// a pointer that did not come from HeapAlloc is refused instead of corrupting malloc's state;
// blocks stay MEMORY_ALLOCATION_ALIGNMENT (16) aligned. The header is read with a checked copy,
// so a wild pointer is an error, never a crash. There is one heap (no HeapCreate): any other
// handle is refused. HEAP_NO_SERIALIZE is accepted and ignored (the allocator is thread-safe).
// HEAP_GENERATE_EXCEPTIONS: Linux has no structured exceptions to raise, so a failure that
// Windows would raise as STATUS_NO_MEMORY ends the process, as an unhandled exception does.
#include <windows.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"

using namespace ws2;

namespace {

struct alignas(MEMORY_ALLOCATION_ALIGNMENT) BlockHeader {
    std::size_t size;
    std::uint64_t tag;
};
static_assert(sizeof(BlockHeader) == MEMORY_ALLOCATION_ALIGNMENT);

constexpr std::uint64_t kLiveTag = 0x5753325F48454150ull;   // "WS2_HEAP"
constexpr std::uint64_t kFreedTag = 0x5753325F46524545ull;  // "WS2_FREE"
constexpr std::size_t kMaxBlock = static_cast<std::size_t>(PTRDIFF_MAX) - sizeof(BlockHeader);

// The process heap's handle: the address of a private object, so it can be no kernel object
// handle or socket.
const char process_heap_object = 0;
HANDLE process_heap() { return const_cast<char *>(&process_heap_object); }

BlockHeader *header_of(LPCVOID mem) {
    return reinterpret_cast<BlockHeader *>(const_cast<char *>(static_cast<const char *>(mem))) - 1;
}

// The header of a live block, or false for a pointer HeapAlloc did not return (or freed).
bool live_header(LPCVOID mem, BlockHeader *out) {
    if (mem == nullptr || reinterpret_cast<std::uintptr_t>(mem) % MEMORY_ALLOCATION_ALIGNMENT != 0) return false;
    return win32::read_user_value(out, header_of(mem)) && out->tag == kLiveTag;
}

LPVOID failed(DWORD flags) {
    if ((flags & HEAP_GENERATE_EXCEPTIONS) != 0) {
        std::fputs("ws2: HeapAlloc/HeapReAlloc failed with HEAP_GENERATE_EXCEPTIONS (STATUS_NO_MEMORY)\n", stderr);
        std::abort();
    }
    return nullptr;  // HeapAlloc and HeapReAlloc do not call SetLastError
}

}  // namespace

extern "C" {

WS2_EXPORT HANDLE WINAPI GetProcessHeap(void) { return process_heap(); }

WS2_EXPORT LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes) {
    if (hHeap != process_heap() || dwBytes > kMaxBlock) return failed(dwFlags);
    void *raw = (dwFlags & HEAP_ZERO_MEMORY) != 0 ? std::calloc(1, sizeof(BlockHeader) + dwBytes)
                                                  : std::malloc(sizeof(BlockHeader) + dwBytes);
    if (raw == nullptr) return failed(dwFlags);
    auto *header = static_cast<BlockHeader *>(raw);
    header->size = dwBytes;
    header->tag = kLiveTag;
    return header + 1;
}

WS2_EXPORT LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes) {
    BlockHeader old{};
    if (hHeap != process_heap() || dwBytes > kMaxBlock || !live_header(lpMem, &old)) return failed(dwFlags);
    if ((dwFlags & HEAP_REALLOC_IN_PLACE_ONLY) != 0) {
        // The block can shrink where it is; growing could move it, so that fails and leaves the
        // block unchanged.
        if (dwBytes > old.size) return failed(dwFlags);
        header_of(lpMem)->size = dwBytes;
        return lpMem;
    }
    void *raw = std::realloc(header_of(lpMem), sizeof(BlockHeader) + dwBytes);
    if (raw == nullptr) return failed(dwFlags);
    auto *header = static_cast<BlockHeader *>(raw);
    header->size = dwBytes;
    if ((dwFlags & HEAP_ZERO_MEMORY) != 0 && dwBytes > old.size) {
        std::memset(reinterpret_cast<char *>(header + 1) + old.size, 0, dwBytes - old.size);
    }
    return header + 1;
}

WS2_EXPORT BOOL WINAPI HeapFree(HANDLE hHeap, DWORD, LPVOID lpMem) {
    if (hHeap != process_heap()) {
        win32::set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (lpMem == nullptr) return TRUE;  // nothing to free, as Windows' heap answers
    BlockHeader header{};
    if (!live_header(lpMem, &header)) {
        win32::set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    header_of(lpMem)->tag = kFreedTag;  // a second HeapFree of the block is refused while it stays unused
    std::free(header_of(lpMem));
    return TRUE;
}

WS2_EXPORT SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD, LPCVOID lpMem) {
    BlockHeader header{};
    // HeapSize returns (SIZE_T)-1 on failure and does not call SetLastError.
    if (hHeap != process_heap() || !live_header(lpMem, &header)) return static_cast<SIZE_T>(-1);
    return header.size;
}

}  // extern "C"
