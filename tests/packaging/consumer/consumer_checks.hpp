// Shared body of the C++ consumers. Whichever order the headers came in, the names a Windows
// program uses must be Winsock's: 32-bit u_long, a counted fd_set, a timeval of two 32-bit LONGs,
// gethostname(char *, int) and a select that takes Winsock's fd_set and timeval.
#ifndef WS2_PACKAGING_CONSUMER_CHECKS_HPP
#define WS2_PACKAGING_CONSUMER_CHECKS_HPP

#include <cstddef>
#include <type_traits>

static_assert(sizeof(u_long) == 4, "u_long must be Winsock's 32-bit type");
static_assert(sizeof(LONG) == 4, "LONG must be 32 bits");
static_assert(FD_SETSIZE == 64, "Winsock's default FD_SETSIZE is 64");
static_assert(std::is_same_v<decltype(fd_set{}.fd_count), u_int>, "fd_set must be Winsock's");
static_assert(sizeof(fd_set{}.fd_array) == FD_SETSIZE * sizeof(SOCKET), "fd_set must be Winsock's");
static_assert(sizeof(timeval) == 8, "timeval must be two 32-bit LONGs");
static_assert(std::is_same_v<decltype(timeval{}.tv_sec), LONG>, "timeval must be Winsock's");
static_assert(std::is_same_v<decltype(&gethostname), int (*)(char *, int)>,
              "gethostname must be Winsock's (char *, int)");
static_assert(std::is_same_v<decltype(&select),
                             int (*)(int, fd_set *, fd_set *, fd_set *, const timeval *)>,
              "select must take Winsock's fd_set and timeval");
static_assert(sizeof(SOCKET) == sizeof(void *), "SOCKET is UINT_PTR");

// Creates and inspects a socket on another thread; returns the text to print.
inline std::string consumer_run() {
    std::string result;
    std::thread worker([&result] {
        WSADATA wsaData;
        int rc = WSAStartup(MAKEWORD(2, 2), &wsaData);
        if (rc != 0) {
            result = "WSAStartup failed: " + std::to_string(rc);
            return;
        }
        SOCKET s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
        if (s == INVALID_SOCKET) {
            result = "socket failed with error = " + std::to_string(WSAGetLastError());
            WSACleanup();
            return;
        }
        fd_set set;
        FD_ZERO(&set);
        FD_SET(s, &set);
        FD_SET(s, &set);  // Winsock's FD_SET does not add a socket twice.
        int type = -1;
        int len = static_cast<int>(sizeof type);
        if (getsockopt(s, SOL_SOCKET, SO_TYPE, reinterpret_cast<char *>(&type), &len) ==
            SOCKET_ERROR)
            result = "getsockopt failed with error = " + std::to_string(WSAGetLastError());
        else if (type != SOCK_DGRAM)
            result = "SO_TYPE is " + std::to_string(type);
        else if (set.fd_count != 1 || set.fd_array[0] != s)
            result = "FD_SET did not behave like Winsock's";
        else
            result = "OK";
        if (closesocket(s) == SOCKET_ERROR && result == "OK")
            result = "closesocket failed with error = " + std::to_string(WSAGetLastError());
        WSACleanup();
    });
    worker.join();
    return result;
}

#endif
