#include "support/posix.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace ws2test {

int run_in_child(const std::function<int()> &body) {
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) _exit(body());
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

bool fd_is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }
bool fd_is_cloexec(int fd) { return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

bool fd_survives_exec(int fd) {
    std::string check = "test -e /proc/self/fd/" + std::to_string(fd);
    return run_in_child([&] {
        execl("/bin/sh", "sh", "-c", check.c_str(), static_cast<char *>(nullptr));
        return 127;
    }) == 0;
}

int count_open_fds() {
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    while (dirent *e = readdir(d))
        if (e->d_name[0] != '.') ++n;
    closedir(d);
    return n - 1;  // the directory's own descriptor
}

int mkstemp_path(char *templ) {
    int fd = mkstemp(templ);
    if (fd < 0) return -1;
    close(fd);
    unlink(templ);
    return 0;
}

void remove_path(const char *path) { unlink(path); }

int open_devnull() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }
void close_fd(int fd) { close(fd); }

void *inaccessible_page() {
    static void *page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return page;
}

bool can_open_raw_socket() {
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0) return false;
    close(fd);
    return true;
}

bool drop_root_privileges() {
    if (geteuid() != 0) return false;
    return setgid(65534) == 0 && setuid(65534) == 0;
}

bool running_as_root() { return geteuid() == 0; }

bool set_fd_soft_limit(long soft) {
    rlimit r{};
    getrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = static_cast<rlim_t>(soft);
    return setrlimit(RLIMIT_NOFILE, &r) == 0;
}

long fd_hard_limit() {
    rlimit r{};
    getrlimit(RLIMIT_NOFILE, &r);
    return static_cast<long>(r.rlim_max);
}

bool limit_address_space(std::size_t headroom) {
    long pages = 0;
    FILE *f = std::fopen("/proc/self/statm", "r");
    if (f == nullptr || std::fscanf(f, "%ld", &pages) != 1) return false;
    std::fclose(f);
    rlimit r{};
    getrlimit(RLIMIT_AS, &r);
    r.rlim_cur = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + headroom;
    return setrlimit(RLIMIT_AS, &r) == 0;
}

void unlimit_address_space() {
    rlimit r{};
    getrlimit(RLIMIT_AS, &r);
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_AS, &r);
}

}  // namespace ws2test
