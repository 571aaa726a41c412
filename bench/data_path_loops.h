// The data-path benchmark loops, written once and instantiated for both socket layers.
//
// data_path_bench.cpp instantiates them with a Winsock API (ws2) and raw_linux_data_path.cpp with
// the Linux socket API, so both sides run exactly the same loop and thread structure and only the
// socket calls differ. This header must include neither <winsock2.h> nor <sys/socket.h>: it is
// compiled into both translation units.
//
// An `Api` provides (all static; errors are reported through last_error() in the failing thread):
//   using Socket;  using Address;                  socket handle and IPv4 socket address types
//   bool udp_pair(Socket *client, Socket *server, Address *server_address, std::string *error)
//        two UDP sockets bound to 127.0.0.1:0 and the server's address
//   bool tcp_pair(Socket *client, Socket *server, std::string *error)
//        a connected TCP pair over 127.0.0.1 (listen, connect, accept), TCP_NODELAY on both ends
//   long send_to(Socket, const char *, int, const Address &)    sendto(), flags 0
//   long recv_from(Socket, char *, int, Address *from)          recvfrom(), flags 0
//   long send(Socket, const char *, int)                        send()
//   long recv(Socket, char *, int)                              recv(), flags 0
//   void shutdown_send(Socket); void shutdown_both(Socket); void close(Socket)
//   std::string last_error(const char *what)                    "what failed: <reason>"
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace ws2_bench::data_path {

inline constexpr int kStreamChunk = 64 * 1024;  // bytes per send() in the stream benchmark
inline constexpr int kDatagramBuffer = 2048;     // receive buffer of the UDP ping-pong

// The first error of a benchmark run wins; later ones are consequences of it.
class Failure {
 public:
  void set(const std::string &message) {
    if (message_.empty()) message_ = message;
  }
  bool failed() const { return !message_.empty(); }
  const std::string &message() const { return message_; }
  void report(benchmark::State &state) const {
    if (failed()) state.SkipWithError(message_.c_str());
  }

 private:
  std::string message_;
};

// UDP ping-pong: the client sends a `size`-byte datagram with sendto and waits for it with
// recvfrom; the echo thread receives it with recvfrom and sends it back to the address it came
// from. One iteration is one round trip. A zero-length datagram tells the echo thread to stop.
template <class Api>
void udp_ping_pong(benchmark::State &state, int size) {
  using Socket = typename Api::Socket;
  using Address = typename Api::Address;
  Socket client{}, server{};
  Address server_address{};
  std::string setup_error;
  if (!Api::udp_pair(&client, &server, &server_address, &setup_error)) {
    state.SkipWithError(setup_error.c_str());
    return;
  }

  Failure echo_failure;
  std::thread echo([&echo_failure, server, client] {
    char buffer[kDatagramBuffer];
    Address from{};
    for (;;) {
      const long n = Api::recv_from(server, buffer, sizeof buffer, &from);
      if (n < 0) {
        echo_failure.set(Api::last_error("echo recvfrom()"));
        break;
      }
      if (n == 0) break;  // the stop datagram
      if (Api::send_to(server, buffer, static_cast<int>(n), from) != n) {
        echo_failure.set(Api::last_error("echo sendto()"));
        break;
      }
    }
    if (echo_failure.failed()) Api::shutdown_both(client);  // wake the client
  });

  Failure failure;
  std::vector<char> message(static_cast<std::size_t>(size), 'p');
  char reply[kDatagramBuffer];
  Address from{};
  for (auto _ : state) {
    if (Api::send_to(client, message.data(), size, server_address) != size) {
      failure.set(Api::last_error("sendto()"));
      break;
    }
    const long n = Api::recv_from(client, reply, sizeof reply, &from);
    if (n != size) {
      failure.set(n < 0 ? Api::last_error("recvfrom()")
                        : "recvfrom() returned " + std::to_string(n) + " bytes, expected " +
                              std::to_string(size));
      break;
    }
  }

  if (failure.failed() || Api::send_to(client, message.data(), 0, server_address) != 0)
    Api::shutdown_both(server);  // the stop datagram could not be sent: wake the echo thread
  echo.join();
  Api::close(client);
  Api::close(server);
  failure.set(echo_failure.message());
  failure.report(state);
}

// TCP ping-pong: the client sends `size` bytes and receives them back; the echo thread receives
// and sends back whatever arrives. One iteration is one round trip. The client's shutdown of its
// sending side (recv() returning 0) tells the echo thread to stop.
template <class Api>
void tcp_ping_pong(benchmark::State &state, int size) {
  using Socket = typename Api::Socket;
  Socket client{}, server{};
  std::string setup_error;
  if (!Api::tcp_pair(&client, &server, &setup_error)) {
    state.SkipWithError(setup_error.c_str());
    return;
  }

  Failure echo_failure;
  std::thread echo([&echo_failure, server, client, size] {
    std::vector<char> buffer(static_cast<std::size_t>(size));
    for (;;) {
      const long n = Api::recv(server, buffer.data(), size);
      if (n < 0) {
        echo_failure.set(Api::last_error("echo recv()"));
        break;
      }
      if (n == 0) break;  // the client shut its side down
      for (long done = 0; done < n;) {
        const long m = Api::send(server, buffer.data() + done, static_cast<int>(n - done));
        if (m <= 0) {
          echo_failure.set(Api::last_error("echo send()"));
          break;
        }
        done += m;
      }
      if (echo_failure.failed()) break;
    }
    if (echo_failure.failed()) Api::shutdown_both(client);  // wake the client
  });

  Failure failure;
  std::vector<char> message(static_cast<std::size_t>(size), 'p');
  std::vector<char> reply(static_cast<std::size_t>(size));
  for (auto _ : state) {
    for (long done = 0; done < size;) {
      const long m = Api::send(client, message.data() + done, static_cast<int>(size - done));
      if (m <= 0) {
        failure.set(Api::last_error("send()"));
        break;
      }
      done += m;
    }
    for (long got = 0; got < size && !failure.failed();) {
      const long n = Api::recv(client, reply.data() + got, static_cast<int>(size - got));
      if (n <= 0) {
        failure.set(n < 0 ? Api::last_error("recv()") : "recv(): connection closed by the echo");
        break;
      }
      got += n;
    }
    if (failure.failed()) break;
  }

  if (failure.failed())
    Api::shutdown_both(server);
  else
    Api::shutdown_send(client);
  echo.join();
  Api::close(client);
  Api::close(server);
  failure.set(echo_failure.message());
  failure.report(state);
}

// TCP stream: the client sends 64 KiB chunks with send(); a receiver thread drains them with
// recv() into a 64 KiB buffer. One iteration is one 64 KiB chunk. The last iteration also shuts
// the client's sending side down and waits for the receiver to drain everything, so the time
// covers delivery of every byte, not just its queueing in the socket buffers.
template <class Api>
void tcp_stream(benchmark::State &state) {
  using Socket = typename Api::Socket;
  Socket client{}, server{};
  std::string setup_error;
  if (!Api::tcp_pair(&client, &server, &setup_error)) {
    state.SkipWithError(setup_error.c_str());
    return;
  }

  Failure receiver_failure;
  std::int64_t received = 0;
  std::thread receiver([&receiver_failure, &received, server, client] {
    std::vector<char> buffer(kStreamChunk);
    for (;;) {
      const long n = Api::recv(server, buffer.data(), kStreamChunk);
      if (n < 0) {
        receiver_failure.set(Api::last_error("receiver recv()"));
        break;
      }
      if (n == 0) break;  // the client shut its side down
      received += n;
    }
    if (receiver_failure.failed()) Api::shutdown_both(client);  // wake the client
  });

  Failure failure;
  bool joined = false;
  std::vector<char> chunk(kStreamChunk, 's');
  std::int64_t iterations = 0;
  for (auto _ : state) {
    for (long done = 0; done < kStreamChunk;) {
      const long m = Api::send(client, chunk.data() + done, static_cast<int>(kStreamChunk - done));
      if (m <= 0) {
        failure.set(Api::last_error("send()"));
        break;
      }
      done += m;
    }
    if (failure.failed()) break;
    if (++iterations == state.max_iterations) {
      Api::shutdown_send(client);
      receiver.join();
      joined = true;
    }
  }

  if (!joined) {
    if (failure.failed())
      Api::shutdown_both(server);
    else
      Api::shutdown_send(client);
    receiver.join();
  }
  Api::close(client);
  Api::close(server);
  failure.set(receiver_failure.message());
  if (!failure.failed() && received != iterations * kStreamChunk)
    failure.set("receiver got " + std::to_string(received) + " bytes, expected " +
                std::to_string(iterations * kStreamChunk));
  failure.report(state);
  state.SetBytesProcessed(iterations * kStreamChunk);
}

}  // namespace ws2_bench::data_path
