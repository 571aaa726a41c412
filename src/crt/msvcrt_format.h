// Rewrites a Microsoft CRT wide printf format into the glibc/ISO meaning of the same arguments.
#pragma once
#include <string>
#include <string_view>

namespace ws2::crt {

std::wstring iso_wide_format(std::wstring_view msvcrt_format);

}  // namespace ws2::crt
