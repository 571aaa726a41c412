// Copies to and from caller-supplied pointers without trusting them: a pointer outside the
// address space (or to a protected page) makes the copy fail instead of crashing the process,
// so the API can answer WSAEFAULT as Windows does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ws2::win32 {

// The calling thread's stack, learnt at its first copy. Constant-initialised and initial-exec:
// reaching it is one instruction.
struct ThreadStack {
    std::uintptr_t top, size;  // size 0 until the stack is learnt
    bool known;
};
extern thread_local ThreadStack t_thread_stack __attribute__((tls_model("initial-exec")));

// [p, p+n) lies in the live part of this thread's stack: above `frame` (the frame of the
// function doing the copy) and below the stack's top. Such memory is mapped and writable by
// definition, so it is copied directly; anything else goes through the kernel. Distances from
// the top fold each pair of bounds into one unsigned comparison: the frame is on this stack
// (frame_depth < size; never for a stack not learnt yet), and the range lies between the frame
// and the top (n <= depth <= frame_depth; a range above the top wraps to a huge depth).
inline bool on_live_stack(const void *p, std::size_t n, const void *frame) {
    const ThreadStack &stack = t_thread_stack;
    std::uintptr_t frame_depth = stack.top - reinterpret_cast<std::uintptr_t>(frame);
    std::uintptr_t depth = stack.top - reinterpret_cast<std::uintptr_t>(p);
    return frame_depth < stack.size && depth <= frame_depth && n <= depth;
}

// The checked copies for memory not known to be on the live stack (and the first copy of a
// thread, which learns its stack).
bool read_user_checked(void *dst, const void *user_src, std::size_t n);
// Whether the caller's range can be read, without reading it in this thread (for memory another
// thread may be writing, such as an OVERLAPPED being completed): the live stack is readable,
// anything else is asked of the kernel.
bool user_range_readable(const void *user_src, std::size_t n);
bool write_user_checked(void *user_dst, const void *src, std::size_t n);

// Each returns false, copying nothing useful, when any byte of the user range is inaccessible.
// Inline so that the common case, a small argument on the caller's stack, is a plain copy.
__attribute__((always_inline)) inline bool read_user(void *dst, const void *user_src, std::size_t n) {
    if (n != 0 && on_live_stack(user_src, n, __builtin_frame_address(0))) {
        std::memcpy(dst, user_src, n);
        return true;
    }
    return read_user_checked(dst, user_src, n);
}
__attribute__((always_inline)) inline bool write_user(void *user_dst, const void *src, std::size_t n) {
    if (n != 0 && on_live_stack(user_dst, n, __builtin_frame_address(0))) {
        std::memcpy(user_dst, src, n);
        return true;
    }
    return write_user_checked(user_dst, src, n);
}

// Always inlined, like read_user/write_user: on the data path they run several times a call.
template <class T>
__attribute__((always_inline)) inline bool read_user_value(T *out, const T *user_src) {
    return read_user(out, user_src, sizeof(T));
}
template <class T>
__attribute__((always_inline)) inline bool write_user_value(T *user_dst, const T &value) {
    return write_user(user_dst, &value, sizeof(T));
}

}  // namespace ws2::win32
