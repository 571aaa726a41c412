// ws2_duplicate_child: the other process of the WSADuplicateSocket tests.
//
//   ws2_duplicate_child W|A from|zero [twice]
//
// W/A: which WSAPROTOCOL_INFO (and WSASocket) variant; from/zero: af, type and protocol passed
// as FROM_PROTOCOL_INFO or 0; twice: the info is used a second time as well.
// Binary protocol over stdin/stdout: the child writes its pid (DWORD), reads one
// WSAPROTOCOL_INFO, writes the result of WSASocket (int: 0 or the Winsock error) and, with
// "twice", that of the second use. Then it echoes on the socket (a stream until the peer ends
// it, one datagram), writes 0 or the failing error, and exits.
#include <windows.h>
#include <winsock2.h>

#include <cstdio>
#include <cstring>

namespace {

bool put(const void *data, std::size_t n) {
    return std::fwrite(data, 1, n, stdout) == n && std::fflush(stdout) == 0;
}

bool put_int(int value) { return put(&value, sizeof value); }

template <class Info, class Create>
SOCKET adopt(bool zero, bool twice, Create create, int *error) {
    Info info;
    if (std::fread(&info, 1, sizeof info, stdin) != sizeof info) return INVALID_SOCKET;
    int triple = zero ? 0 : FROM_PROTOCOL_INFO;
    SOCKET s = create(triple, triple, triple, &info, 0, WSA_FLAG_OVERLAPPED);
    *error = s == INVALID_SOCKET ? WSAGetLastError() : 0;
    put_int(*error);
    if (twice) {
        SOCKET again = create(triple, triple, triple, &info, 0, WSA_FLAG_OVERLAPPED);
        put_int(again == INVALID_SOCKET ? WSAGetLastError() : 0);
        if (again != INVALID_SOCKET) closesocket(again);
    }
    return s;
}

int echo(SOCKET s) {
    // A parent test that failed must not leave the child waiting forever.
    DWORD timeout_ms = 20000;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char *>(&timeout_ms), sizeof timeout_ms);
    int type = 0, len = sizeof type;
    if (getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), &len) != 0)
        return WSAGetLastError();
    char buffer[4096];
    if (type == SOCK_DGRAM) {
        sockaddr_storage from{};
        int from_len = sizeof from;
        int n = recvfrom(s, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr *>(&from), &from_len);
        if (n < 0) return WSAGetLastError();
        if (sendto(s, buffer, n, 0, reinterpret_cast<sockaddr *>(&from), from_len) != n)
            return WSAGetLastError();
        return 0;
    }
    for (;;) {
        int n = recv(s, buffer, sizeof buffer, 0);
        if (n == 0) return 0;
        if (n < 0) return WSAGetLastError();
        for (int sent = 0; sent < n;) {
            int m = send(s, buffer + sent, n - sent, 0);
            if (m < 0) return WSAGetLastError();
            sent += m;
        }
    }
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    bool ansi = std::strcmp(argv[1], "A") == 0;
    bool zero = std::strcmp(argv[2], "zero") == 0;
    bool twice = argc > 3 && std::strcmp(argv[3], "twice") == 0;

    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return 3;
    DWORD pid = GetCurrentProcessId();
    if (!put(&pid, sizeof pid)) return 4;

    int error = 0;
    SOCKET s = ansi ? adopt<WSAPROTOCOL_INFOA>(zero, twice, WSASocketA, &error)
                    : adopt<WSAPROTOCOL_INFOW>(zero, twice, WSASocketW, &error);
    if (s != INVALID_SOCKET) {
        put_int(echo(s));
        closesocket(s);
    }
    WSACleanup();
    return 0;
}
