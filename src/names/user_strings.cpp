#include "names/user_strings.h"

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "win32/user_memory.h"

namespace ws2::names {
namespace {

// A piece of a string whose end is not known yet, so the piece may run past the string's own
// object (never past a 256-byte boundary, so never onto a page the string does not touch).
// process_vm_readv lets the kernel check the range without the copy counting as a read of that
// object (a plain memcpy of a stack string would, and sanitizers report it); where the call is
// refused, the shared copy routine does the job.
bool read_piece(void *dst, const void *src, std::size_t n) {
    iovec local{dst, n}, remote{const_cast<void *>(src), n};
    ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    if (got == static_cast<ssize_t>(n)) return true;
    if (got < 0 && (errno == ENOSYS || errno == EPERM)) return win32::read_user(dst, src, n);
    return false;
}

// Reads in pieces that never cross a 256-byte boundary, so a string that ends just before an
// unmapped page is read without touching that page.
template <class Char>
bool read_string(const Char *user, std::basic_string<Char> *out, std::size_t max_chars) {
    constexpr std::size_t kPiece = 256;
    out->clear();
    if (user == nullptr) return false;
    const char *at = reinterpret_cast<const char *>(user);
    Char piece[kPiece / sizeof(Char)];
    while (out->size() <= max_chars) {
        std::size_t room = kPiece - reinterpret_cast<std::uintptr_t>(at) % kPiece;
        std::size_t count = room / sizeof(Char);
        if (count == 0) count = 1;  // a misaligned wide string: read one character at a time
        if (!read_piece(piece, at, count * sizeof(Char))) return false;
        for (std::size_t i = 0; i < count; ++i) {
            if (piece[i] == 0) return true;
            out->push_back(piece[i]);
        }
        at += count * sizeof(Char);
    }
    return false;
}

}  // namespace

bool read_user_string(const char *user, std::string *out, std::size_t max_chars) {
    return read_string(user, out, max_chars);
}

bool read_user_string(const wchar_t *user, std::wstring *out, std::size_t max_chars) {
    return read_string(user, out, max_chars);
}

bool write_user_string(char *user, std::string_view text) {
    std::string copy(text);
    return user != nullptr && win32::write_user(user, copy.c_str(), copy.size() + 1);
}

bool write_user_string(wchar_t *user, std::wstring_view text) {
    std::wstring copy(text);
    return user != nullptr && win32::write_user(user, copy.c_str(), (copy.size() + 1) * sizeof(wchar_t));
}

}  // namespace ws2::names
