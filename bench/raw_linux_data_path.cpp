// The raw Linux baseline of the data-path benchmarks: the loops of data_path_loops.h over
// socket/bind/sendto/recvfrom/send/recv/close straight into glibc, no Winsock layer.
//
// This translation unit must never see the ws2 headers (bench/CMakeLists.txt builds it without
// the ws2 include directory), because <sys/socket.h> and <winsock2.h> declare conflicting names.
#include "raw_linux_data_path.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "data_path_loops.h"

namespace ws2_bench {
namespace {

std::string errno_message(const char *what) {
  return std::string(what) + " failed: " + std::strerror(errno);
}

sockaddr_in loopback_any_port() {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = 0;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A socket of `type` bound to 127.0.0.1:0; its address in *bound. -1 (with *error) on failure.
int bound_loopback_socket(int type, sockaddr_in *bound, std::string *error) {
  const int fd = ::socket(AF_INET, type, 0);
  if (fd < 0) {
    *error = errno_message("socket()");
    return -1;
  }
  sockaddr_in a = loopback_any_port();
  socklen_t len = sizeof *bound;
  if (::bind(fd, reinterpret_cast<const sockaddr *>(&a), sizeof a) != 0) {
    *error = errno_message("bind()");
  } else if (::getsockname(fd, reinterpret_cast<sockaddr *>(bound), &len) != 0) {
    *error = errno_message("getsockname()");
  } else {
    return fd;
  }
  ::close(fd);
  return -1;
}

struct RawApi {
  using Socket = int;
  using Address = sockaddr_in;

  static bool udp_pair(int *client, int *server, sockaddr_in *server_address,
                       std::string *error) {
    sockaddr_in client_address{};
    *server = bound_loopback_socket(SOCK_DGRAM, server_address, error);
    if (*server < 0) return false;
    *client = bound_loopback_socket(SOCK_DGRAM, &client_address, error);
    if (*client < 0) {
      ::close(*server);
      return false;
    }
    return true;
  }

  static bool tcp_pair(int *client, int *server, std::string *error) {
    sockaddr_in listen_address{};
    const int listener = bound_loopback_socket(SOCK_STREAM, &listen_address, error);
    if (listener < 0) return false;
    *client = *server = -1;
    if (::listen(listener, 1) != 0) {
      *error = errno_message("listen()");
    } else if ((*client = ::socket(AF_INET, SOCK_STREAM, 0)) < 0) {
      *error = errno_message("socket()");
    } else if (::connect(*client, reinterpret_cast<const sockaddr *>(&listen_address),
                         sizeof listen_address) != 0) {
      *error = errno_message("connect()");
    } else if ((*server = ::accept(listener, nullptr, nullptr)) < 0) {
      *error = errno_message("accept()");
    } else if (raw_set_tcp_nodelay(*client, error) && raw_set_tcp_nodelay(*server, error)) {
      ::close(listener);
      return true;
    }
    if (*client >= 0) ::close(*client);
    if (*server >= 0) ::close(*server);
    ::close(listener);
    return false;
  }

  static long send_to(int s, const char *buffer, int length, const sockaddr_in &to) {
    return ::sendto(s, buffer, static_cast<size_t>(length), 0,
                    reinterpret_cast<const sockaddr *>(&to), sizeof to);
  }
  static long recv_from(int s, char *buffer, int length, sockaddr_in *from) {
    socklen_t from_length = sizeof *from;
    return ::recvfrom(s, buffer, static_cast<size_t>(length), 0,
                      reinterpret_cast<sockaddr *>(from), &from_length);
  }
  // MSG_NOSIGNAL: a reset connection fails the call instead of raising SIGPIPE (Winsock has no
  // SIGPIPE; ws2 passes the same flag).
  static long send(int s, const char *buffer, int length) {
    return ::send(s, buffer, static_cast<size_t>(length), MSG_NOSIGNAL);
  }
  static long recv(int s, char *buffer, int length) {
    return ::recv(s, buffer, static_cast<size_t>(length), 0);
  }
  static void shutdown_send(int s) { ::shutdown(s, SHUT_WR); }
  static void shutdown_both(int s) { ::shutdown(s, SHUT_RDWR); }
  static void close(int s) { ::close(s); }
  static std::string last_error(const char *what) { return errno_message(what); }
};

}  // namespace

bool raw_set_tcp_nodelay(int fd, std::string *error) {
  const int one = 1;
  if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0) return true;
  *error = errno_message("setsockopt(IPPROTO_TCP, TCP_NODELAY)");
  return false;
}

void BM_raw_udp_ping_pong_1(benchmark::State &state) {
  data_path::udp_ping_pong<RawApi>(state, 1);
}
void BM_raw_udp_ping_pong_64(benchmark::State &state) {
  data_path::udp_ping_pong<RawApi>(state, 64);
}
void BM_raw_tcp_ping_pong_1(benchmark::State &state) {
  data_path::tcp_ping_pong<RawApi>(state, 1);
}
void BM_raw_tcp_stream_64k(benchmark::State &state) { data_path::tcp_stream<RawApi>(state); }

}  // namespace ws2_bench
