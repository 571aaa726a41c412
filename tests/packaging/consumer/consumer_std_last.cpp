// The Winsock headers come first; the C++ standard library's headers (and through them glibc's
// select, fd_set, timeval, u_long and gethostname) come AFTER.
#include <winsock2.h>
#include <ws2tcpip.h>

#include <iostream>
#include <string>
#include <thread>

#include "consumer_checks.hpp"

int main() {
    std::string result = consumer_run();
    std::cout << result << '\n';
    return result == "OK" ? 0 : 1;
}
