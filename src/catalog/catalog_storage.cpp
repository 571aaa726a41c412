// The catalog file on disk; glibc headers only (see catalog_storage.h).
#include "catalog/catalog_storage.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ws2::catalog::storage {
namespace {

constexpr const char *kSystemPath = "/etc/ws2/catalog.json";

std::string describe(const std::string &what, int error) { return what + ": " + std::strerror(error); }

std::string parent_directory(const std::string &path) {
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

bool write_all(int fd, const std::string &text) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

std::string path_for_reading() {
    if (const char *env = std::getenv("WS2_CATALOG"); env != nullptr && *env != '\0') return env;
    struct stat st;
    return ::stat(kSystemPath, &st) == 0 ? kSystemPath : "";
}

std::string path_for_writing() {
    if (const char *env = std::getenv("WS2_CATALOG"); env != nullptr && *env != '\0') return env;
    return kSystemPath;
}

ReadResult read_file(const std::string &path) {
    ReadResult r;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return r;  // absent
        r.status = ReadStatus::failed;
        r.problem = describe("cannot open it", errno);
        return r;
    }
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            r.status = ReadStatus::failed;
            r.problem = describe("cannot read it", errno);
            ::close(fd);
            return r;
        }
        if (n == 0) break;
        r.text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    r.status = ReadStatus::ok;
    return r;
}

WriterLock::~WriterLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

bool WriterLock::acquire(const std::string &path, std::string *problem) {
    // The system location's directory may not exist yet; only root can create it.
    if (path == kSystemPath) ::mkdir(parent_directory(path).c_str(), 0755);
    std::string lock_path = path + ".lock";
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        *problem = describe("cannot open " + lock_path, errno);
        return false;
    }
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        *problem = describe("cannot lock " + lock_path, errno);
        return false;
    }
    return true;
}

bool replace_file(const std::string &path, const std::string &text, std::string *problem) {
    // One fixed name: writers hold the lock, and a temp file left by a killed writer is simply
    // truncated by the next one instead of piling up.
    std::string temp = path + ".tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        *problem = describe("cannot create " + temp, errno);
        return false;
    }
    bool ok = write_all(fd, text) && ::fsync(fd) == 0;
    int error = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
        ::unlink(temp.c_str());
        *problem = describe("cannot write " + temp, error);
        return false;
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        error = errno;
        ::unlink(temp.c_str());
        *problem = describe("cannot rename " + temp, error);
        return false;
    }
    // The rename itself must reach the disk before the change counts as made.
    int dir = ::open(parent_directory(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return true;
}

}  // namespace ws2::catalog::storage
