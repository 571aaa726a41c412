// Conversions between WCHAR strings (wchar_t, UTF-32 on Linux) and the "ANSI" strings of the
// A functions, which ws2 takes to be UTF-8.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ws2::win32 {

std::string to_utf8(std::wstring_view text);
// nullopt when the bytes are not valid UTF-8.
std::optional<std::wstring> from_utf8(std::string_view text);

}  // namespace ws2::win32
