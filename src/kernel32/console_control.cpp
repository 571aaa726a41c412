// kernel32 SetConsoleCtrlHandler: console control events from Linux signals. SIGINT is
// CTRL_C_EVENT, SIGQUIT (Ctrl+\, the terminal's other interrupt key) CTRL_BREAK_EVENT, SIGHUP (the
// terminal went away) and SIGTERM (the process is asked to close) CTRL_CLOSE_EVENT.
//
// As on Windows, each event runs the handler list on a new thread, most recently added first,
// until one returns TRUE; when none does, the default handler ends the process. A
// CTRL_CLOSE_EVENT ends the process after the handlers return whatever they return. ws2's
// default handler ends the process by the signal itself (the default action restored and the
// signal raised again), so the parent sees the usual Linux status for that signal where Windows
// would give STATUS_CONTROL_C_EXIT.
//
// The signal handler only writes the signal number to a pipe (async-signal-safe); a dispatcher
// thread, started by the first call, reads it and starts the handler thread. Ignoring CTRL+C
// (a NULL handler with Add TRUE) sets SIGINT to SIG_IGN, which child processes inherit, as
// Windows' attribute is.
#include <windows.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <thread>
#include <vector>

#include "win32/export.h"
#include "win32/last_error.h"

using namespace ws2;

namespace {

struct ControlState {
    std::mutex mutex;
    std::vector<PHANDLER_ROUTINE> handlers;  // in registration order
    bool ignore_ctrl_c = false;
    bool installed = false;
};

ControlState &state() {
    static ControlState *s = new ControlState;  // never destroyed: handler threads may outlive exit
    return *s;
}

int g_pipe[2] = {-1, -1};

constexpr int kSignals[] = {SIGINT, SIGQUIT, SIGHUP, SIGTERM};

DWORD event_of(int signo) {
    switch (signo) {
        case SIGINT:
            return CTRL_C_EVENT;
        case SIGQUIT:
            return CTRL_BREAK_EVENT;
        default:
            return CTRL_CLOSE_EVENT;
    }
}

void on_signal(int signo) {
    int saved = errno;
    unsigned char byte = static_cast<unsigned char>(signo);
    ssize_t ignored = write(g_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved;
}

void catch_signal(int signo) {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(signo, &action, nullptr);
}

void set_disposition(int signo, void (*disposition)(int)) {
    struct sigaction action {};
    action.sa_handler = disposition;
    sigemptyset(&action.sa_mask);
    sigaction(signo, &action, nullptr);
}

// The default handler: the signal's own default action, delivered to this thread.
[[noreturn]] void end_process(int signo) {
    set_disposition(signo, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signo);
    pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    raise(signo);
    _exit(128 + signo);  // a signal whose default action does not end the process
}

void run_handlers(int signo) {
    DWORD event = event_of(signo);
    std::vector<PHANDLER_ROUTINE> handlers;
    {
        std::lock_guard lock(state().mutex);
        handlers = state().handlers;
    }
    bool handled = false;
    for (auto it = handlers.rbegin(); it != handlers.rend() && !handled; ++it) handled = (*it)(event) != FALSE;
    if (!handled || event == CTRL_CLOSE_EVENT) end_process(signo);
}

void dispatch_forever() {
    for (;;) {
        unsigned char byte = 0;
        ssize_t n = read(g_pipe[0], &byte, 1);
        if (n == 1) {
            std::thread(run_handlers, static_cast<int>(byte)).detach();
        } else if (n < 0 && errno != EINTR) {
            return;
        }
    }
}

// Takes the four signals over once; the caller holds the state's mutex.
bool install_locked(ControlState &s) {
    if (s.installed) return true;
    if (pipe2(g_pipe, O_CLOEXEC) != 0) return false;
    // The dispatcher must not take the signals itself: its read would only be restarted.
    sigset_t all, previous;
    sigemptyset(&all);
    for (int signo : kSignals) sigaddset(&all, signo);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    try {
        std::thread(dispatch_forever).detach();
    } catch (...) {
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        close(g_pipe[0]);
        close(g_pipe[1]);
        return false;
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    for (int signo : kSignals) {
        if (signo == SIGINT && s.ignore_ctrl_c) continue;
        catch_signal(signo);
    }
    s.installed = true;
    return true;
}

}  // namespace

extern "C" {

WS2_EXPORT BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add) {
    ControlState &s = state();
    std::lock_guard lock(s.mutex);
    if (HandlerRoutine == nullptr) {
        s.ignore_ctrl_c = Add != FALSE;
        if (s.ignore_ctrl_c) {
            set_disposition(SIGINT, SIG_IGN);
        } else if (s.installed) {
            catch_signal(SIGINT);
        } else {
            set_disposition(SIGINT, SIG_DFL);
        }
        return TRUE;
    }
    if (Add != FALSE) {
        if (!install_locked(s)) {
            win32::set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        s.handlers.push_back(HandlerRoutine);
        return TRUE;
    }
    for (auto it = s.handlers.rbegin(); it != s.handlers.rend(); ++it) {
        if (*it == HandlerRoutine) {
            s.handlers.erase(std::next(it).base());
            return TRUE;
        }
    }
    win32::set_last_error(ERROR_INVALID_PARAMETER);
    return FALSE;
}

}  // extern "C"
