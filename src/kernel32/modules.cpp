// kernel32 libraries: LoadLibraryA/W, GetProcAddress, FreeLibrary, and ExpandEnvironmentStringsA/W
// (provider paths hold %VARIABLES%). Layered providers use these to load the next provider of
// their chain exactly as they do on Windows (objects in src/win32/library_module.h).
#include <windows.h>

#include <cstring>
#include <string>

#include "names/user_strings.h"
#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/library_module.h"
#include "win32/user_memory.h"
#include "win32/wide_string.h"

using namespace ws2;

namespace {

HMODULE load(const std::string &path) {
    HMODULE module = win32::load_module(win32::expand_environment(path));
    win32::set_last_error(module != nullptr ? ERROR_SUCCESS : ERROR_MOD_NOT_FOUND);
    return module;
}

// A library name from the caller: NULL is an invalid parameter, an unreadable one ERROR_NOACCESS.
template <typename Char>
bool read_name(const Char *user, std::basic_string<Char> *out) {
    if (user == nullptr) {
        win32::set_last_error(ERROR_INVALID_PARAMETER);
        return false;
    }
    if (!names::read_user_string(user, out)) {
        win32::set_last_error(ERROR_NOACCESS);
        return false;
    }
    return true;
}

// Copies `text` and its terminator when `size` characters fit; returns the characters needed
// with the terminator either way, as ExpandEnvironmentStrings does.
template <typename Char>
DWORD deliver(const std::basic_string<Char> &text, Char *dst, DWORD size) {
    DWORD needed = static_cast<DWORD>(text.size() + 1);
    if (dst != nullptr && size >= needed &&
        !win32::write_user(dst, text.c_str(), needed * sizeof(Char))) {
        win32::set_last_error(ERROR_NOACCESS);
        return 0;
    }
    return needed;
}

}  // namespace

extern "C" {

WS2_EXPORT HMODULE WINAPI LoadLibraryA(LPCSTR lpLibFileName) {
    std::string path;
    if (!read_name(lpLibFileName, &path)) return nullptr;
    return load(path);
}

WS2_EXPORT HMODULE WINAPI LoadLibraryW(LPCWSTR lpLibFileName) {
    std::wstring path;
    if (!read_name(lpLibFileName, &path)) return nullptr;
    return load(win32::to_utf8(path));
}

WS2_EXPORT FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName) {
    if (!win32::is_module(hModule)) {
        win32::set_last_error(ERROR_MOD_NOT_FOUND);
        return nullptr;
    }
    // Ordinals (a name pointer below 64K) have no meaning for Linux libraries.
    std::string name;
    if (reinterpret_cast<ULONG_PTR>(lpProcName) < 0x10000 ||
        !names::read_user_string(lpProcName, &name)) {
        win32::set_last_error(ERROR_PROC_NOT_FOUND);
        return nullptr;
    }
    void *address = win32::module_symbol(hModule, name.c_str());
    if (address == nullptr) {
        win32::set_last_error(ERROR_PROC_NOT_FOUND);
        return nullptr;
    }
    return reinterpret_cast<FARPROC>(address);
}

WS2_EXPORT BOOL WINAPI FreeLibrary(HMODULE hLibModule) {
    if (!win32::free_module(hLibModule)) {
        win32::set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

WS2_EXPORT DWORD WINAPI ExpandEnvironmentStringsA(LPCSTR lpSrc, LPSTR lpDst, DWORD nSize) {
    std::string src;
    if (lpSrc == nullptr || !names::read_user_string(lpSrc, &src)) {
        win32::set_last_error(ERROR_NOACCESS);
        return 0;
    }
    return deliver(win32::expand_environment(src), lpDst, nSize);
}

WS2_EXPORT DWORD WINAPI ExpandEnvironmentStringsW(LPCWSTR lpSrc, LPWSTR lpDst, DWORD nSize) {
    std::wstring src;
    if (lpSrc == nullptr || !names::read_user_string(lpSrc, &src)) {
        win32::set_last_error(ERROR_NOACCESS);
        return 0;
    }
    std::optional<std::wstring> expanded =
        win32::from_utf8(win32::expand_environment(win32::to_utf8(src)));
    if (!expanded) {
        win32::set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    return deliver(*expanded, lpDst, nSize);
}

}  // extern "C"
