#include "catalog/installed_catalog.h"

#include <algorithm>
#include <cstdio>
#include <new>
#include <string>

#include "catalog/catalog_changes.h"
#include "catalog/catalog_file.h"
#include "catalog/catalog_storage.h"

namespace ws2::catalog {
namespace {

void report(const std::string &path, const std::string &problem) {
    std::fprintf(stderr, "ws2: catalog file %s is unusable: %s\n", path.c_str(), problem.c_str());
}

// The catalog at `path`: the built-in one when the file does not exist.
std::optional<Catalog> load_from(const std::string &path) {
    if (path.empty()) return builtin_catalog();
    storage::ReadResult file = storage::read_file(path);
    if (file.status == storage::ReadStatus::absent) return builtin_catalog();
    std::string problem = file.problem;
    if (file.status == storage::ReadStatus::ok) {
        if (std::optional<Catalog> c = parse_catalog(file.text, &problem)) return c;
    }
    report(path, problem);
    return std::nullopt;
}

}  // namespace

std::optional<Catalog> load_installed_catalog() { return load_from(storage::path_for_reading()); }

namespace {

// The catalog a reset starts from when the file is damaged: the built-in one, with the next id
// taken from whatever of the file can still be read, so ids stay unique where that is possible.
Catalog salvage(const std::string &path) {
    Catalog c = builtin_catalog();
    storage::ReadResult file = storage::read_file(path);
    if (file.status == storage::ReadStatus::ok)
        c.next_catalog_entry_id = std::max(c.next_catalog_entry_id, salvage_next_id(file.text));
    return c;
}

int write_catalog(bool replace_damaged, const std::function<int(Catalog &)> &change) {
    try {
        std::string path = storage::path_for_writing();
        storage::WriterLock lock;
        std::string problem;
        if (!lock.acquire(path, &problem)) {
            report(path, problem);
            return WSANO_RECOVERY;
        }
        std::optional<Catalog> current = load_from(path);
        if (!current && replace_damaged) current = salvage(path);
        if (!current) return WSANO_RECOVERY;  // never overwrite what we could not read
        if (int err = change(*current); err != 0) return err;
        ++current->serial;
        if (!storage::replace_file(path, serialize_catalog(*current), &problem)) {
            report(path, problem);
            return WSANO_RECOVERY;
        }
        return 0;
    } catch (const std::bad_alloc &) {
        return WSA_NOT_ENOUGH_MEMORY;
    }
}

}  // namespace

int update_installed_catalog(const std::function<int(Catalog &)> &change) {
    return write_catalog(false, change);
}

int reset_installed_catalog() {
    return write_catalog(true, [](Catalog &c) {
        reset_to_builtin(c);
        return 0;
    });
}

}  // namespace ws2::catalog
