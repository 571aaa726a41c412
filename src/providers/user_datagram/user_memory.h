// Copies to and from caller memory that report an inaccessible range instead of crashing, so
// that a bad pointer becomes WSAEFAULT. The provider cannot use ws2_32's internals, so it has
// its own; plain types only (this header is shared with files that include no Windows header).
#pragma once
#include <cstddef>

namespace udgram {

bool read_user(void *to, const void *user, std::size_t n);
bool write_user(void *user, const void *from, std::size_t n);

template <typename T>
bool read_user_value(T *to, const T *user) {
    return read_user(to, user, sizeof(T));
}
template <typename T>
bool write_user_value(T *user, const T &value) {
    return write_user(user, &value, sizeof(T));
}

}  // namespace udgram
