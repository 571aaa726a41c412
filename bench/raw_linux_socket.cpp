// The raw Linux baseline: socket() + close() straight into glibc, no Winsock layer.
//
// This translation unit must never see the ws2 headers (bench/CMakeLists.txt builds it without
// the ws2 include directory), because <sys/socket.h> and <winsock2.h> declare conflicting names.
#include "raw_linux_socket.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ws2_bench {
namespace {

void raw_socket_close_loop(benchmark::State &state, int type) {
  for (auto _ : state) {
    int fd = ::socket(AF_INET, type, 0);
    if (fd < 0) {
      const std::string msg = std::string("socket() failed: ") + std::strerror(errno);
      state.SkipWithError(msg.c_str());
      break;
    }
    if (::close(fd) != 0) {
      const std::string msg = std::string("close() failed: ") + std::strerror(errno);
      state.SkipWithError(msg.c_str());
      break;
    }
  }
}

}  // namespace

void BM_raw_socket_close_tcp(benchmark::State &state) { raw_socket_close_loop(state, SOCK_STREAM); }

void BM_raw_socket_close_udp(benchmark::State &state) { raw_socket_close_loop(state, SOCK_DGRAM); }

}  // namespace ws2_bench
