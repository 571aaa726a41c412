// select and __WSAFDIsSet. fd_set is a counted array of any length (an application may define
// FD_SETSIZE above 64); nfds is ignored; the timeval is never modified. All sockets must belong
// to one provider, as Winsock requires; the first socket's provider does the waiting.
#include <winsock2.h>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "api/dispatch.h"
#include "win32/export.h"
#include "win32/user_memory.h"

namespace ws2::api {
namespace {

// A private copy of a caller's fd_set: the count followed by that many sockets.
struct SetCopy {
    bool present = false;
    std::vector<std::uint64_t> storage;  // fd_set layout: u_int count, padding, SOCKET[count]

    fd_set *set() { return present ? reinterpret_cast<fd_set *>(storage.data()) : nullptr; }
    u_int count() const { return present ? reinterpret_cast<const fd_set *>(storage.data())->fd_count : 0; }

    int load(const fd_set *user) {
        if (user == nullptr) return 0;
        u_int count = 0;
        if (!win32::read_user_value(&count, &user->fd_count)) return WSAEFAULT;
        std::size_t bytes = offsetof(fd_set, fd_array) + std::size_t{count} * sizeof(SOCKET);
        storage.assign((bytes + 7) / 8 + 1, 0);
        if (!win32::read_user(storage.data(), user, bytes)) return WSAEFAULT;
        present = true;
        return 0;
    }

    // Adds the other copy's sockets that this one lacks (both are results now).
    void merge(SetCopy &other) {
        std::vector<SOCKET> all(set()->fd_array, set()->fd_array + count());
        for (u_int i = 0; i < other.count(); ++i) {
            SOCKET s = other.set()->fd_array[i];
            if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
        }
        std::size_t bytes = offsetof(fd_set, fd_array) + all.size() * sizeof(SOCKET);
        if (storage.size() * 8 < bytes) storage.resize((bytes + 7) / 8 + 1, 0);
        set()->fd_count = static_cast<u_int>(all.size());
        std::copy(all.begin(), all.end(), set()->fd_array);
        other = *this;
    }

    bool store(fd_set *user) {
        if (!present) return true;
        std::size_t bytes = offsetof(fd_set, fd_array) + std::size_t{count()} * sizeof(SOCKET);
        return win32::write_user(user, storage.data(), bytes);
    }
};

}  // namespace
}  // namespace ws2::api

using namespace ws2;

extern "C" {

WS2_EXPORT int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                             const struct timeval *timeout) {
    if (!api::is_started()) return api::fail(WSANOTINITIALISED);
    api::SetCopy sets[3];
    fd_set *user[3] = {readfds, writefds, exceptfds};
    for (int i = 0; i < 3; ++i)
        if (int e = sets[i].load(user[i])) return api::fail(e);
    timeval limit{};
    if (timeout != nullptr && !win32::read_user_value(&limit, timeout)) return api::fail(WSAEFAULT);
    if (sets[0].count() + sets[1].count() + sets[2].count() == 0) return api::fail(WSAEINVAL);

    spi::Provider *provider = nullptr;
    for (auto &copy : sets)
        for (u_int i = 0; i < copy.count(); ++i) {
            spi::SocketRecord record;
            if (!spi::find_socket(copy.set()->fd_array[i], &record)) return api::fail(WSAENOTSOCK);
            if (provider == nullptr) provider = record.provider;
        }
    int err = 0;
    int n = provider->table.lpWSPSelect(nfds, sets[0].set(), sets[1].set(), sets[2].set(),
                                        timeout != nullptr ? &limit : nullptr, &err);
    if (n == SOCKET_ERROR) return api::fail(err != 0 ? err : WSASYSCALLFAILURE);
    // One fd_set passed as several of the sets gets the union of their results.
    for (int i = 0; i < 3; ++i)
        for (int j = i + 1; j < 3; ++j)
            if (user[i] != nullptr && user[i] == user[j]) sets[i].merge(sets[j]);
    for (int i = 2; i >= 0; --i)
        if (!sets[i].store(user[i])) return api::fail(WSAEFAULT);
    return n;
}

WS2_EXPORT int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set) {
    u_int count = 0;
    if (set == nullptr || !win32::read_user_value(&count, &set->fd_count)) return 0;
    for (u_int i = 0; i < count; ++i) {
        SOCKET s;
        if (!win32::read_user_value(&s, &set->fd_array[i])) return 0;
        if (s == fd) return 1;
    }
    return 0;
}

}  // extern "C"
