#include "win32/library_module.h"

#include <dlfcn.h>
#include <strings.h>

#include <cstdlib>
#include <mutex>
#include <unordered_map>

#include "providers/base/base_provider.h"

namespace ws2::win32 {
namespace {

// The built-in base provider stands for mswsock.dll; its handle is this object's address.
const char g_builtin_base = 0;
HMODULE builtin_base() { return const_cast<char *>(&g_builtin_base); }

bool names_builtin_base(const std::string &path) {
    std::size_t slash = path.find_last_of("\\/");
    std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
    return strcasecmp(file.c_str(), "mswsock.dll") == 0;
}

// Live modules and their reference counts, so a bad HMODULE is refused instead of handed to
// dlsym/dlclose.
std::mutex g_mutex;
std::unordered_map<HMODULE, unsigned> &modules() {
    static auto *map = new std::unordered_map<HMODULE, unsigned>();
    return *map;
}

}  // namespace

std::string expand_environment(const std::string &text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t end = text[i] == '%' ? text.find('%', i + 1) : std::string::npos;
        if (end == std::string::npos) {
            out += text[i++];
            continue;
        }
        std::string name = text.substr(i + 1, end - i - 1);
        const char *value = name.empty() ? nullptr : std::getenv(name.c_str());
        if (value != nullptr) {
            out += value;
            i = end + 1;
        } else {
            // Not a variable: keep the '%' and look for one starting at the closing '%'.
            out += text[i++];
        }
    }
    return out;
}

HMODULE load_module(const std::string &path, std::string *problem) {
    HMODULE module = nullptr;
    if (names_builtin_base(path)) {
        module = builtin_base();
    } else {
        module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (module == nullptr) {
            if (problem != nullptr) {
                const char *why = dlerror();
                *problem = why != nullptr ? why : "cannot be loaded";
            }
            return nullptr;
        }
    }
    std::lock_guard lock(g_mutex);
    ++modules()[module];
    return module;
}

void *module_symbol(HMODULE module, const char *name) {
    if (module == builtin_base())
        return std::string_view(name) == "WSPStartup" ? reinterpret_cast<void *>(&base::WSPStartup)
                                                      : nullptr;
    if (!is_module(module)) return nullptr;
    return dlsym(module, name);
}

bool free_module(HMODULE module) {
    {
        std::lock_guard lock(g_mutex);
        auto it = modules().find(module);
        if (it == modules().end()) return false;
        if (--it->second == 0) modules().erase(it);
    }
    if (module != builtin_base()) dlclose(module);
    return true;
}

bool is_module(HMODULE module) {
    std::lock_guard lock(g_mutex);
    return modules().count(module) != 0;
}

}  // namespace ws2::win32
