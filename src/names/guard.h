// Keeps C++ exceptions (an allocation that fails) from leaving a Winsock C function: the call
// fails with WSA_NOT_ENOUGH_MEMORY as the last error instead, as Windows reports running out of
// memory.
#pragma once
#include "win32/last_error.h"

namespace ws2::names {

inline constexpr DWORD kNotEnoughMemory = 8;  // WSA_NOT_ENOUGH_MEMORY (ERROR_NOT_ENOUGH_MEMORY)

template <class Body, class Result>
Result guarded(Body &&body, Result on_failure) {
    try {
        return body();
    } catch (...) {
        win32::set_last_error(kNotEnoughMemory);
        return on_failure;
    }
}

}  // namespace ws2::names
