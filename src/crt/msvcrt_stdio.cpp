// The Microsoft-semantics wide printf family and _wtoi/_wtol of libws2_32_unicode.
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cwchar>

#include "crt/msvcrt_format.h"

extern "C" {

int ws2_msvcrt_vfwprintf(FILE *stream, const wchar_t *format, va_list args) {
    std::wstring iso = ws2::crt::iso_wide_format(format);
    return std::vfwprintf(stream, iso.c_str(), args);
}

int ws2_msvcrt_vwprintf(const wchar_t *format, va_list args) {
    return ws2_msvcrt_vfwprintf(stdout, format, args);
}

int ws2_msvcrt_fwprintf(FILE *stream, const wchar_t *format, ...) {
    va_list args;
    va_start(args, format);
    int n = ws2_msvcrt_vfwprintf(stream, format, args);
    va_end(args);
    return n;
}

int ws2_msvcrt_wprintf(const wchar_t *format, ...) {
    va_list args;
    va_start(args, format);
    int n = ws2_msvcrt_vfwprintf(stdout, format, args);
    va_end(args);
    return n;
}

// [whitespace][sign]digits; 0 when there is no number; clamped with ERANGE on overflow.
long _wtol(const wchar_t *str) {
    if (str == nullptr) {
        errno = EINVAL;
        return 0;
    }
    long long v = std::wcstoll(str, nullptr, 10);
    if (v > INT_MAX) {
        errno = ERANGE;
        return INT_MAX;
    }
    if (v < INT_MIN) {
        errno = ERANGE;
        return INT_MIN;
    }
    return static_cast<long>(v);
}

int _wtoi(const wchar_t *str) { return static_cast<int>(_wtol(str)); }

}  // extern "C"
