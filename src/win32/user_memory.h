// Copies to and from caller-supplied pointers without trusting them: a pointer outside the
// address space (or to a protected page) makes the copy fail instead of crashing the process,
// so the API can answer WSAEFAULT as Windows does.
#pragma once
#include <cstddef>

namespace ws2::win32 {

// Each returns false, copying nothing useful, when any byte of the user range is inaccessible.
bool read_user(void *dst, const void *user_src, std::size_t n);
bool write_user(void *user_dst, const void *src, std::size_t n);

template <class T>
bool read_user_value(T *out, const T *user_src) {
    return read_user(out, user_src, sizeof(T));
}
template <class T>
bool write_user_value(T *user_dst, const T &value) {
    return write_user(user_dst, &value, sizeof(T));
}

}  // namespace ws2::win32
