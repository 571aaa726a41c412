// The C++ standard library's headers (which pull in glibc's select, fd_set, timeval, u_long and
// gethostname) come BEFORE the Winsock headers.
#include <iostream>
#include <string>
#include <thread>

#include <winsock2.h>
#include <ws2tcpip.h>

#include "consumer_checks.hpp"

int main() {
    std::string result = consumer_run();
    std::cout << result << '\n';
    return result == "OK" ? 0 : 1;
}
