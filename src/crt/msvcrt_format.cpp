#include "crt/msvcrt_format.h"

namespace ws2::crt {
namespace {

bool is_flag(wchar_t c) { return c == L'-' || c == L'+' || c == L' ' || c == L'#' || c == L'0'; }
bool is_digit(wchar_t c) { return c >= L'0' && c <= L'9'; }

}  // namespace

std::wstring iso_wide_format(std::wstring_view f) {
    std::wstring out;
    out.reserve(f.size() + 8);
    std::size_t i = 0;
    while (i < f.size()) {
        if (f[i] != L'%') {
            out += f[i++];
            continue;
        }
        out += f[i++];
        if (i < f.size() && f[i] == L'%') {
            out += f[i++];
            continue;
        }
        while (i < f.size() && is_flag(f[i])) out += f[i++];
        while (i < f.size() && (is_digit(f[i]) || f[i] == L'*')) out += f[i++];
        if (i < f.size() && f[i] == L'.') {
            out += f[i++];
            while (i < f.size() && (is_digit(f[i]) || f[i] == L'*')) out += f[i++];
        }
        // Size prefix, in Microsoft's spelling.
        enum { kNone, kShort, kLong, kWide } size = kNone;
        std::wstring iso_size;
        if (f.substr(i, 3) == L"I64") {
            iso_size = L"ll";
            i += 3;
        } else if (f.substr(i, 3) == L"I32") {
            i += 3;
        } else if (i < f.size() && f[i] == L'I') {
            iso_size = L"z";
            ++i;
        } else if (f.substr(i, 2) == L"ll" || f.substr(i, 2) == L"hh") {
            iso_size = f.substr(i, 2);
            i += 2;
        } else if (i < f.size() && f[i] == L'h') {
            size = kShort;
            ++i;
        } else if (i < f.size() && f[i] == L'l') {
            size = kLong;
            ++i;
        } else if (i < f.size() && f[i] == L'w') {
            size = kWide;
            ++i;
        } else if (i < f.size() && (f[i] == L'L' || f[i] == L'z' || f[i] == L'j' || f[i] == L't')) {
            iso_size = f[i++];
        }
        if (i >= f.size()) break;
        wchar_t conv = f[i++];
        switch (conv) {
            case L's':  // wide unless h
                out += size == kShort ? L"s" : L"ls";
                break;
            case L'S':  // narrow unless l/w
                out += (size == kLong || size == kWide) ? L"ls" : L"s";
                break;
            case L'c':
                out += size == kShort ? L"c" : L"lc";
                break;
            case L'C':
                out += (size == kLong || size == kWide) ? L"lc" : L"c";
                break;
            default:
                if (size == kShort) out += L'h';
                if (size == kLong) out += L'l';
                out += iso_size;
                out += conv;
                break;
        }
    }
    return out;
}

}  // namespace ws2::crt
