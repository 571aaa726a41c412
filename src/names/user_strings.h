// Caller strings and buffers for the name functions, read and written through the kernel like
// every other caller pointer (win32/user_memory.h): an inaccessible string is an error the API
// reports (WSAEFAULT), never a crash.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace ws2::names {

// Copies a NUL-terminated string that starts at `user`. False when a byte before the NUL cannot
// be read or no NUL comes within `max_chars` characters.
bool read_user_string(const char *user, std::string *out, std::size_t max_chars = 65536);
bool read_user_string(const wchar_t *user, std::wstring *out, std::size_t max_chars = 65536);

// Writes `text` and its terminating NUL to `user`.
bool write_user_string(char *user, std::string_view text);
bool write_user_string(wchar_t *user, std::wstring_view text);

}  // namespace ws2::names
