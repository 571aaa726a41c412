// Audited ports (marker files shared by every ws2 process) and audit records (one line each,
// appended atomically to the audit log). Only binds made through ws2 are seen: a program that
// calls the kernel's bind(2) directly needs the kernel's own audit rules (auditctl).
#include "providers/base/bind_audit.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ws2::base {
namespace {

// /dev/shm is a tmpfs every process can reach and that starts empty at boot, like the audit
// state of Windows sockets.
constexpr const char *kMarkerRoot = "/dev/shm/ws2-audit";
constexpr const char *kDefaultLog = "/var/log/ws2/audit.log";

// SOCK_STREAM / SOCK_DGRAM have the same numbers on Windows and Linux.
const char *protocol_name(int type) {
    switch (type) {
        case SOCK_STREAM: return "tcp";
        case SOCK_DGRAM: return "udp";
        default: return nullptr;  // raw sockets have no ports
    }
}

std::string port_directory(const char *protocol, int port) {
    return std::string(kMarkerRoot) + "/" + protocol + "." + std::to_string(port);
}

// Field 22 of /proc/<pid>/stat (clock ticks since boot), which tells a reused pid from the
// process that wrote a marker; 0 when unknown.
unsigned long long start_time(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char text[1024];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    text[n] = '\0';
    const char *p = std::strrchr(text, ')');  // the command name may contain spaces
    if (p == nullptr) return 0;
    unsigned long long value = 0;
    // After ")": state (field 3), then fields 4..21, then starttime.
    if (std::sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                    &value) != 1)
        return 0;
    return value;
}

bool owner_alive(pid_t pid, unsigned long long recorded_start) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return false;
    unsigned long long now = start_time(pid);
    return recorded_start == 0 || now == 0 || now == recorded_start;
}

// The pids of the live sockets auditing (protocol, port), leaving out `self_socket` of this
// process. Stale markers are removed on the way, and the port's directory once it is empty.
std::vector<pid_t> live_owners(const char *protocol, int port, std::uint64_t self_socket,
                               bool exclude_self) {
    std::vector<pid_t> owners;
    std::string dir = port_directory(protocol, port);
    DIR *d = opendir(dir.c_str());
    if (d == nullptr) return owners;  // the usual case: nobody audits this port
    pid_t me = getpid();
    bool any_left = false;
    while (dirent *e = readdir(d)) {
        int pid = 0;
        unsigned long long socket = 0;
        if (std::sscanf(e->d_name, "%d.%llu", &pid, &socket) != 2 || pid <= 0) continue;
        char text[32] = {};
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0) {
            ssize_t ignored = read(fd, text, sizeof text - 1);
            (void)ignored;
            close(fd);
        }
        if (!owner_alive(pid, std::strtoull(text, nullptr, 10))) {
            unlinkat(dirfd(d), e->d_name, 0);
            continue;
        }
        any_left = true;
        if (exclude_self && pid == me && socket == self_socket) continue;
        if (std::find(owners.begin(), owners.end(), pid) == owners.end()) owners.push_back(pid);
    }
    closedir(d);
    if (!any_left) rmdir(dir.c_str());  // fails harmlessly if a marker arrived meanwhile
    return owners;
}

// ---- records ---------------------------------------------------------------------------------

// Windows error numbers a bind reports (winerror.h); this file cannot include the Windows headers.
const char *error_name(int error) {
    switch (error) {
        case 0: return "success";
        case 10013: return "WSAEACCES";
        case 10014: return "WSAEFAULT";
        case 10022: return "WSAEINVAL";
        case 10038: return "WSAENOTSOCK";
        case 10047: return "WSAEAFNOSUPPORT";
        case 10048: return "WSAEADDRINUSE";
        case 10049: return "WSAEADDRNOTAVAIL";
        case 10055: return "WSAENOBUFS";
        default: return "error";
    }
}

// The executable's file name, as one token (spaces and '=' would break the key=value format).
const std::string &executable_name() {
    static const std::string name = [] {
        char path[4096];
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
        std::string full = n > 0 ? std::string(path, static_cast<std::size_t>(n))
                                 : std::string(program_invocation_short_name);
        std::string base = full.substr(full.find_last_of('/') + 1);
        for (char &c : base)
            if (c <= ' ' || c == '=' || c == 0x7f) c = '_';
        return base.empty() ? std::string("unknown") : base;
    }();
    return name;
}

std::string address_text(const kernel::Address &address) {
    sockaddr_storage ss{};
    std::memcpy(&ss, address.bytes, std::min<std::size_t>(sizeof ss, sizeof address.bytes));
    char text[INET6_ADDRSTRLEN] = "?";
    if (ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in &>(ss).sin_addr, text, sizeof text);
    else if (ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 &>(ss).sin6_addr, text, sizeof text);
    return text;
}

std::string utc_now() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm t{};
    gmtime_r(&ts.tv_sec, &t);
    char text[64];
    std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &t);
    std::snprintf(text + n, sizeof text - n, ".%06ldZ", ts.tv_nsec / 1000);
    return text;
}

void make_parent_directories(const std::string &path) {
    for (std::size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1))
        mkdir(path.substr(0, at).c_str(), 0755);
}

// One write(2) on an O_APPEND descriptor: concurrent writers of any process never interleave.
void append_record(const std::string &line) {
    std::string path = audit_log_path();
    int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY;
    int fd = open(path.c_str(), flags, 0644);
    if (fd < 0 && errno == ENOENT) {
        make_parent_directories(path);
        fd = open(path.c_str(), flags, 0644);
    }
    bool written = false;
    if (fd >= 0) {
        written = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
        close(fd);
    }
    // The record must not be lost, and the bind must not fail: the system log takes it.
    if (!written) syslog(LOG_AUTHPRIV | LOG_NOTICE, "ws2-audit: %.*s", static_cast<int>(line.size() - 1), line.c_str());
}

// ---- this process's audited sockets ----------------------------------------------------------

struct Marker {
    std::string directory, file;
    pid_t owner;  // the process that wrote it (a forked child inherits the table, not the audit)
};

std::mutex &markers_mutex() {
    static auto *m = new std::mutex();
    return *m;
}
std::unordered_map<std::uint64_t, Marker> &markers() {
    static auto *table = new std::unordered_map<std::uint64_t, Marker>();
    return *table;
}

// Creates (or accepts) a directory for markers. /dev/shm is writable by everyone, so a directory
// that is a symlink, belongs to another unprivileged user or is writable by others is refused:
// a privileged process must not be steered into writing elsewhere.
bool make_shared_directory(const std::string &path) {
    if (mkdir(path.c_str(), 0755) == 0) chmod(path.c_str(), 0755);  // whatever the umask
    struct stat st{};
    return lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
           (st.st_uid == 0 || st.st_uid == geteuid()) && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

bool write_marker(std::uint64_t socket, const char *protocol, int port) {
    if (!make_shared_directory(kMarkerRoot)) return false;
    std::string dir = port_directory(protocol, port);
    pid_t me = getpid();
    std::string file = dir + "/" + std::to_string(me) + "." + std::to_string(socket);
    std::string content = std::to_string(start_time(me)) + "\n";
    // Another process may remove the port's directory (its last marker went) between our mkdir
    // and open: then try again.
    for (int attempt = 0; attempt < 8; ++attempt) {
        if (!make_shared_directory(dir)) {
            if (errno == ENOENT) continue;
            return false;
        }
        int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
            if (errno == ENOENT) continue;
            return false;
        }
        fchmod(fd, 0644);
        bool ok = write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
        close(fd);
        if (!ok) {
            unlink(file.c_str());
            return false;
        }
        std::lock_guard lock(markers_mutex());
        markers()[socket] = Marker{dir, file, me};
        return true;
    }
    return false;
}

void remove_marker(const Marker &m) {
    if (m.owner != getpid()) return;
    unlink(m.file.c_str());
    rmdir(m.directory.c_str());  // only when no other socket audits the port
}

}  // namespace

const char *audit_log_path() {
    const char *path = std::getenv("WS2_AUDIT_LOG");
    return path != nullptr && path[0] != '\0' ? path : kDefaultLog;
}

void BindAudit::bound(bool audited) {
    succeeded_ = true;
    if (!audited) return;
    const char *protocol = protocol_name(type_);
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (protocol == nullptr ||
        getsockname(static_cast<int>(socket_), reinterpret_cast<sockaddr *>(&local), &length) != 0)
        return;
    int port = local.ss_family == AF_INET    ? ntohs(reinterpret_cast<sockaddr_in &>(local).sin_port)
               : local.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6 &>(local).sin6_port)
                                             : 0;
    if (port == 0) return;
    try {
        if (!write_marker(socket_, protocol, port))
            syslog(LOG_AUTHPRIV | LOG_WARNING, "ws2-audit: cannot mark %s port %d as audited under %s: %m",
                   protocol, port, kMarkerRoot);
    } catch (...) {  // out of memory: the bind stands, unaudited
    }
}

BindAudit::~BindAudit() {
    const char *protocol = protocol_name(type_);
    int port = kernel::port(address_);  // 0 for a port-0 bind and for non-IP addresses
    if (protocol == nullptr || port == 0) return;
    try {
        std::vector<pid_t> owners = live_owners(protocol, port, socket_, true);
        if (owners.empty()) return;
        int error = succeeded_ ? 0 : *error_;
        std::string audited_by;
        for (pid_t pid : owners) audited_by += (audited_by.empty() ? "" : ",") + std::to_string(pid);
        const char *format =
            "time=%s event=bind-attempt-on-audited-port pid=%d uid=%u exe=%s protocol=%s address=%s "
            "port=%d result=%s error=%d audited_by_pid=%s\n";
        std::string now = utc_now(), address = address_text(address_);
        auto print = [&](char *out, std::size_t size) {
            return std::snprintf(out, size, format, now.c_str(), static_cast<int>(getpid()),
                                 static_cast<unsigned>(getuid()), executable_name().c_str(), protocol,
                                 address.c_str(), port, error_name(error), error, audited_by.c_str());
        };
        int n = print(nullptr, 0);
        if (n <= 0) return;
        std::string line(static_cast<std::size_t>(n) + 1, '\0');
        print(line.data(), line.size());
        line.pop_back();
        append_record(line);
    } catch (...) {  // out of memory: the record is lost, never the bind's result
    }
}

void stop_auditing(std::uint64_t socket) {
    std::lock_guard lock(markers_mutex());
    auto it = markers().find(socket);
    if (it == markers().end()) return;
    remove_marker(it->second);
    markers().erase(it);
}

void stop_all_auditing() {
    std::lock_guard lock(markers_mutex());
    for (const auto &[socket, marker] : markers()) remove_marker(marker);
    markers().clear();
}

bool port_is_audited(int type, int port) {
    const char *protocol = protocol_name(type);
    return protocol != nullptr && port > 0 && !live_owners(protocol, port, 0, false).empty();
}

}  // namespace ws2::base
