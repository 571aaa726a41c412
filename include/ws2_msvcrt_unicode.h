/*
 * ws2: Microsoft C runtime behaviour for Unicode Windows programs (what MinGW's -municode gives).
 * `pkg-config --cflags ws2_32-unicode` force-includes this header; it must come before the
 * program's own #includes.
 *
 * - a wmain(int, wchar_t **) entry point (libws2_32_unicode provides main, converting argv);
 * - _wtoi/_wtol;
 * - wprintf and friends with the Microsoft CRT's format meanings: in a wide printf, %s and %c
 *   take wide arguments, %S/%hs/%C/%hc narrow ones, %ws/%ls/%wc/%lc wide ones, %I64d a 64-bit
 *   integer. (glibc reads %s in wprintf as a narrow string.)
 */
#ifndef WS2_MSVCRT_UNICODE_H
#define WS2_MSVCRT_UNICODE_H

/* Let glibc declare its own functions under their names first. */
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

#ifndef UNICODE
#define UNICODE 1
#endif
#ifndef _UNICODE
#define _UNICODE 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

int wmain(int argc, wchar_t **argv);
#define _tmain wmain

int _wtoi(const wchar_t *str);
long _wtol(const wchar_t *str);

int ws2_msvcrt_wprintf(const wchar_t *format, ...);
int ws2_msvcrt_fwprintf(FILE *stream, const wchar_t *format, ...);
int ws2_msvcrt_vwprintf(const wchar_t *format, va_list args);
int ws2_msvcrt_vfwprintf(FILE *stream, const wchar_t *format, va_list args);

#ifdef __cplusplus
}
#endif

#define wprintf ws2_msvcrt_wprintf
#define fwprintf ws2_msvcrt_fwprintf
#define vwprintf ws2_msvcrt_vwprintf
#define vfwprintf ws2_msvcrt_vfwprintf

#endif /* WS2_MSVCRT_UNICODE_H */
