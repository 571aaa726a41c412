// kernel32 GetSystemInfo / GetNativeSystemInfo: the machine as Linux reports it. The processor
// count is the online logical processors (Windows counts the processors of the current group,
// regardless of the process's affinity); the mask has one bit per online processor among the
// first 64. The address range is what Linux gives user space (mmap_min_addr's usual 64 KiB up to
// below the 47-bit top), and the allocation granularity is Windows' 64 KiB, a multiple of every
// page size, so sizes and offsets rounded to it stay valid here. Level and revision come from
// CPUID on x86 (family; model << 8 | stepping), as Windows fills them.
#include <windows.h>

#include <sched.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "win32/export.h"
#include "win32/last_error.h"
#include "win32/user_memory.h"

using namespace ws2;

namespace {

constexpr DWORD kAllocationGranularity = 64 * 1024;

// Bits for the online processors, parsed from the kernel's "0-3,5" list.
DWORD_PTR online_mask(long count) {
    std::ifstream in("/sys/devices/system/cpu/online");
    std::string list;
    DWORD_PTR mask = 0;
    if (in && std::getline(in, list)) {
        std::size_t pos = 0;
        while (pos < list.size()) {
            std::size_t end = list.find(',', pos);
            if (end == std::string::npos) end = list.size();
            std::string range = list.substr(pos, end - pos);
            unsigned long first = 0, last = 0;
            std::size_t dash = range.find('-');
            try {
                first = std::stoul(range.substr(0, dash));
                last = dash == std::string::npos ? first : std::stoul(range.substr(dash + 1));
            } catch (...) {
                break;
            }
            for (unsigned long cpu = first; cpu <= last && cpu < 64; ++cpu) mask |= DWORD_PTR{1} << cpu;
            pos = end + 1;
        }
    }
    if (mask == 0) {  // no sysfs: the first `count` processors
        mask = count >= 64 ? ~DWORD_PTR{0} : (DWORD_PTR{1} << count) - 1;
    }
    return mask;
}

void fill_processor(SYSTEM_INFO &info) {
#if defined(__x86_64__)
    info.wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    info.dwProcessorType = PROCESSOR_AMD_X8664;
#elif defined(__i386__)
    info.wProcessorArchitecture = PROCESSOR_ARCHITECTURE_INTEL;
    info.dwProcessorType = PROCESSOR_INTEL_PENTIUM;
#elif defined(__aarch64__)
    info.wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
    info.dwProcessorType = 0;
#else
    info.wProcessorArchitecture = PROCESSOR_ARCHITECTURE_UNKNOWN;
    info.dwProcessorType = 0;
#endif
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        unsigned stepping = eax & 0xF, model = (eax >> 4) & 0xF, family = (eax >> 8) & 0xF;
        if (family == 0xF) family += (eax >> 20) & 0xFF;
        if (family == 0x6 || family >= 0xF) model += ((eax >> 16) & 0xF) << 4;
        info.wProcessorLevel = static_cast<WORD>(family);
        info.wProcessorRevision = static_cast<WORD>((model << 8) | stepping);
    }
#endif
}

void fill(LPSYSTEM_INFO out) {
    SYSTEM_INFO info{};
    fill_processor(info);
    long page = sysconf(_SC_PAGESIZE);
    long count = sysconf(_SC_NPROCESSORS_ONLN);
    if (page <= 0) page = 4096;
    if (count <= 0) count = 1;
    info.dwPageSize = static_cast<DWORD>(page);
    info.lpMinimumApplicationAddress = reinterpret_cast<LPVOID>(std::uintptr_t{0x10000});
    info.lpMaximumApplicationAddress =
        reinterpret_cast<LPVOID>((std::uintptr_t{1} << 47) - static_cast<std::uintptr_t>(page) - 1);
    info.dwActiveProcessorMask = online_mask(count);
    info.dwNumberOfProcessors = static_cast<DWORD>(count);
    info.dwAllocationGranularity = kAllocationGranularity;
    // GetSystemInfo returns nothing; Windows faults on a bad pointer, ws2 writes nothing and says
    // why in the last error.
    if (out == nullptr || !win32::write_user_value(out, info)) win32::set_last_error(ERROR_NOACCESS);
}

}  // namespace

extern "C" {

WS2_EXPORT void WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo) { fill(lpSystemInfo); }

// ws2 runs natively (no emulation layer), so the native view is the same.
WS2_EXPORT void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo) { fill(lpSystemInfo); }

}  // extern "C"
