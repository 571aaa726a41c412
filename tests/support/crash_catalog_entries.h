// The providers the catalog crash tests install: shared by the writer child and the test, which
// must know exactly what a completed write contains.
#pragma once
#include <winsock2.h>

#include <cstring>
#include <cwchar>
#include <vector>

namespace ws2test {

inline constexpr const wchar_t *kCrashProviderPath = L"/usr/lib/ws2/providers/libcrash-test.so";

inline GUID crash_provider(unsigned n) { return GUID{0xC4A54000u + n, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}}; }

// Entries with long names, so the file is large enough for a kill to land inside a write.
inline std::vector<WSAPROTOCOL_INFOW> crash_entries(unsigned n, unsigned count) {
    std::vector<WSAPROTOCOL_INFOW> out(count);
    for (unsigned k = 0; k < count; ++k) {
        WSAPROTOCOL_INFOW &i = out[k];
        std::memset(&i, 0, sizeof i);
        i.dwServiceFlags1 = XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED;
        i.ProtocolChain.ChainLen = BASE_PROTOCOL;
        i.iVersion = 2;
        i.iAddressFamily = AF_INET;
        i.iMaxSockAddr = i.iMinSockAddr = 16;
        i.iSocketType = SOCK_DGRAM;
        i.iProtocol = 200 + static_cast<int>(k % 50);
        std::swprintf(i.szProtocol, WSAPROTOCOL_LEN, L"Crash test provider %u entry %u %ls", n, k,
                      L"..............................................................................");
    }
    return out;
}

}  // namespace ws2test
