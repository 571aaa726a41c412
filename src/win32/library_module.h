// Loaded libraries behind HMODULE values (LoadLibrary / GetProcAddress / FreeLibrary), shared by
// the provider registry and the kernel32 exports. A Windows path naming mswsock.dll (the path
// Windows shows for its base providers) loads ws2's built-in base provider, so a layered
// provider that looks its base up in the catalog and loads it finds it, as on Windows.
#pragma once
#include <windows.h>

#include <string>

namespace ws2::win32 {

// %NAME% replaced by the environment variable's value; unknown names are left as written.
std::string expand_environment(const std::string &text);

// Loads (or references again) a library; nullptr when it cannot be loaded, with `problem`
// saying why when given.
HMODULE load_module(const std::string &path, std::string *problem = nullptr);
// The address of an exported function; nullptr when the module or the name is unknown.
void *module_symbol(HMODULE module, const char *name);
// Drops one reference; false for a handle that is not a loaded module.
bool free_module(HMODULE module);
bool is_module(HMODULE module);

}  // namespace ws2::win32
