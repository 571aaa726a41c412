// Child processes with pipes to their stdin and stdout, and plain Linux TCP clients: for the
// tests whose other side must not be a Winsock socket of this process (WSADuplicateSocket).
// Linux headers stay in child_process.cpp, away from <winsock2.h>.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ws2test {

struct ChildProcess {
    int pid = -1;
    int to_child = -1;    // the child's stdin
    int from_child = -1;  // the child's stdout
};

// Starts `path` with `args` (argv[1..]); pid -1 on failure. The child inherits nothing else of
// ours beyond what is inheritable.
ChildProcess spawn_child(const std::string &path, const std::vector<std::string> &args);
// Sends SIGKILL (the child dies wherever it is; wait_child then answers 128 + 9 unless it had
// already exited).
void kill_child(const ChildProcess &child);
// Closes the pipes and waits: the exit code, or 128 + signal number.
int wait_child(ChildProcess &child);

// Whole-buffer pipe I/O; false on end of file or error.
bool write_all(int fd, const void *data, std::size_t length);
bool read_all(int fd, void *data, std::size_t length);

// A Linux TCP socket connected to 127.0.0.1:port (host order), receive timeout `timeout_ms`;
// -1 on failure.
int linux_tcp_connect(std::uint16_t port, int timeout_ms);
// recv(2): bytes, 0 at end of stream, -1 on error (a timeout included).
long linux_recv(int fd, void *data, std::size_t length);

}  // namespace ws2test
