// kernel32 libraries: LoadLibraryA/W, GetProcAddress, FreeLibrary, ExpandEnvironmentStringsA/W,
// and the mapping of mswsock.dll (the path of Windows' base providers) to ws2's built-in base
// provider, which is what lets a layered provider load its base the Windows way.
#include <windows.h>
#include <ws2spi.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "support/posix.h"

namespace {

TEST(Kernel32Modules, MswsockDllIsTheBuiltInBaseProvider) {
    for (const wchar_t *path : {L"%SystemRoot%\\system32\\mswsock.dll", L"C:\\Windows\\System32\\MSWSOCK.DLL",
                                L"mswsock.dll"}) {
        SCOPED_TRACE(testing::PrintToString(std::wstring(path)));
        HMODULE m = LoadLibraryW(path);
        ASSERT_NE(m, nullptr);
        auto startup = reinterpret_cast<LPWSPSTARTUP>(reinterpret_cast<void (*)()>(GetProcAddress(m, "WSPStartup")));
        ASSERT_NE(startup, nullptr);
        // It is a real provider: it negotiates 2.2 and fills the whole table.
        WSPDATA data{};
        WSPPROC_TABLE table{};
        WSPUPCALLTABLE upcalls{};
        ASSERT_EQ(startup(MAKEWORD(2, 2), &data, nullptr, upcalls, &table), 0);
        EXPECT_EQ(data.wVersion, MAKEWORD(2, 2));
        ASSERT_NE(table.lpWSPCleanup, nullptr);
        int err = 0;
        EXPECT_EQ(table.lpWSPCleanup(&err), 0);
        EXPECT_EQ(GetProcAddress(m, "NoSuchFunction"), nullptr);
        EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PROC_NOT_FOUND));
        EXPECT_TRUE(FreeLibrary(m));
    }
}

TEST(Kernel32Modules, LinuxLibrariesLoadAndResolve) {
    HMODULE m = LoadLibraryA("libc.so.6");
    ASSERT_NE(m, nullptr);
    EXPECT_NE(GetProcAddress(m, "getpid"), nullptr);
    EXPECT_EQ(GetProcAddress(m, "ws2_no_such_symbol"), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PROC_NOT_FOUND));
    // Ordinals have no meaning for Linux libraries.
    EXPECT_EQ(GetProcAddress(m, reinterpret_cast<LPCSTR>(static_cast<ULONG_PTR>(1))), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_PROC_NOT_FOUND));
    EXPECT_TRUE(FreeLibrary(m));
}

TEST(Kernel32Modules, Errors) {
    EXPECT_EQ(LoadLibraryW(L"/nonexistent/libnothing.so"), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_MOD_NOT_FOUND));
    EXPECT_EQ(LoadLibraryA("/nonexistent/libnothing.so"), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_MOD_NOT_FOUND));
    EXPECT_EQ(LoadLibraryW(nullptr), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(LoadLibraryA(nullptr), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
    auto *bad = static_cast<const char *>(ws2test::inaccessible_page());
    EXPECT_EQ(LoadLibraryA(bad), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    EXPECT_EQ(LoadLibraryW(reinterpret_cast<LPCWSTR>(bad)), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));

    // A value that is not a loaded module is refused, never handed to the dynamic linker.
    int not_a_module = 0;
    EXPECT_EQ(GetProcAddress(reinterpret_cast<HMODULE>(&not_a_module), "getpid"), nullptr);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_MOD_NOT_FOUND));
    EXPECT_FALSE(FreeLibrary(reinterpret_cast<HMODULE>(&not_a_module)));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
    EXPECT_FALSE(FreeLibrary(nullptr));

    // A module freed as often as it was loaded is gone.
    HMODULE m = LoadLibraryW(L"mswsock.dll");
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(FreeLibrary(m));
    EXPECT_FALSE(FreeLibrary(m));
    EXPECT_EQ(GetProcAddress(m, "WSPStartup"), nullptr);
}

TEST(Kernel32Modules, EnvironmentExpansion) {
    setenv("WS2_EXPAND_TEST", "/opt/ws2", 1);
    unsetenv("WS2_EXPAND_UNSET");
    WCHAR out[64];
    // The count includes the terminator.
    EXPECT_EQ(ExpandEnvironmentStringsW(L"%WS2_EXPAND_TEST%/lib", out, 64), 13u);
    EXPECT_EQ(std::wstring(out), L"/opt/ws2/lib");
    // Unknown variables and lone percent signs stay as written.
    EXPECT_EQ(ExpandEnvironmentStringsW(L"%WS2_EXPAND_UNSET%\\x 100%", out, 64), 26u);
    EXPECT_EQ(std::wstring(out), L"%WS2_EXPAND_UNSET%\\x 100%");
    EXPECT_EQ(ExpandEnvironmentStringsW(L"50% %WS2_EXPAND_TEST%", out, 64), 13u);
    EXPECT_EQ(std::wstring(out), L"50% /opt/ws2");
    // A short buffer: nothing promised in it, the size needed returned.
    EXPECT_EQ(ExpandEnvironmentStringsW(L"%WS2_EXPAND_TEST%/lib", out, 4), 13u);
    EXPECT_EQ(ExpandEnvironmentStringsW(L"%WS2_EXPAND_TEST%/lib", nullptr, 0), 13u);
    char narrow[64];
    EXPECT_EQ(ExpandEnvironmentStringsA("%WS2_EXPAND_TEST%", narrow, 64), 9u);
    EXPECT_EQ(std::string(narrow), "/opt/ws2");

    EXPECT_EQ(ExpandEnvironmentStringsW(nullptr, out, 64), 0u);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    auto *bad = ws2test::inaccessible_page();
    EXPECT_EQ(ExpandEnvironmentStringsW(L"x", static_cast<LPWSTR>(bad), 64), 0u);
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
    unsetenv("WS2_EXPAND_TEST");
}

}  // namespace
