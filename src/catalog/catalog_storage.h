// Where the persistent catalog lives and how its file is read and replaced. Plain file I/O only
// (no Windows types): readers read without a lock and, because a writer replaces the file with
// rename(2), always see a whole old or a whole new file; writers serialise on "<path>.lock".
#pragma once
#include <string>

namespace ws2::catalog::storage {

// The file to read: $WS2_CATALOG when set, else /etc/ws2/catalog.json when it exists, else ""
// (no file: the built-in catalog).
std::string path_for_reading();
// The file a writer creates or replaces: $WS2_CATALOG when set, else /etc/ws2/catalog.json.
std::string path_for_writing();

enum class ReadStatus { ok, absent, failed };
struct ReadResult {
    ReadStatus status = ReadStatus::absent;
    std::string text;     // the whole file when ok
    std::string problem;  // why, when failed
};
ReadResult read_file(const std::string &path);

// An exclusive flock on "<path>.lock", held until destruction.
class WriterLock {
public:
    WriterLock() = default;
    WriterLock(const WriterLock &) = delete;
    WriterLock &operator=(const WriterLock &) = delete;
    ~WriterLock();
    // False (and `problem` set) when the lock file cannot be created or locked.
    bool acquire(const std::string &path, std::string *problem);

private:
    int fd_ = -1;
};

// Under the writer lock: writes "<path>.tmp", fsyncs it, renames it over `path` and fsyncs the
// directory.
// On failure the old file is untouched and `problem` says why.
bool replace_file(const std::string &path, const std::string &text, std::string *problem);

}  // namespace ws2::catalog::storage
